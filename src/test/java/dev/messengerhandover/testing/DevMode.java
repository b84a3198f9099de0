package dev.messengerhandover.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * {@code ./mvnw quarkus:dev} as a newcomer runs it: the {@code dev} profile's own settings from
 * application.properties (the Shop and the Café, the emulator driving the clock from a Monday 09:30, alerts to the
 * emulator's SNS), on a machine with no AWS configuration. Only what must differ in a test run differs: the ports, and
 * DynamoDB Local started here instead of by the dev-mode starter. None of the other tests' stand-ins run alongside.
 */
public class DevMode implements QuarkusTestProfile {

    @Override
    public String getConfigProfile() {
        return "dev";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        var url = EmulatedPlatform.url();
        return Map.of("emulator.port", url.substring(url.lastIndexOf(':') + 1),
                "emulator.webhook-url", "http://localhost:${quarkus.lambda.mock-event-server.test-port:8081}/webhook",
                "quarkus.rest-client.graph-api.url", url + "/emulator/graph",
                "handover.aws.sns-endpoint", url + "/emulator/sns");
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(BareMachine.class));
    }

    /**
     * A machine without AWS configuration, as far as a JVM can make one: no AWS system properties (other tests' set
     * them), and the AWS config and credentials files pointed at files that do not exist. CI has no {@code AWS_*}
     * variables either. Also the in-memory DynamoDB Local that dev mode would start.
     */
    public static class BareMachine implements QuarkusTestResourceLifecycleManager {

        /** What the AWS SDK reads from system properties: region, keys, profile and its files. */
        static final List<String> AWS_PROPERTIES = List.of("aws.region", "aws.accessKeyId", "aws.secretAccessKey",
                "aws.sessionToken", "aws.profile", "aws.configFile", "aws.sharedCredentialsFile");
        private final Map<String, String> saved = new HashMap<>();
        private DynamoDbLocal dynamo;

        @Override
        public Map<String, String> start() {
            for (var property : AWS_PROPERTIES) {
                var value = System.clearProperty(property);
                if (value != null) {
                    saved.put(property, value);
                }
            }
            var none = System.getProperty("java.io.tmpdir") + "/no-such-dir/aws";
            System.setProperty("aws.configFile", none + "/config");
            System.setProperty("aws.sharedCredentialsFile", none + "/credentials");
            dynamo = new DynamoDbLocal().start();
            return Map.of("quarkus.dynamodb.endpoint-override", dynamo.endpoint());
        }

        @Override
        public void stop() {
            if (dynamo != null) {
                dynamo.close();
            }
            AWS_PROPERTIES.forEach(System::clearProperty); // and what dev mode gave the SDK
            saved.forEach(System::setProperty);
        }
    }
}
