package dev.messengerhandover.store;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.messengerhandover.config.HandoverConfig;
import io.quarkus.runtime.StartupEvent;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
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

    /** As the stack defines them: keys only (a sweep or a queue page reads the threads it found). */
    private static GlobalSecondaryIndex index(String name, String partition, String sort) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(k -> k.attributeName(partition).keyType(KeyType.HASH),
                        k -> k.attributeName(sort).keyType(KeyType.RANGE))
                .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)).build();
    }

    /**
     * Not on any delivery's path, so not held to the 4 s a call gets there: a local DynamoDB's first answer, on a busy
     * machine, can take longer.
     */
    private static final java.util.function.Consumer<AwsRequestOverrideConfiguration.Builder> AT_LEISURE =
            o -> o.apiCallTimeout(Duration.ofSeconds(60)).apiCallAttemptTimeout(Duration.ofSeconds(30));

    public static void ensureTable(DynamoDbClient dynamo, String table) {
        try {
            dynamo.describeTable(r -> r.tableName(table).overrideConfiguration(AT_LEISURE));
            return;
        } catch (ResourceNotFoundException missing) {
            LOG.infof("creating DynamoDB table %s", table);
        }
        dynamo.createTable(r -> r.tableName(table).overrideConfiguration(AT_LEISURE)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        a -> a.attributeName(ThreadItems.PK).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(ThreadItems.SK).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(ThreadItems.DUE_ACCOUNT).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(ThreadItems.DUE_AT).attributeType(ScalarAttributeType.N),
                        a -> a.attributeName(ThreadItems.QUEUE).attributeType(ScalarAttributeType.S),
                        a -> a.attributeName(ThreadItems.QUEUE_SINCE).attributeType(ScalarAttributeType.N))
                .keySchema(
                        k -> k.attributeName(ThreadItems.PK).keyType(KeyType.HASH),
                        k -> k.attributeName(ThreadItems.SK).keyType(KeyType.RANGE))
                .globalSecondaryIndexes(
                        index(ThreadItems.DUE_INDEX, ThreadItems.DUE_ACCOUNT, ThreadItems.DUE_AT),
                        index(ThreadItems.QUEUE_INDEX, ThreadItems.QUEUE, ThreadItems.QUEUE_SINCE)));
        dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
        dynamo.updateTimeToLive(r -> r.tableName(table).overrideConfiguration(AT_LEISURE)
                .timeToLiveSpecification(t -> t.attributeName(ThreadItems.TTL_ATTRIBUTE).enabled(true)));
    }
}
