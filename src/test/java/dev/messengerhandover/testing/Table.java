package dev.messengerhandover.testing;

import java.net.URI;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The tests' table as a client of their own reads and writes it: what another instance, or an older version, sees. */
public final class Table {

    private static final String NAME = "handover-test";

    private Table() {
    }

    /** A thread's item as stored (strongly consistent). */
    public static Map<String, AttributeValue> item(String accountId, String user) {
        try (var dynamo = client()) {
            return dynamo.getItem(r -> r.tableName(NAME).key(key(accountId, user)).consistentRead(true)).item();
        }
    }

    /**
     * The thread's index keys as versions before this one wrote them for one Page configured by its token: its
     * account named {@code me} ({@code queue}: the queue it is in).
     */
    public static void indexAsMe(String accountId, String user, String queue) {
        try (var dynamo = client()) {
            dynamo.updateItem(r -> r.tableName(NAME).key(key(accountId, user))
                    .updateExpression("SET dueAccount = :me, #queue = :queue")
                    .expressionAttributeNames(Map.of("#queue", "queue"))
                    .expressionAttributeValues(Map.of(":me", AttributeValue.fromS("me"), ":queue",
                            AttributeValue.fromS("me#" + queue))));
        }
    }

    private static Map<String, AttributeValue> key(String accountId, String user) {
        return Map.of("pk", AttributeValue.fromS("THREAD#" + accountId + "#" + user), "sk",
                AttributeValue.fromS("STATE"));
    }

    private static DynamoDbClient client() {
        return DynamoDbClient.builder().endpointOverride(URI.create(Platform.dynamo().endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
