package dev.messengerhandover.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The AWS SDKs' standard endpoint variables, as the two calls made without an SDK service module read them. */
class AwsCallsTest {

    @Test
    void theServicesOwnVariableComesFirstThenTheGeneralOne() {
        var env = Map.of("AWS_ENDPOINT_URL_SNS", "http://localhost:4566/sns",
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://localhost:4566/sm", "AWS_ENDPOINT_URL",
                "http://localhost:4566");
        assertThat(AwsCalls.standardEndpoint("sns", env::get)).contains(URI.create("http://localhost:4566/sns"));
        assertThat(AwsCalls.standardEndpoint("secretsmanager", env::get))
                .contains(URI.create("http://localhost:4566/sm"));
        var general = Map.of("AWS_ENDPOINT_URL", " http://localhost:4566 ");
        assertThat(AwsCalls.standardEndpoint("sns", general::get)).contains(URI.create("http://localhost:4566"));
    }

    @Test
    void withoutThemOrWhenTheyAreIgnoredTheRegionsEndpointIsUsed() {
        assertThat(AwsCalls.standardEndpoint("sns", name -> null)).isEmpty();
        var ignored = Map.of("AWS_ENDPOINT_URL_SNS", "http://localhost:4566", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
                "true");
        assertThat(AwsCalls.standardEndpoint("sns", ignored::get)).isEmpty();
        assertThat(AwsCalls.standardEndpoint("sns", Map.of("AWS_ENDPOINT_URL_SNS", "  ")::get)).isEmpty();
    }
}
