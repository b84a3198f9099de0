package dev.messengerhandover.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@link Platform} of an agency running several Pages, each with the bot it chose, from the Pages secret (Secrets
 * Manager): the Shop (and its Instagram account) asks the team's own bot over HTTP, the Café keeps the catalogue,
 * the Garden asks Amazon Lex, the Bookshop a model on Amazon Bedrock (with a guardrail and a knowledge file); the
 * WhatsApp number keeps the catalogue. The three backends are the {@link BotStandIn}, reached the way the function
 * reaches AWS in Lambda, through the endpoint variables; the function's metrics are kept ({@link MetricLines}).
 */
public class BotPlatform extends Platform {

    public static final String GARDEN_PAGE_ID = "200000000000007";
    public static final String GARDEN_TOKEN = "test-garden-page-token";
    public static final String BOOKSHOP_PAGE_ID = "200000000000008";
    public static final String BOOKSHOP_TOKEN = "test-bookshop-page-token";
    public static final String GUARDRAIL = "gr0123456789";
    public static final String GUARDRAIL_VERSION = "3";
    /** A line of the Bookshop's knowledge file, which only its model's prompt carries. */
    public static final String KNOWLEDGE = "- gift-wrap: Any book can be gift-wrapped for 2 euros.";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static BotStandIn bots;
    private static Path knowledge;

    /** The three bots' backends. */
    public static BotStandIn bots() {
        return bots;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        super.init(Map.of("accounts", "secret"));
    }

    @Override
    public Map<String, String> start() {
        MetricLines.install();
        bots = new BotStandIn();
        var config = new HashMap<>(super.start());
        graph().addPage(new GraphStandIn.Page(GARDEN_PAGE_ID, GARDEN_TOKEN, null))
                .addPage(new GraphStandIn.Page(BOOKSHOP_PAGE_ID, BOOKSHOP_TOKEN, null));
        try {
            knowledge = Files.createTempFile("bookshop-knowledge", ".md");
            Files.writeString(knowledge, "# The Bookshop\n\n" + KNOWLEDGE + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        secrets().put(PAGES_SECRET, pagesJson());
        // As Lambda's environment would point the AWS SDKs elsewhere: the function reads them through its config.
        config.put("AWS_ENDPOINT_URL_LEX_RUNTIME_V2", bots.url());
        config.put("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", bots.url());
        config.put("handover.bot.lex.region", BotStandIn.REGION);
        config.put("handover.bot.bedrock.region", BotStandIn.REGION);
        config.put("handover.metrics.enabled", "true");
        config.put("handover.metrics.namespace", "MessengerHandover/test");
        return config;
    }

    /** Every Page with its bot, and the WhatsApp number, as the Pages secret holds them. */
    static String pagesJson() {
        var pages = JSON.createObjectNode();
        pages.putObject(PAGE_ID).put("accessToken", PAGE_TOKEN).put("instagramId", INSTAGRAM_ID).put("name", "Shop")
                .put("bot", "http").put("botUrl", bots.httpBotUrl()).put("botSecret", BotStandIn.HTTP_SECRET);
        pages.putObject(SECOND_PAGE_ID).put("accessToken", SECOND_PAGE_TOKEN).put("name", "Café")
                .put("welcomeBack", false);
        pages.putObject(GARDEN_PAGE_ID).put("accessToken", GARDEN_TOKEN).put("name", "Garden").put("bot", "lex")
                .put("lexBotId", BotStandIn.LEX_BOT_ID).put("lexAliasId", BotStandIn.LEX_ALIAS_ID)
                .put("lexLocale", BotStandIn.LEX_LOCALE_ID);
        pages.putObject(BOOKSHOP_PAGE_ID).put("accessToken", BOOKSHOP_TOKEN).put("name", "Bookshop")
                .put("bot", "bedrock").put("bedrockGuardrail", GUARDRAIL)
                .put("bedrockGuardrailVersion", GUARDRAIL_VERSION).put("knowledge", knowledge.toString());
        ObjectNode whatsApp = pages.putObject("whatsapp").putObject(WHATSAPP_NUMBER_ID);
        whatsApp.put("wabaId", WABA_ID).put("accessToken", WHATSAPP_TOKEN).put("name", "Shop WhatsApp");
        return pages.toString();
    }

    @Override
    public void stop() {
        super.stop();
        if (bots != null) {
            bots.close();
            bots = null;
        }
        try {
            if (knowledge != null) {
                Files.deleteIfExists(knowledge);
            }
        } catch (IOException e) {
            // a temporary file: the system clears it
        }
        MetricLines.uninstall();
    }
}
