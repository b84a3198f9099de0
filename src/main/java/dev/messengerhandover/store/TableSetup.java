package dev.messengerhandover.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.messengerhandover.config.HandoverConfig;
import io.quarkus.runtime.StartupEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Creates the table with its TTL when {@code handover.create-table=true} (dev and test). In AWS the stack owns the table
 * and this does nothing, so a cold start makes no DynamoDB call.
 */
@ApplicationScoped
public class TableSetup {

    private static final Logger LOG = Logger.getLogger(TableSetup.class);

    void onStart(@Observes StartupEvent start, HandoverConfig config, DynamoDbClient dynamo) {
        if (config.createTable()) {
            ensureTable(dynamo, config.table());
        }
    }

    public static void ensureTable(DynamoDbClient dynamo, String table) {
        try {
            dynamo.describeTable(r -> r.tableName(table));
            return;
        } catch (ResourceNotFoundException missing) {
            LOG.infof("creating DynamoDB table %s", table);
        }
        dynamo.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        a -> a.attributeName(ThreadItems.PK).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(ThreadItems.SK).attributeType(ScalarAttributeType.S))
                .keySchema(
                        k -> k.attributeName(ThreadItems.PK).keyType(KeyType.HASH),
                        k -> k.attributeName(ThreadItems.SK).keyType(KeyType.RANGE)));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
        dynamo.updateTimeToLive(r -> r.tableName(table)
                .timeToLiveSpecification(t -> t.attributeName(ThreadItems.TTL_ATTRIBUTE).enabled(true)));
    }
}
