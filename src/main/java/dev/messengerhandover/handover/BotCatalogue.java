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
        List<String> languages) {

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
        if (talkToPersonTitle.length() > QUICK_REPLY_TITLE_LIMIT) {
            throw new IllegalArgumentException("bot catalogue: \"talkToPersonTitle\" is a quick reply's title: at most "
                    + QUICK_REPLY_TITLE_LIMIT + " characters");
        }
    }

    /** The Send API cuts a quick reply's title at 20 characters; Graph refuses longer ones. */
    public static final int QUICK_REPLY_TITLE_LIMIT = 20;

    /** The longest text the bot may send: each account checks it against its platform's limit at start-up. */
    public String longestText() {
        var texts = new ArrayList<String>(List.of(greeting.answer(), fallback, offerPerson, handoffNotice,
                handoffFailed, welcomeBack));
        faqs.forEach(f -> texts.add(f.answer()));
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
                required(root, "handoffFailed"), required(root, "welcomeBack"), languages(root.path("languages")));
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
