package dev.messengerhandover.admin;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.messengerhandover.testing.Platform;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Without {@code handover.admin-api-key} the operator API does not exist, whatever key is sent. */
@QuarkusTest
@QuarkusTestResource(Platform.class)
@TestProfile(OperatorApiOffTest.NoKey.class)
class OperatorApiOffTest {

    public static class NoKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("handover.admin-api-key", "");
        }
    }

    @Test
    void answers404() {
        given().header("X-Api-Key", Platform.ADMIN_KEY).get("/threads/{p}/{u}", Platform.PAGE_ID, "1")
                .then().statusCode(404);
        given().post("/threads/{p}/{u}/take", Platform.PAGE_ID, "1").then().statusCode(404);
    }
}
