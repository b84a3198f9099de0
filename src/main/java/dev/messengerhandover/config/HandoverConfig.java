package dev.messengerhandover.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import dev.messengerhandover.handover.Rules.RequestPolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How this function stores threads and decides about them. */
@ConfigMapping(prefix = "handover")
public interface HandoverConfig {

    /** DynamoDB table holding the threads. */
    String table();

    /** Create the table (with TTL) at start-up when it is missing: dev and test only; in AWS the stack owns it. */
    @WithDefault("false")
    boolean createTable();

    /**
     * A Secrets Manager secret (name or ARN) holding the Pages' JSON, as {@code messenger.pages} takes it: for more
     * Pages than Lambda's 4 KB environment holds. Read once at start-up, again when Graph answers 190 for a Page.
     */
    Optional<String> pagesSecret();

    /** Where the few calls to AWS services other than DynamoDB go. */
    Aws aws();

    interface Aws {
        /** Secrets Manager's endpoint; unset: the region's. */
        Optional<java.net.URI> secretsManagerEndpoint();

        /** SNS's endpoint; unset: the region's. */
        Optional<java.net.URI> snsEndpoint();
    }

    /** Where the team hears of hand-overs nobody answered. */
    Alerts alerts();

    interface Alerts {
        /** The SNS topic alerts are published to; unset: alerts are WARN log lines only. */
        Optional<String> topicArn();
    }

    /**
     * The team's availability and how long a hand-over may wait (each per Page too, in {@code messenger.pages}); the
     * names are {@code handover.time-zone}, {@code handover.business-hours}, {@code handover.agent-wait.*}, ....
     */
    @io.smallrye.config.WithParentName
    Availability availability();

    interface Availability {
        /** The team's time zone (IANA id). */
        @WithDefault("UTC")
        String timeZone();

        /** The weekly schedule, e.g. {@code Mon-Fri 09:00-17:30; Sat 10:00-14:00}; unset: always open. */
        Optional<String> businessHours();

        /** Whole dates the team is away ({@code 2026-12-25,2026-12-26}). */
        Optional<String> closedDays();

        /** A person asked for while closed: {@code pass} (waits in the Inbox) or {@code keep} (the bot keeps it). */
        @WithDefault("pass")
        String whenClosed();

        AgentWait agentWait();

        /** Ask "Did we solve your problem?" after Done. */
        @WithDefault("false")
        boolean satisfaction();
    }

    interface AgentWait {
        /** Business time an unanswered hand-over waits before the team is alerted. */
        @WithDefault("PT10M")
        Duration notifyAfter();

        /** Business time after which the bot takes an unanswered thread back; unset: never. */
        Optional<Duration> giveUpAfter();
    }

    /** Metrics as CloudWatch Embedded Metric Format lines on standard output. */
    Metrics metrics();

    interface Metrics {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("MessengerHandover")
        String namespace();
    }

    /** Key of the operator API ({@code X-Api-Key}); unset turns the operator API off (404). */
    Optional<String> adminApiKey();

    /** Largest delivery accepted; Messenger batches up to 1000 events, a few hundred KiB. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /** A thread nobody wrote about for this long is forgotten (DynamoDB TTL); it starts again with the bot. */
    @WithDefault("P90D")
    Duration threadTtl();

    /**
     * Threads of one delivery handled at once (events of one thread always run in order). The work is waiting on Graph
     * and DynamoDB, not CPU: 64 acknowledges a 1000-event batch well inside Messenger's 20 s at real Graph latency.
     */
    @WithDefault("64")
    int concurrency();

    /**
     * The time a delivery (or the sweep's run) may take, answer included: Messenger gives up at 20 s. Graph calls
     * and waits end 4.5 s before it, which leaves the last write its time; from 10 s (an alert's call must fit) to
     * under 20 s.
     */
    @WithDefault("PT15S")
    Duration deliveryBudget();

    /** Quick reply and postback payload meaning "I want a person"; the bot offers it with every answer. */
    @WithDefault("TALK_TO_PERSON")
    String handoffPayload();

    /** Consecutive answers the bot did not understand before it offers a person in words. */
    @WithDefault("2")
    int fallbackLimit();

    /** Greet the user when an agent clicks Done and the thread comes back. */
    @WithDefault("true")
    boolean welcomeBack();

    /**
     * How the Page routes conversations: {@code auto} asks Graph once per Page and instance
     * ({@code messaging_feature_status}) and takes {@code default-behaviour}, the safe choice, when it cannot tell;
     * {@code routing} (this app is the Page's default app) or {@code default-behaviour} (no default app) say so.
     */
    @WithDefault("auto")
    RoutingMode routingMode();

    /** With {@code auto}: how long a probed routing holds before Graph is asked again. */
    @WithDefault("PT1H")
    Duration routingRecheck();

    /** Which {@code request_thread_control} the bot grants: {@code any-app}, {@code page-inbox-only}, {@code never}. */
    @WithDefault("page-inbox-only")
    RequestPolicy requestPolicy();

    /** Built-in NLP intent or trait names (or values) that mean "wants a person". */
    @WithDefault("human_agent,talk_to_person,wit$talk_to_human")
    Set<String> nlpNames();

    /** Minimum NLP confidence for those. */
    @WithDefault("0.8")
    double nlpConfidence();

    /** A bot catalogue file to use instead of the built-in {@code bot-catalogue.json}. */
    Optional<String> catalogue();

    /**
     * The bot behind the default app ({@code handover.bot}: {@code catalogue}, {@code http}, {@code lex} or
     * {@code bedrock}), and how to reach each; an account may pick its own in {@code messenger.pages}.
     */
    Bot bot();

    interface Bot {
        /** Which bot answers: the built-in catalogue (no call), a bot of the team's own over HTTP, Lex V2, Bedrock. */
        @io.smallrye.config.WithParentName
        @WithDefault("catalogue")
        String kind();

        Http http();

        Lex lex();

        Bedrock bedrock();

        interface Http {
            /** Where the bot answers {@code POST}s of the JSON contract. */
            Optional<java.net.URI> url();

            /** The key of {@code X-Handover-Signature-256}, both ways (a secret: from Secrets Manager in AWS). */
            Optional<String> secret();
        }

        interface Lex {
            Optional<String> botId();

            Optional<String> aliasId();

            /** The bot's locale, e.g. {@code en_US}. */
            @WithDefault("en_US")
            String locale();

            /** The bot's region; unset: the function's. */
            Optional<String> region();

            /** The intent that, fulfilled, hands the user over (a session attribute {@code handover=true} does too). */
            @WithDefault("TalkToPerson")
            String handoffIntent();
        }

        interface Bedrock {
            /** A model or inference profile id (or ARN) that takes the Converse API with tool use. */
            @WithDefault("amazon.nova-micro-v1:0")
            String modelId();

            /** The model's region; unset: the function's. */
            Optional<String> region();

            Optional<String> guardrailIdentifier();

            Optional<String> guardrailVersion();

            /** A Markdown file of facts the bot may answer from, besides the catalogue's (at most 64 KiB). */
            Optional<String> knowledge();
        }
    }

    /**
     * Run the first delivery's code paths during init, not only before a SnapStart snapshot: for provisioned
     * concurrency, where init happens ahead of traffic. Makes one DynamoDB read and one read-only Graph call.
     */
    @WithDefault("false")
    boolean primeAtStartUp();
}
