package dev.messengerhandover.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The platform around the function in tests: a real DynamoDB Local and the Graph stand-in, started once per test run
 * and shared by all {@code @QuarkusTest} classes (each test uses its own user ids).
 */
public class Platform implements QuarkusTestResourceLifecycleManager {

    public static final String APP_ID = "1000000000000001";
    public static final String PAGE_ID = "200000000000002";
    public static final String APP_SECRET = "test-app-secret";
    public static final String PAGE_TOKEN = "test-page-token";
    public static final String ADMIN_KEY = "test-admin-key";
    public static final String OTHER_APP_ID = "300000000000003";

    private static DynamoDbLocal dynamo;
    private static GraphStandIn graph;
    private static FaultyProxy storage;

    public static GraphStandIn graph() {
        return graph;
    }

    public static DynamoDbLocal dynamo() {
        return dynamo;
    }

    /** The function's way to DynamoDB: switch it off to simulate an outage. */
    public static FaultyProxy storage() {
        return storage;
    }

    @Override
    public Map<String, String> start() {
        dynamo = new DynamoDbLocal().start();
        storage = new FaultyProxy(dynamo.port());
        // The platform's clock is the conversations' own: tests move it forward to cross the 24 h limits.
        graph = new GraphStandIn(PAGE_ID, PAGE_TOKEN, APP_ID, Set.of(GraphStandIn.INBOX_APP_ID, OTHER_APP_ID),
                Messenger::now);
        var config = new HashMap<String, String>();
        config.put("quarkus.dynamodb.endpoint-override", storage.endpoint());
        config.put("quarkus.rest-client.graph-api.url", graph.url());
        // Everything the function needs, as Lambda's environment would give it: the packaged function
        // (@QuarkusIntegrationTest) runs with the prod profile and sees only this.
        config.put("quarkus.dynamodb.aws.region", "us-east-1");
        config.put("quarkus.dynamodb.aws.credentials.type", "static");
        config.put("quarkus.dynamodb.aws.credentials.static-provider.access-key-id", "test");
        config.put("quarkus.dynamodb.aws.credentials.static-provider.secret-access-key", "test");
        config.put("messenger.verify-token", "test-verify-token");
        config.put("messenger.app-secret", APP_SECRET);
        config.put("messenger.page-access-token", PAGE_TOKEN);
        config.put("messenger.app-id", APP_ID);
        config.put("handover.table", "handover-test");
        config.put("handover.create-table", "true");
        config.put("handover.admin-api-key", ADMIN_KEY);
        return config;
    }

    @Override
    public void stop() {
        if (graph != null) {
            graph.close();
        }
        if (storage != null) {
            storage.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }
}
