package dev.messengerhandover.handover;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The bot's answers (a greeting, FAQ entries matched on keywords, the fixed lines of the handoff) and the languages,
 * as ISO 639-1 codes, in which users may ask for a person in words. Read from a JSON file a Page owner edits without
 * touching code (default {@code bot-catalogue.json} on the class path).
 */
public record BotCatalogue(Entry greeting, List<Entry> faqs, String fallback, String offerPerson,
        String talkToPersonTitle, String handoffNotice, String handoffFailed, String welcomeBack,
        List<String> languages, Away away, Survey survey) {

    /** A placeholder of {@link Away}'s lines: when the team is back, as "Monday 09:00" or "tomorrow 09:00". */
    public static final String OPENING = "{opening}";

    /**
     * The lines about the team being away or silent. Each may be left out of the file for its default.
     *
     * @param closedNotice the hand-over notice while closed (the conversation waits in the Inbox); {@link #OPENING}
     *        says when the team is back, in English ("Monday 09:00"): a catalogue in another language may leave it out
     * @param closedKeep the answer while closed when the bot keeps the conversation, {@link #OPENING} likewise
     * @param openAgain the offer of a person once the team is back, after {@code closedKeep}
     * @param nobodyAnswered the bot took back a hand-over nobody answered
     * @param sorryForSilence sent before the bot's next answer after a hand-over lapsed unanswered
     */
    public record Away(String closedNotice, String closedKeep, String openAgain, String nobodyAnswered,
            String sorryForSilence) {
        public static final Away DEFAULT = new Away(
                "We're closed now. A person will reply from " + OPENING + ". You can leave your message here.",
                "We're closed now; our team is back " + OPENING + ". I'll offer you a person then, or ask me "
                        + "anything meanwhile.",
                "Our team is back. Would you still like to talk to a person?",
                "Sorry, nobody from our team could answer this time. Tap \"Talk to a person\" to ask again, or ask "
                        + "me anything.",
                "Sorry nobody got back to you.");

        List<String> all() {
            return List.of(closedNotice, closedKeep, openAgain, nobodyAnswered, sorryForSilence);
        }
    }

    /**
     * The satisfaction question after Done and its quick replies; each may be left out of the file for its default.
     */
    public record Survey(String question, String yes, String no, String thanks) {
        public static final Survey DEFAULT = new Survey("Did we solve your problem?", "Yes", "No",
                "Thanks for telling us!");
    }

    /** Catalogues written before languages were declared were English. */
    static final List<String> DEFAULT_LANGUAGES = List.of("en");

    /** An answer, the payloads that select it (postbacks, quick replies) and the keywords that match it in text. */
    public record Entry(String id, List<String> keywords, List<String> payloads, String answer) {
        public Entry {
            keywords = keywords.stream().map(Text::normalize).toList();
            payloads = List.copyOf(payloads);
        }

        boolean matchesText(String normalized) {
            var padded = " " + normalized + " ";
            return keywords.stream().anyMatch(k -> padded.contains(" " + k + " "));
        }
    }

    public BotCatalogue {
        faqs = List.copyOf(faqs);
        languages = List.copyOf(new LinkedHashSet<>(languages));
        if (languages.isEmpty()) {
            throw new IllegalArgumentException("bot catalogue: \"languages\" is empty; leave it out for [\"en\"]");
        }
        for (String code : languages) {
            if (!HumanIntentMatcher.languages().contains(code)) {
                var known = String.join(", ", HumanIntentMatcher.languages());
                throw new IllegalArgumentException("bot catalogue: \"languages\" has \"" + code
                        + "\", not a language with a lexicon (known: " + known + ")");
            }
        }
        quickReplyTitle("talkToPersonTitle", talkToPersonTitle);
        quickReplyTitle("survey.yes", survey.yes());
        quickReplyTitle("survey.no", survey.no());
    }

    /** The catalogue without the away lines and survey of its own: the defaults. */
    public BotCatalogue(Entry greeting, List<Entry> faqs, String fallback, String offerPerson, String talkToPersonTitle,
            String handoffNotice, String handoffFailed, String welcomeBack, List<String> languages) {
        this(greeting, faqs, fallback, offerPerson, talkToPersonTitle, handoffNotice, handoffFailed, welcomeBack,
                languages, Away.DEFAULT, Survey.DEFAULT);
    }

    private static void quickReplyTitle(String field, String title) {
        if (title.length() > QUICK_REPLY_TITLE_LIMIT) {
            throw new IllegalArgumentException("bot catalogue: \"" + field + "\" is a quick reply's title: at most "
                    + QUICK_REPLY_TITLE_LIMIT + " characters");
        }
    }

    /** {@code line} with {@link #OPENING} replaced by when the team is back. */
    public static String opening(String line, String when) {
        return line.replace(OPENING, when);
    }

    /** The Send API cuts a quick reply's title at 20 characters; Graph refuses longer ones. */
    public static final int QUICK_REPLY_TITLE_LIMIT = 20;

    /** The longest text the bot may send: each account checks it against its platform's limit at start-up. */
    public String longestText() {
        var texts = new ArrayList<String>(List.of(greeting.answer(), fallback, offerPerson, handoffNotice,
                handoffFailed, welcomeBack, survey.question(), survey.thanks()));
        faqs.forEach(f -> texts.add(f.answer()));
        // With the longest an opening reads.
        away.all().forEach(t -> texts.add(opening(t, "Wednesday 30 September 2027 09:00")));
        return texts.stream().max(java.util.Comparator.comparingInt(String::length)).orElse("");
    }

    /** The entry for a payload, else the first entry (greeting first, then FAQs in file order) a keyword matches. */
    public Optional<Entry> answerFor(String payload, String text) {
        var all = new ArrayList<Entry>(faqs.size() + 1);
        all.add(greeting);
        all.addAll(faqs);
        if (payload != null) {
            var byPayload = all.stream().filter(e -> e.payloads().contains(payload)).findFirst();
            if (byPayload.isPresent()) {
                return byPayload;
            }
        }
        var normalized = Text.normalize(text);
        if (normalized.isEmpty()) {
            return Optional.empty();
        }
        // FAQs before the greeting: "hi, where is my order?" wants the order answer.
        return all.subList(1, all.size()).stream().filter(e -> e.matchesText(normalized)).findFirst()
                .or(() -> greeting.matchesText(normalized) ? Optional.of(greeting) : Optional.empty());
    }

    public static BotCatalogue read(InputStream in) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        var faqs = new ArrayList<Entry>();
        root.path("faqs").forEach(f -> faqs.add(entry(f)));
        return new BotCatalogue(entry(root.path("greeting")), faqs, required(root, "fallback"),
                required(root, "offerPerson"), required(root, "talkToPersonTitle"), required(root, "handoffNotice"),
                required(root, "handoffFailed"), required(root, "welcomeBack"), languages(root.path("languages")),
                away(root.path("away")), survey(root.path("survey")));
    }

    private static Away away(JsonNode node) {
        var d = Away.DEFAULT;
        var away = new Away(optional(node, "closedNotice", d.closedNotice()), optional(node, "closedKeep",
                d.closedKeep()), optional(node, "openAgain", d.openAgain()), optional(node, "nobodyAnswered",
                d.nobodyAnswered()), optional(node, "sorryForSilence", d.sorryForSilence()));
        return away;
    }

    private static Survey survey(JsonNode node) {
        var d = Survey.DEFAULT;
        return new Survey(optional(node, "question", d.question()), optional(node, "yes", d.yes()),
                optional(node, "no", d.no()), optional(node, "thanks", d.thanks()));
    }

    private static String optional(JsonNode node, String field, String fallback) {
        var v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException("bot catalogue: \"" + field + "\" must be a text, or left out");
        }
        return v.asText();
    }

    private static List<String> languages(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return DEFAULT_LANGUAGES;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(
                    "bot catalogue: \"languages\" must be a list of ISO 639-1 codes, e.g. [\"en\", \"fr\"]");
        }
        var codes = new ArrayList<String>();
        // A code that is not text (a number, a list) is reported as written.
        node.forEach(c -> codes.add(c.isTextual() ? c.asText().trim().toLowerCase(Locale.ROOT) : c.toString()));
        return codes;
    }

    private static Entry entry(JsonNode node) {
        var keywords = new ArrayList<String>();
        node.path("keywords").forEach(k -> keywords.add(k.asText()));
        var payloads = new ArrayList<String>();
        node.path("payloads").forEach(p -> payloads.add(p.asText()));
        return new Entry(node.path("id").asText("entry"), keywords, payloads, required(node, "answer"));
    }

    private static String required(JsonNode node, String field) {
        var value = node.path(field).asText(null);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("bot catalogue: \"" + field + "\" is missing");
        }
        return value;
    }
}
