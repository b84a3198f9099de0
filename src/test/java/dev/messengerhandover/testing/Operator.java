package dev.messengerhandover.testing;

import static io.restassured.RestAssured.given;

import io.restassured.path.json.JsonPath;

/** The operator API as a test reads it: the thread's owner, role, reason, history and transcript. */
public final class Operator {

    private Operator() {
    }

    public static JsonPath thread(String psid) {
        return thread(Platform.PAGE_ID, psid);
    }

    /** A thread of another account: a second Page, or an Instagram account. */
    public static JsonPath thread(String accountId, String psid) {
        return given().header("X-Api-Key", Platform.ADMIN_KEY)
                .get("/threads/{page}/{user}", accountId, psid)
                .then().statusCode(200).extract().jsonPath();
    }

    public static String role(String psid) {
        return thread(psid).getString("owner.role");
    }
}
