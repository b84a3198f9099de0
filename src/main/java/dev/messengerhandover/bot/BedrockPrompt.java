package dev.messengerhandover.bot;

import java.util.Locale;

import dev.messengerhandover.handover.BotCatalogue;

/**
 * The system prompt of a Bedrock bot, built once per account at start-up from its catalogue (the greeting, every FAQ
 * answer as a fact it may use, its languages) and an optional knowledge text: what the model may say, and when it
 * must hand over instead ({@code hand_over_to_person}). Deterministic: the same catalogue gives the same prompt.
 */
public final class BedrockPrompt {

    /** The one tool the model may call. */
    public static final String HAND_OVER = "hand_over_to_person";

    private BedrockPrompt() {
    }

    public static String of(BotCatalogue catalogue, String knowledge) {
        var p = new StringBuilder();
        p.append("You are the automated assistant of a business, answering its customers in a chat. You are not a ")
                .append("person and never claim to be one.\n");
        p.append("Answer only from the facts below. Never invent orders, prices, dates, accounts or anything else ")
                .append("the facts do not say. Keep answers short: one to three sentences.\n");
        p.append("Call the tool ").append(HAND_OVER).append(" (with a short reason) when the customer asks for a ")
                .append("person, is upset, or needs something the facts do not cover; do not answer then.\n");
        var languages = catalogue.languages().stream().map(l -> Locale.forLanguageTag(l).getDisplayLanguage(
                Locale.ENGLISH)).toList();
        p.append("Answer in the customer's language if it is one of: ").append(String.join(", ", languages))
                .append("; otherwise in ").append(languages.isEmpty() ? "English" : languages.get(0)).append(".\n");
        p.append("\nFacts:\n");
        p.append("- Greeting: ").append(catalogue.greeting().answer()).append('\n');
        for (var faq : catalogue.faqs()) {
            p.append("- ").append(faq.answer()).append('\n');
        }
        if (knowledge != null && !knowledge.isBlank()) {
            p.append("\nMore facts:\n").append(knowledge.strip()).append('\n');
        }
        return p.toString();
    }
}
