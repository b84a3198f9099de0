package dev.messengerhandover.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How this function stores threads and decides about them. */
@ConfigMapping(prefix = "handover")
public interface HandoverConfig {

    /** DynamoDB table holding threads, their history and delivery markers. */
    String table();

    /** Create the table (with TTL) at start-up when it is missing: dev and test only; in AWS the stack owns it. */
    @WithDefault("false")
    boolean createTable();

    /** Key of the operator API ({@code X-Api-Key}); unset turns the operator API off (404). */
    Optional<String> adminApiKey();

    /** Largest delivery accepted; Messenger batches up to 1000 events, a few hundred KiB. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /** How long a processed-event marker is kept, so a redelivery inside it has no second effect. */
    @WithDefault("P7D")
    Duration dedupeTtl();

    /** Events of different users in one delivery handled at once. */
    @WithDefault("32")
    int concurrency();

    /** Time the whole delivery may take before we stop retrying Graph: Messenger gives up at 20 s. */
    @WithDefault("PT15S")
    Duration deliveryBudget();
}
