package dev.messengerhandover.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.profiles.ProfileFile;

/**
 * What dev mode gives the AWS SDK for its local stand-ins: the region and placeholder keys on a bare machine, only what
 * is missing elsewhere, and nothing once a real AWS service is called.
 */
class DevAwsStandInsTest {

    static final Map<String, String> NOTHING = Map.of();
    static final URI EMULATOR_SNS = URI.create("http://localhost:8080/emulator/sns");

    @Test
    void aBareMachineGetsARegionAndPlaceholderKeys() {
        assertThat(DevAwsStandIns.give(NOTHING::get, NOTHING::get, profiles(""))).containsExactly(
                Map.entry("aws.region", "us-east-1"), Map.entry("aws.accessKeyId", "dev-placeholder"),
                Map.entry("aws.secretAccessKey", "dev-placeholder"));
    }

    @Test
    void whatIsConfiguredIsLeftAsItIs() {
        // Environment variables.
        assertThat(DevAwsStandIns.give(Map.of("AWS_REGION", "eu-west-3", "AWS_ACCESS_KEY_ID", "AKIA")::get,
                NOTHING::get, profiles(""))).isEmpty();
        // System properties: a region, but no credentials.
        assertThat(DevAwsStandIns.give(NOTHING::get, Map.of("aws.region", "eu-west-3")::get, profiles("")))
                .containsOnlyKeys("aws.accessKeyId", "aws.secretAccessKey");
        // ~/.aws/config with a region and single sign-on for the default profile.
        assertThat(DevAwsStandIns.give(NOTHING::get, NOTHING::get,
                profiles("[default]\nregion = eu-west-3\nsso_session = corp\n"))).isEmpty();
        // A named profile: the one AWS_PROFILE names counts, not the default.
        var named = profiles("[default]\nregion = eu-west-3\n[profile ops]\ncredential_process = /bin/true\n");
        assertThat(DevAwsStandIns.give(Map.of("AWS_PROFILE", "ops")::get, NOTHING::get, named))
                .containsOnlyKeys("aws.region");
        assertThat(DevAwsStandIns.give(NOTHING::get, NOTHING::get, named))
                .containsOnlyKeys("aws.accessKeyId", "aws.secretAccessKey");
        // A container's or a web identity's credentials.
        assertThat(DevAwsStandIns.give(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://169.254.170.23/v1")::get,
                NOTHING::get, profiles(""))).containsOnlyKeys("aws.region");
        assertThat(DevAwsStandIns.give(Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/token")::get, NOTHING::get,
                profiles(""))).containsOnlyKeys("aws.region");
    }

    @Test
    void onlyLocalStandInsGetAnything() {
        assertThat(DevAwsStandIns.onlyStandIns(List.of(Optional.of(EMULATOR_SNS)))).isTrue();
        assertThat(DevAwsStandIns.onlyStandIns(List.of(Optional.of(URI.create("http://127.0.0.1:4566/")),
                Optional.of(EMULATOR_SNS)))).isTrue();
        // SNS in AWS (no endpoint), or a Pages secret read from AWS: the SDK's own chains, untouched.
        assertThat(DevAwsStandIns.onlyStandIns(List.of(Optional.empty()))).isFalse();
        assertThat(DevAwsStandIns.onlyStandIns(List.of(Optional.of(EMULATOR_SNS), Optional.empty()))).isFalse();
        assertThat(DevAwsStandIns.onlyStandIns(List.of(Optional.of(URI.create("https://sns.eu-west-3.amazonaws.com/")))))
                .isFalse();
        // No AWS service called at all: nothing to give.
        assertThat(DevAwsStandIns.onlyStandIns(List.of())).isFalse();
    }

    private static Supplier<ProfileFile> profiles(String config) {
        return () -> ProfileFile.builder().type(ProfileFile.Type.CONFIGURATION)
                .content(new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8))).build();
    }
}
