package dev.messengerhandover.dev.emulator;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.dev.bots.BedrockRuntimeModel;
import dev.messengerhandover.dev.bots.HttpBotModel;
import dev.messengerhandover.dev.bots.LexRuntimeModel;
import dev.messengerhandover.dev.bots.Wire;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The bots behind the emulated accounts. The function asks an account's bot as its setting in the Pages secret says
 * (the built-in catalogue, a team's bot over HTTP, Amazon Lex V2, Amazon Bedrock); the emulator serves that secret,
 * and all three backends at once, on their wire formats, from the dev models ({@link HttpBotModel},
 * {@link LexRuntimeModel}, {@link BedrockRuntimeModel}): one of each per account, its own Lex bot id and Bedrock
 * inference profile, so that an account's knob (slow, hangs, fails, ...) applies to its own calls only. Switching an
 * account's bot changes its fields in the secret; the function then reads the secret again.
 *
 * <p>A Page's Instagram account asks the Page's bot, as the function configures it. Each call to a backend is on the
 * timeline: what the function asked, what the backend answered or why it failed, and how long it took. No I/O here;
 * the server answers after {@link Served#delayMillis()}, or never for a bot that hangs.
 */
public final class EmulatedBots {

    /** The kinds of bot an account may have, as the Pages secret's {@code bot} field names them. */
    public enum Kind {
        CATALOGUE("catalogue", "Catalogue", "the built-in keyword catalogue: no call, no time, no cost"),
        HTTP("http", "HTTP bot", "a team's own bot behind a URL: a signed JSON POST per message"),
        LEX("lex", "Lex V2", "Amazon Lex V2: RecognizeText on the bot's alias, signed for lex"),
        BEDROCK("bedrock", "Bedrock", "Amazon Bedrock: Converse with the hand-over tool, signed for bedrock");

        final String wire;
        final String label;
        final String description;

        Kind(String wire, String label, String description) {
            this.wire = wire;
            this.label = label;
            this.description = description;
        }

        static Kind of(String wire) {
            for (var k : values()) {
                if (k.wire.equalsIgnoreCase(wire == null ? "" : wire.strip())) {
                    return k;
                }
            }
            return null;
        }
    }

    /** What an account's backend does with the function's calls (the catalogue is never called: it has none). */
    public enum Behaviour {
        ANSWERS("answers", "answers", "the model's own answers"),
        SLOW("slow", "slow (3 s)", "answers, after 3 s"),
        HANGS("hangs", "hangs", "never answers: the function stops waiting when its time runs out"),
        FAILS("fails", "fails (5xx)", "a server error: 503 (Lex: 500 InternalFailureException)"),
        THROTTLED("throttled", "throttled (429)", "429, ThrottlingException for Lex and Bedrock"),
        MALFORMED("malformed", "malformed", "a 200 whose body is HTML, not JSON"),
        PERSON("person", "asks for a person", "hands over: the contract's handover, Lex's hand-off intent, Bedrock's"
                + " tool");

        final String wire;
        final String label;
        final String description;

        Behaviour(String wire, String label, String description) {
            this.wire = wire;
            this.label = label;
            this.description = description;
        }

        static Behaviour of(String wire) {
            for (var b : values()) {
                if (b.wire.equalsIgnoreCase(wire == null ? "" : wire.strip())) {
                    return b;
                }
            }
            return null;
        }
    }

    /** How long a slow backend takes: well inside the time the function gives a bot. */
    static final long SLOW_MILLIS = 3_000;
    static final String LEX_ALIAS_ID = "TSTALIASID";
    static final String LEX_LOCALE = "en_US";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> BOT_FIELDS = List.of("bot", "botUrl", "botSecret", "lexBotId", "lexAliasId",
            "lexLocale", "bedrockModel");

    /** An account whose bot the emulator serves: a Page (its Instagram account asks it too) or a WhatsApp number. */
    record Account(String id, String name, boolean whatsApp, int index) {
        String lexBotId() {
            return String.format(Locale.ROOT, "DEVBOT%04d", index + 1);
        }

        String bedrockModel() {
            return String.format(Locale.ROOT,
                    "arn:aws:bedrock:us-east-1:000000000000:application-inference-profile/devbot%06d", index + 1);
        }
    }

    /**
     * A backend's answer to one call, as the server should give it: after {@code delayMillis}, or, for a bot that
     * hangs, never (until the function stops waiting); {@code entry} is its timeline entry.
     */
    public record Served(Wire.Response response, long delayMillis, boolean hangs, long entry, String who,
            String asked) {
    }

    private final EmulatedPage page;
    private final ObjectNode pages;
    private final String secretName;
    private final Supplier<String> baseUrl;
    private final Supplier<AwsCredentialsIdentity> credentials;
    private final String handoffIntent;
    private final String httpSecret;
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final Map<String, Kind> kinds = new LinkedHashMap<>();
    private final Map<String, Behaviour> behaviours = new LinkedHashMap<>();
    private final Map<String, HttpBotModel> http = new LinkedHashMap<>();
    private final Map<String, LexRuntimeModel> lex = new LinkedHashMap<>();
    private final Map<String, BedrockRuntimeModel> bedrock = new LinkedHashMap<>();

    /**
     * @param pagesJson the Pages (and WhatsApp numbers) as the Pages secret holds them; each account's bot fields are
     *        the emulator's from now on
     * @param secretName the secret's name, as {@code handover.pages-secret} gives it
     * @param baseUrl the emulator's own address, where the HTTP bots answer
     * @param credentials what the function signs its AWS calls with (the same chain, in the same JVM)
     */
    public EmulatedBots(EmulatedPage page, String pagesJson, String secretName, Supplier<String> baseUrl,
            Supplier<AwsCredentialsIdentity> credentials, String handoffIntent) {
        this.page = page;
        this.secretName = secretName;
        this.baseUrl = baseUrl;
        this.credentials = credentials;
        this.handoffIntent = handoffIntent;
        var random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.httpSecret = HexFormat.of().formatHex(random); // made here, for this run: never in the code
        try {
            this.pages = (ObjectNode) JSON.readTree(pagesJson);
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("emulator.pages is not a JSON object", e);
        }
        int index = 0;
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) pages::fields) {
            if (!field.getKey().equals("whatsapp")) {
                add(new Account(field.getKey(), field.getValue().path("name").asText("Page " + field.getKey()), false,
                        index++), field.getValue());
            }
        }
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) pages.path("whatsapp")::fields) {
            add(new Account(field.getKey(), field.getValue().path("name").asText("WhatsApp " + field.getKey()), true,
                    index++), field.getValue());
        }
    }

    private void add(Account account, JsonNode settings) {
        accounts.put(account.id(), account);
        var kind = Kind.of(settings.path("bot").asText("catalogue"));
        kinds.put(account.id(), kind == null ? Kind.CATALOGUE : kind);
        behaviours.put(account.id(), Behaviour.ANSWERS);
    }

    public String secretName() {
        return secretName;
    }

    /** The Pages secret as the function reads it: each account with the bot the page chose, reached here. */
    public synchronized String secretString() {
        var secret = pages.deepCopy();
        for (var account : accounts.values()) {
            var settings = (ObjectNode) (account.whatsApp() ? secret.path("whatsapp") : secret).get(account.id());
            settings.remove(BOT_FIELDS);
            var kind = kinds.get(account.id());
            settings.put("bot", kind.wire);
            switch (kind) {
                case CATALOGUE -> {
                }
                case HTTP -> settings.put("botUrl", baseUrl.get() + "/emulator/bot/" + account.id())
                        .put("botSecret", httpSecret);
                case LEX -> settings.put("lexBotId", account.lexBotId()).put("lexAliasId", LEX_ALIAS_ID)
                        .put("lexLocale", LEX_LOCALE);
                case BEDROCK -> settings.put("bedrockModel", account.bedrockModel());
            }
        }
        return secret.toString();
    }

    /** Each account's bot in a few words, as the timeline says what the function read. */
    public synchronized String summary() {
        var parts = new ArrayList<String>();
        accounts.values().forEach(a -> parts.add(a.name() + (a.whatsApp() ? " (WhatsApp)" : "") + ": "
                + kinds.get(a.id()).wire));
        return String.join(", ", parts);
    }

    /** The account's bot is now {@code kind}; {@code false} when the account is not one the emulator serves. */
    public synchronized boolean kind(String accountId, Kind kind) {
        if (!accounts.containsKey(accountId)) {
            return false;
        }
        kinds.put(accountId, kind);
        return true;
    }

    public synchronized Kind kindOf(String accountId) {
        return kinds.get(accountId);
    }

    /** The account's backend behaves so from its next call. */
    public synchronized boolean behaviour(String accountId, Behaviour behaviour) {
        if (!accounts.containsKey(accountId)) {
            return false;
        }
        behaviours.put(accountId, behaviour);
        return true;
    }

    public synchronized String name(String accountId) {
        var a = accounts.get(accountId);
        return a == null ? accountId : a.name() + (a.whatsApp() ? " (WhatsApp)" : "");
    }

    /** What the page shows: each account's bot and behaviour, and the choices. */
    public synchronized ObjectNode snapshot() {
        var out = JSON.createObjectNode();
        var list = out.putArray("accounts");
        for (var a : accounts.values()) {
            list.addObject().put("account", a.id()).put("name", a.name()).put("whatsApp", a.whatsApp())
                    .put("kind", kinds.get(a.id()).wire).put("behaviour", behaviours.get(a.id()).wire);
        }
        var k = out.putArray("kinds");
        for (var kind : Kind.values()) {
            k.addObject().put("id", kind.wire).put("label", kind.label).put("title", kind.description);
        }
        var b = out.putArray("behaviours");
        for (var behaviour : Behaviour.values()) {
            b.addObject().put("id", behaviour.wire).put("label", behaviour.label).put("title", behaviour.description);
        }
        return out;
    }

    // --- the three backends ------------------------------------------------------------------------------------

    /** A team's bot behind {@code botUrl}: {@code POST /emulator/bot/{account}}. */
    public Served http(String accountId, Wire.Request request) {
        Account account;
        HttpBotModel model;
        Behaviour behaviour;
        synchronized (this) {
            account = accounts.get(accountId);
            if (account == null) {
                return unknown("no HTTP bot for " + accountId);
            }
            model = http.computeIfAbsent(accountId, id -> new HttpBotModel(httpSecret));
            behaviour = behaviours.get(accountId);
        }
        var body = json(request.body());
        var event = body == null ? null : body.path("event");
        var asked = event == null ? "" : event.path("text").asText(event.path("payload").asText(
                event.path("type").asText("")));
        var reply = switch (behaviour) {
            case FAILS -> HttpBotModel.status(503);
            case THROTTLED -> HttpBotModel.status(429);
            case MALFORMED -> HttpBotModel.notJson();
            case PERSON -> HttpBotModel.handsOver("asked for a person", "Let me find someone from the team for you.");
            default -> null;
        };
        return serve(account, Kind.HTTP, behaviour, asked, body, reply == null ? model.handle(request)
                : model.once(reply, () -> model.handle(request)));
    }

    /** Lex V2's runtime: {@code POST /bots/{botId}/botAliases/.../text}, each account its own bot id. */
    public Served lex(Wire.Request request) {
        var parts = request.path().split("/");
        Account account;
        LexRuntimeModel model;
        Behaviour behaviour;
        synchronized (this) {
            account = parts.length > 2 ? accounts.values().stream().filter(a -> a.lexBotId().equals(parts[2]))
                    .findFirst().orElse(null) : null;
            if (account == null) {
                return new Served(Wire.Response.awsError(404, "ResourceNotFoundException",
                        "Failed to retrieve resource since it does not exist"), 0, false, -1, null, null);
            }
            model = lex.computeIfAbsent(account.id(), id -> new LexRuntimeModel(accounts.get(id).lexBotId(),
                    LEX_ALIAS_ID, LEX_LOCALE, handoffIntent, credentials.get()));
            behaviour = behaviours.get(account.id());
        }
        var body = json(request.body());
        LexRuntimeModel.Reply reply = switch (behaviour) {
            case FAILS -> new LexRuntimeModel.Error(500, "InternalFailureException");
            case THROTTLED -> new LexRuntimeModel.Error(429, "ThrottlingException");
            case MALFORMED -> new LexRuntimeModel.Raw(200, "<html><body>Service Unavailable</body></html>");
            case PERSON -> LexRuntimeModel.fulfilled(handoffIntent,
                    LexRuntimeModel.plainText("OK, I'm getting a person from the team for you."));
            default -> null;
        };
        return serve(account, Kind.LEX, behaviour, body == null ? "" : body.path("text").asText(""), body,
                reply == null ? model.handle(request) : model.once(reply, () -> model.handle(request)));
    }

    /** Bedrock's runtime: {@code POST /model/{modelId}/converse}, each account its own inference profile. */
    public Served bedrock(Wire.Request request) {
        var parts = request.path().split("/");
        var modelId = parts.length > 2 ? URLDecoder.decode(parts[2], StandardCharsets.UTF_8) : "";
        Account account;
        BedrockRuntimeModel model;
        Behaviour behaviour;
        synchronized (this) {
            account = accounts.values().stream().filter(a -> a.bedrockModel().equals(modelId)).findFirst()
                    .orElse(null);
            if (account == null) {
                return new Served(Wire.Response.awsError(400, "ValidationException",
                        "The provided model identifier is invalid."), 0, false, -1, null, null);
            }
            model = bedrock.computeIfAbsent(account.id(), id -> new BedrockRuntimeModel(credentials.get()));
            behaviour = behaviours.get(account.id());
        }
        var body = json(request.body());
        var asked = "";
        if (body != null && body.path("messages").isArray() && !body.path("messages").isEmpty()) {
            var last = body.path("messages").get(body.path("messages").size() - 1);
            var text = new StringBuilder();
            last.path("content").forEach(b -> text.append(b.path("text").asText("")));
            asked = text.toString();
        }
        BedrockRuntimeModel.Reply reply = switch (behaviour) {
            case FAILS -> new BedrockRuntimeModel.Error(503, "ServiceUnavailableException");
            case THROTTLED -> new BedrockRuntimeModel.Error(429, "ThrottlingException");
            case MALFORMED -> new BedrockRuntimeModel.Raw(200, "<html><body>Bad Gateway</body></html>");
            case PERSON -> new BedrockRuntimeModel.HandsOver("The user asked for a person.",
                    "Let me find someone from the team for you.");
            default -> null;
        };
        return serve(account, Kind.BEDROCK, behaviour, asked, body,
                reply == null ? model.handle(request) : model.once(reply, () -> model.handle(request)));
    }

    /**
     * The call on the timeline, "asking" until {@link #answered} or {@link #gaveUp}: a slow backend answers later,
     * one that hangs never.
     */
    private Served serve(Account account, Kind kind, Behaviour behaviour, String asked, JsonNode request,
            Wire.Response response) {
        var who = kind.wire + " bot of " + account.name() + (account.whatsApp() ? " (WhatsApp)" : "");
        var quoted = "asked \"" + oneLine(asked) + "\"";
        var entry = page.botAsked(who + ": asking… · " + quoted, request == null
                ? JSON.getNodeFactory().textNode("(not JSON)") : request);
        long delay = response.delayMillis() + (behaviour == Behaviour.SLOW ? SLOW_MILLIS : 0);
        return new Served(response, delay, behaviour == Behaviour.HANGS, entry, who, quoted);
    }

    /** The backend answered the call; the timeline says what (first: titles are cut), and after how long. */
    public void answered(Served served, long millis) {
        if (served.entry() < 0) {
            return;
        }
        var response = served.response();
        page.botAnswered(served.entry(), served.who() + ": " + said(response) + " · " + served.asked(),
                response.status(), millis, body(response));
    }

    /** A backend that hangs: the function stopped waiting (closed the connection) after {@code millis}. */
    public void gaveUp(Served served, long millis) {
        page.botAnswered(served.entry(), served.who() + ": no answer in " + String.format(Locale.ROOT, "%.1f s",
                millis / 1000.0) + ", the function gave up · " + served.asked(), -1, millis,
                JSON.getNodeFactory().textNode("(no answer)"));
    }

    private Served unknown(String why) {
        return new Served(Wire.Response.json(404, JSON.createObjectNode().put("error", why)), 0, false, -1, null,
                null);
    }

    /** What an answer says, in a few words: the bot's texts, a hand-over, or the failure. */
    static String said(Wire.Response response) {
        var body = json(response.body());
        if (response.status() / 100 != 2) {
            var type = response.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(
                    "x-amzn-ErrorType")).map(e -> e.getValue().split(":", 2)[0]).findFirst().orElse(null);
            return "failed, " + response.status() + (type != null ? " " + type : "");
        }
        if (body == null || !body.isObject()) {
            return "malformed, not JSON (" + response.headers().getOrDefault("Content-Type", "?") + ")";
        }
        var texts = new ArrayList<String>();
        String handover = null;
        // the http bot's contract
        for (var m : body.path("messages")) {
            if (m.path("text").isTextual()) {
                texts.add(m.path("text").asText());
            } else if (m.path("content").isTextual()) {
                texts.add(m.path("content").asText()); // Lex
            } else if (m.path("imageResponseCard").isObject()) {
                texts.add(m.path("imageResponseCard").path("title").asText() + " (card)");
            }
        }
        if (body.path("handover").isObject()) {
            handover = body.path("handover").path("reason").asText("");
        }
        var intent = body.path("sessionState").path("intent");
        for (var block : body.path("output").path("message").path("content")) {
            if (block.path("text").isTextual()) {
                texts.add(block.path("text").asText());
            } else if (block.path("toolUse").isObject()) {
                handover = block.path("toolUse").path("input").path("reason").asText("");
            }
        }
        var out = new StringBuilder();
        if (handover != null) {
            out.append("hands over").append(handover.isBlank() ? "" : " (" + oneLine(handover) + ")").append(", ");
        }
        out.append("answered ").append(texts.isEmpty() ? "(no text)" : "\"" + oneLine(String.join(" / ", texts))
                + "\"");
        if (intent.isObject()) {
            out.append(" (intent ").append(intent.path("name").asText()).append(", ")
                    .append(intent.path("state").asText()).append(")");
        }
        return out.toString();
    }

    private static JsonNode body(Wire.Response response) {
        var json = json(response.body());
        return json != null ? json : JSON.getNodeFactory().textNode(response.text());
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return bytes == null || bytes.length == 0 ? null : JSON.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").strip();
    }
}
