package dev.messengerhandover.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.messengerhandover.dev.PlatformClock;
import dev.messengerhandover.dev.platform.WhatsAppPlatform;
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
    /** With {@code accounts=many}: the first Page's linked Instagram account, and a second Page. */
    public static final String INSTAGRAM_ID = "17841400000000004";
    public static final String SECOND_PAGE_ID = "200000000000005";
    public static final String SECOND_PAGE_TOKEN = "test-second-page-token";
    /**
     * The WhatsApp Business number the Graph stand-in serves next to the Pages ({@link WhatsApp} builds its
     * deliveries), its account, the bot's token for it, and its escalation partner, a helpdesk app.
     */
    public static final String WHATSAPP_NUMBER_ID = "106540352242922";
    public static final String WHATSAPP_DISPLAY_NUMBER = "15550783881";
    public static final String WABA_ID = "102290129340398";
    public static final String WHATSAPP_TOKEN = "test-whatsapp-token";
    public static final String HELPDESK_APP_ID = "400000000000006";

    public static final String PAGES_SECRET = "messenger-handover/test-pages";
    /**
     * With {@code hours=paris}: the team works in Paris, {@link #PARIS_HOURS}, is alerted after 10 minutes, the bot
     * gives up after 30, and asks about satisfaction after Done.
     */
    public static final String PARIS_HOURS = "Mon-Fri 09:00-17:30; Sat 10:00-14:00";
    private boolean many;
    private boolean fromSecret;
    private boolean paris;
    private static SecretsManagerStandIn secrets;
    private static SnsStandIn sns;
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

    /** Where alerts go: the SNS topic {@link SnsStandIn#TOPIC_ARN}. */
    public static SnsStandIn sns() {
        return sns;
    }

    /** {@code accounts=many}: two Pages, the first with a linked Instagram account, from {@code messenger.pages}. */
    @Override
    public void init(Map<String, String> initArgs) {
        fromSecret = "secret".equals(initArgs.get("accounts"));
        many = fromSecret || "many".equals(initArgs.get("accounts"));
        paris = "paris".equals(initArgs.get("hours"));
    }

    @Override
    public Map<String, String> start() {
        // The function's time is the conversations' own (tests move it across the platform's 24 h limits).
        PlatformClock.use(Messenger::now);
        dynamo = new DynamoDbLocal().start();
        storage = new FaultyProxy(dynamo.port());
        // The platform's clock is the conversations' own: tests move it forward to cross the 24 h limits. The app
        // requires its secret: every call must carry the appsecret_proof of its token.
        var pages = many ? List.of(new GraphStandIn.Page(PAGE_ID, PAGE_TOKEN, INSTAGRAM_ID),
                new GraphStandIn.Page(SECOND_PAGE_ID, SECOND_PAGE_TOKEN, null))
                : List.of(new GraphStandIn.Page(PAGE_ID, PAGE_TOKEN, INSTAGRAM_ID));
        graph = new GraphStandIn(pages, APP_SECRET, APP_ID, Set.of(GraphStandIn.INBOX_APP_ID, OTHER_APP_ID),
                Messenger::now);
        graph.addWhatsApp(new GraphStandIn.WhatsAppNumber(new WhatsAppPlatform.PhoneNumber(WHATSAPP_NUMBER_ID,
                WHATSAPP_DISPLAY_NUMBER, WABA_ID, WHATSAPP_TOKEN), HELPDESK_APP_ID, null));
        sns = new SnsStandIn();
        var config = new HashMap<String, String>();
        config.put("handover.alerts.topic-arn", SnsStandIn.TOPIC_ARN);
        config.put("handover.aws.sns-endpoint", sns.url());
        // What Lambda's environment gives the function; the AWS SDK's chains read them (SNS, Secrets Manager).
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        if (paris) {
            config.put("handover.time-zone", "Europe/Paris");
            config.put("handover.business-hours", PARIS_HOURS);
            config.put("handover.agent-wait.notify-after", "PT10M");
            config.put("handover.agent-wait.give-up-after", "PT30M");
            config.put("handover.satisfaction", "true");
        }
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
        if (fromSecret) {
            secrets = new SecretsManagerStandIn();
            secrets.put(PAGES_SECRET, pagesJson(SECOND_PAGE_TOKEN));
            config.put("handover.pages-secret", PAGES_SECRET);
            config.put("handover.aws.secrets-manager-endpoint", secrets.url());
            config.put("messenger.page-access-token", ""); // the test profile's single Page: not this time
        } else if (many) {
            config.put("messenger.pages", pagesJson(SECOND_PAGE_TOKEN));
            config.put("messenger.page-access-token", ""); // the test profile's single Page: not this time
        } else {
            config.put("messenger.page-access-token", PAGE_TOKEN);
            config.put("messenger.instagram-id", INSTAGRAM_ID);
        }
        config.put("messenger.app-id", APP_ID);
        config.put("handover.table", "handover-test");
        config.put("handover.create-table", "true");
        config.put("handover.admin-api-key", ADMIN_KEY);
        return config;
    }

    /**
     * Two Pages, the first with its Instagram account, and a WhatsApp number, as {@code messenger.pages} (or the
     * secret) gives them.
     */
    public static String pagesJson(String secondPageToken) {
        return "{\"" + PAGE_ID + "\":{\"accessToken\":\"" + PAGE_TOKEN + "\",\"instagramId\":\"" + INSTAGRAM_ID
                + "\",\"name\":\"Shop\"},\"" + SECOND_PAGE_ID + "\":{\"accessToken\":\"" + secondPageToken
                + "\",\"name\":\"Café\",\"welcomeBack\":false},\"whatsapp\":{\"" + WHATSAPP_NUMBER_ID
                + "\":{\"wabaId\":\"" + WABA_ID + "\",\"accessToken\":\"" + WHATSAPP_TOKEN
                + "\",\"name\":\"Shop WhatsApp\"}}}";
    }

    public static SecretsManagerStandIn secrets() {
        return secrets;
    }

    @Override
    public void stop() {
        if (secrets != null) {
            secrets.close();
            secrets = null;
        }
        if (sns != null) {
            sns.close();
        }
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
