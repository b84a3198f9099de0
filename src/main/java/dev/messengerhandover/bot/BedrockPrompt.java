package dev.messengerhandover.bot;

import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.messengerhandover.handover.BotCatalogue;

/**
 * The system prompt of {@code handover.bot=bedrock}, made from what the account already has: its catalogue's greeting
 * and FAQ answers (the facts the model may use), the catalogue's languages, and an optional knowledge text (Markdown)
 * of more facts. Short, and the same text for the same input (it is built once per account at start-up): the rules
 * first (never a person, nothing invented, only the facts, the user's language, {@value #TOOL} when a person is
 * wanted or the facts do not help), then the facts.
 */
public final class BedrockPrompt {

    /** The one tool the model is given: asking for a person, with a reason. */
    public static final String TOOL = "hand_over_to_person";
    /** The heading of the facts, one {@code - id: answer} line each (the stand-in reads them back). */
    public static final String FACTS = "Facts:";
    static final String MORE_FACTS = "More facts:";
    static final String GREETING = "Greeting, for a hello:";

    private BedrockPrompt() {
    }

    public static String of(BotCatalogue catalogue, Optional<String> knowledge) {
        var languages = catalogue.languages().stream().map(BedrockPrompt::languageName)
                .collect(Collectors.joining(", "));
        var prompt = new StringBuilder(1024);
        prompt.append("You are the automated assistant of a business, answering its customers in a chat.\n")
                .append("- You are a program, not a person: never say or suggest that you are one.\n")
                .append("- Answer only from the facts below. Never invent or guess anything else, least of all ")
                .append("orders, deliveries, payments, accounts or personal data: you cannot look anything up.\n")
                .append("- When the user asks for a person (a human, an agent, someone from the team), or when the ")
                .append("facts do not let you help, call the tool ").append(TOOL)
                .append(" with a short reason instead of answering.\n")
                .append("- Answer in the user's language when it is one of: ").append(languages)
                .append("; otherwise in ").append(languageName(catalogue.languages().getFirst())).append(".\n")
                .append("- Keep answers short: at most three sentences of plain text, no Markdown.\n\n");
        prompt.append(GREETING).append('\n').append(catalogue.greeting().answer().strip()).append("\n\n");
        prompt.append(FACTS).append('\n');
        catalogue.faqs().forEach(f -> prompt.append("- ").append(f.id()).append(": ")
                .append(f.answer().strip().replaceAll("\\s*\\n\\s*", " ")).append('\n'));
        knowledge.map(String::strip).filter(k -> !k.isEmpty())
                .ifPresent(k -> prompt.append('\n').append(MORE_FACTS).append('\n').append(k).append('\n'));
        return prompt.toString();
    }

    /** "French (fr)": the model reads names better than codes; the code keeps them apart. */
    private static String languageName(String code) {
        return Locale.forLanguageTag(code).getDisplayLanguage(Locale.ENGLISH) + " (" + code + ")";
    }
}
