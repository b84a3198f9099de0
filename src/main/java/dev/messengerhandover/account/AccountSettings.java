package dev.messengerhandover.account;

import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

import dev.messengerhandover.config.RoutingMode;
import dev.messengerhandover.handover.Rules.RequestPolicy;
import dev.messengerhandover.handover.availability.Availability;
import dev.messengerhandover.handover.availability.Availability.WhenClosed;
import dev.messengerhandover.handover.availability.BusinessHours;

/**
 * One Page's settings, as {@code messenger.pages} (or the pages secret) gives them, each one defaulting to the global
 * setting of the same name. A field that is missing where it is required, malformed, or unknown (a typo would
 * otherwise silently keep the global value) fails start-up with the Page and the field named; the token never
 * appears in a message.
 */
public record AccountSettings(String pageId, String accessToken, Optional<String> instagramId, Optional<String> wabaId,
        String name,
        String inboxAppId, String instagramInboxAppId, Optional<String> catalogue, boolean welcomeBack,
        RequestPolicy requestPolicy, RoutingMode routingMode, int fallbackLimit, String handoffPayload,
        double nlpConfidence, Availability availability, BotChoice bot) {

    /**
     * The account's own choice of bot, field by field over the global {@code handover.bot.*}: its kind, and what
     * reaches it. Empty fields take the global setting.
     */
    public record BotChoice(Optional<String> kind, Optional<String> url, Optional<String> secret,
            Optional<String> lexBotId, Optional<String> lexAliasId, Optional<String> lexLocale,
            Optional<String> bedrockModel, Optional<String> bedrockGuardrail, Optional<String> bedrockGuardrailVersion,
            Optional<String> knowledge) {
        public static final BotChoice GLOBAL = new BotChoice(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());

        @Override
        public String toString() {
            return "BotChoice[" + kind.orElse("global") + "]"; // never the secret
        }
    }

    /** The fields a Page's object may have. */
    static final Set<String> FIELDS = Set.of("accessToken", "instagramId", "name", "inboxAppId",
            "instagramInboxAppId", "catalogue", "welcomeBack", "requestPolicy", "routingMode", "fallbackLimit",
            "handoffPayload", "nlpConfidence", "timeZone", "businessHours", "closedDays", "whenClosed",
            "notifyAfter", "giveUpAfter", "satisfaction", "bot", "botUrl", "botSecret", "lexBotId", "lexAliasId",
            "lexLocale", "bedrockModel", "bedrockGuardrail", "bedrockGuardrailVersion", "knowledge");

    /** The global settings, which a Page's own override. */
    public record Defaults(String inboxAppId, String instagramInboxAppId, Optional<String> catalogue,
            boolean welcomeBack, RequestPolicy requestPolicy, RoutingMode routingMode, int fallbackLimit,
            String handoffPayload, double nlpConfidence, Availability availability) {
    }

    /** The one Page configured by its token: the global settings. */
    static AccountSettings of(String pageId, String token, Optional<String> instagramId, String name, Defaults d) {
        return new AccountSettings(pageId, token, instagramId, Optional.empty(), name, d.inboxAppId(),
                d.instagramInboxAppId(),
                d.catalogue(), d.welcomeBack(), d.requestPolicy(), d.routingMode(), d.fallbackLimit(),
                d.handoffPayload(), d.nlpConfidence(), d.availability(), BotChoice.GLOBAL);
    }

    /** The key of the WhatsApp numbers in the same JSON object: {@code {"whatsapp": {"<phone number id>": {...}}}}. */
    public static final String WHATSAPP = "whatsapp";

    /** A WhatsApp number's fields: a Page's, but those of Messenger and Instagram alone, and its WABA's id. */
    static final Set<String> WHATSAPP_FIELDS;

    static {
        var fields = new java.util.HashSet<>(FIELDS);
        fields.removeAll(Set.of("instagramId", "inboxAppId", "instagramInboxAppId", "routingMode", "requestPolicy",
                "nlpConfidence"));
        fields.add("wabaId");
        WHATSAPP_FIELDS = Set.copyOf(fields);
    }

    /** The Pages of a {@code messenger.pages} JSON object, in its order (its {@code whatsapp} field aside). */
    public static Map<String, AccountSettings> parseAll(String source, JsonNode root, Defaults defaults) {
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new IllegalArgumentException(source + ": must be a JSON object with one field per Page id (and"
                    + " \"whatsapp\" for WhatsApp numbers)");
        }
        var pages = new java.util.LinkedHashMap<String, AccountSettings>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (!field.getKey().equals(WHATSAPP)) {
                pages.put(field.getKey(), parse(source, field.getKey(), field.getValue(), defaults, false));
            }
        }
        return pages;
    }

    /** The WhatsApp numbers of the same JSON object ({@code whatsapp}: phone number id to its settings). */
    public static Map<String, AccountSettings> parseWhatsApp(String source, JsonNode root, Defaults defaults) {
        var numbers = new java.util.LinkedHashMap<String, AccountSettings>();
        var section = root == null ? null : root.get(WHATSAPP);
        if (section == null || section.isNull()) {
            return numbers;
        }
        if (!section.isObject()) {
            throw new IllegalArgumentException(source + ": \"whatsapp\" must be an object with one field per phone"
                    + " number id");
        }
        section.fields().forEachRemaining(f -> numbers.put(f.getKey(), parse(source, f.getKey(), f.getValue(),
                defaults, true)));
        return numbers;
    }

    static AccountSettings parse(String source, String pageId, JsonNode page, Defaults defaults) {
        return parse(source, pageId, page, defaults, false);
    }

    static AccountSettings parse(String source, String pageId, JsonNode page, Defaults defaults, boolean whatsApp) {
        var where = source + (whatsApp ? ": WhatsApp number " : ": Page ") + pageId;
        if (!pageId.matches("[0-9]{1,64}")) {
            throw new IllegalArgumentException(source + ": \"" + clip(pageId) + "\" is not a "
                    + (whatsApp ? "phone number id" : "Page id") + " (digits)");
        }
        if (page == null || !page.isObject()) {
            throw new IllegalArgumentException(where + ": must be an object");
        }
        var known = whatsApp ? WHATSAPP_FIELDS : FIELDS;
        page.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw new IllegalArgumentException(where + ": unknown field \"" + clip(name) + "\" (known: "
                        + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        });
        var token = string(page, "accessToken", where).filter(t -> !t.isBlank())
                .orElseThrow(() -> new IllegalArgumentException(where + ": \"accessToken\" is missing"));
        var waba = string(page, "wabaId", where);
        if (whatsApp && (waba.isEmpty() || !waba.get().matches("[0-9]{1,64}"))) {
            throw new IllegalArgumentException(where + ": \"wabaId\" must be the WhatsApp Business Account's id"
                    + " (digits)");
        }
        var instagram = string(page, "instagramId", where);
        instagram.ifPresent(id -> {
            if (!id.matches("[0-9]{1,64}")) {
                throw new IllegalArgumentException(where + ": \"instagramId\" must be an account id (digits)");
            }
        });
        return new AccountSettings(pageId, token, instagram, waba, string(page, "name", where)
                .orElse((whatsApp ? "WhatsApp " : "Page ") + pageId),
                string(page, "inboxAppId", where).orElse(defaults.inboxAppId()),
                string(page, "instagramInboxAppId", where).orElse(defaults.instagramInboxAppId()),
                string(page, "catalogue", where).or(defaults::catalogue),
                bool(page, "welcomeBack", where).orElse(defaults.welcomeBack()),
                choice(page, "requestPolicy", where, RequestPolicy::valueOf).orElse(defaults.requestPolicy()),
                // WhatsApp routes by the number's configuration in Business Suite: the owner hears "messages".
                whatsApp ? RoutingMode.ROUTING
                        : choice(page, "routingMode", where, RoutingMode::valueOf).orElse(defaults.routingMode()),
                integer(page, "fallbackLimit", where).orElse(defaults.fallbackLimit()),
                string(page, "handoffPayload", where).orElse(defaults.handoffPayload()),
                number(page, "nlpConfidence", where).orElse(defaults.nlpConfidence()),
                availability(page, where, defaults.availability()),
                new BotChoice(string(page, "bot", where), string(page, "botUrl", where),
                        string(page, "botSecret", where), string(page, "lexBotId", where),
                        string(page, "lexAliasId", where), string(page, "lexLocale", where),
                        string(page, "bedrockModel", where), string(page, "bedrockGuardrail", where),
                        string(page, "bedrockGuardrailVersion", where), string(page, "knowledge", where)));
    }

    /** The Page's business hours and waits: each field it gives over the global one. */
    private static Availability availability(JsonNode page, String where, Availability global) {
        var zone = string(page, "timeZone", where);
        var hours = string(page, "businessHours", where);
        var closed = string(page, "closedDays", where);
        var g = global.hours();
        BusinessHours schedule;
        try {
            schedule = zone.isEmpty() && hours.isEmpty() && closed.isEmpty() ? g
                    : BusinessHours.parse(zone.orElse(g.zone().getId()), hours.orElse(g.alwaysOpen() ? "" : g.hours()),
                            closed.orElse(String.join(",", g.closedDays().stream().map(Object::toString).toList())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
        var whenClosed = string(page, "whenClosed", where).map(v -> WhenClosed.parse(where + ": \"whenClosed\"", v))
                .orElse(global.whenClosed());
        var notifyAfter = duration(page, "notifyAfter", where).orElse(global.notifyAfter());
        var giveUpAfter = duration(page, "giveUpAfter", where).or(global::giveUpAfter);
        try {
            return new Availability(schedule, whenClosed, notifyAfter, giveUpAfter,
                    bool(page, "satisfaction", where).orElse(global.satisfaction()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static Optional<Duration> duration(JsonNode page, String field, String where) {
        return string(page, field, where).map(v -> {
            try {
                return Duration.parse(v.trim());
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(where + ": \"" + field + "\" must be an ISO-8601 duration such as "
                        + "PT10M, was \"" + clip(v) + "\"");
            }
        });
    }

    @Override
    public String toString() {
        return "AccountSettings[page " + pageId + ", " + name + "]"; // never the token
    }

    private static Optional<String> string(JsonNode page, String field, String where) {
        return field(page, field, where, JsonNode::isTextual, JsonNode::asText, "a string");
    }

    private static Optional<Boolean> bool(JsonNode page, String field, String where) {
        return field(page, field, where, JsonNode::isBoolean, JsonNode::asBoolean, "true or false");
    }

    private static Optional<Integer> integer(JsonNode page, String field, String where) {
        return field(page, field, where, v -> v.isInt() && v.asInt() >= 1, JsonNode::asInt,
                "a whole number of 1 or more");
    }

    private static Optional<Double> number(JsonNode page, String field, String where) {
        return field(page, field, where, v -> v.isNumber() && v.asDouble() >= 0 && v.asDouble() <= 1,
                JsonNode::asDouble, "a number from 0 to 1");
    }

    /** A field that may be absent (or null), and must be {@code what} when present. */
    private static <T> Optional<T> field(JsonNode page, String field, String where, Predicate<JsonNode> valid,
            Function<JsonNode, T> value, String what) {
        var v = page.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!valid.test(v)) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be " + what);
        }
        return Optional.of(value.apply(v));
    }

    /** A kebab-case choice ({@code page-inbox-only}) of an enum's constants. */
    private static <E extends Enum<E>> Optional<E> choice(JsonNode page, String field, String where,
            Function<String, E> valueOf) {
        return string(page, field, where).map(v -> {
            try {
                return valueOf.apply(v.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": \"" + field + "\" has \"" + clip(v)
                        + "\", not one of its values");
            }
        });
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
