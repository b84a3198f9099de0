package dev.messengerhandover.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.messengerhandover.handover.BotCatalogue;

/** The system prompt made of the account's catalogue and knowledge: the rules the model is held to, and the facts. */
class BedrockPromptTest {

    static BotCatalogue catalogue() {
        try (var in = BedrockPromptTest.class.getResourceAsStream("/bot-catalogue.json")) {
            return BotCatalogue.read(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theRulesComeFirstThenTheGreetingAndEveryAnswerAsFacts() {
        var catalogue = catalogue();
        var prompt = BedrockPrompt.of(catalogue, Optional.empty());

        assertThat(prompt).contains("never say or suggest that you are one")
                .contains("Never invent or guess anything else, least of all orders")
                .contains("Answer only from the facts below")
                .contains("call the tool hand_over_to_person")
                .contains("When the user asks for a person").contains("or when the facts do not let you help")
                .contains("Answer in the user's language when it is one of: English (en), French (fr), Spanish (es), "
                        + "German (de); otherwise in English (en).")
                .contains(catalogue.greeting().answer())
                .contains("Facts:\n- hours: We're open Monday to Saturday, 9:00 to 18:00.\n- delivery: ")
                .doesNotContain("More facts:");
        catalogue.faqs().forEach(f -> assertThat(prompt).contains("- " + f.id() + ": " + f.answer() + "\n"));
        assertThat(prompt.indexOf("hand_over_to_person")).isLessThan(prompt.indexOf("Facts:"));
        assertThat(prompt.length()).as("short: read with every question").isLessThan(2_000);
    }

    @Test
    void knowledgeIsAddedAsMoreFactsAndTheSameInputGivesTheSameText() {
        var knowledge = "## Gift cards\nGift cards are valid for 2 years.\n";

        var prompt = BedrockPrompt.of(catalogue(), Optional.of(knowledge));

        assertThat(prompt).endsWith("\nMore facts:\n## Gift cards\nGift cards are valid for 2 years.\n");
        assertThat(BedrockPrompt.of(catalogue(), Optional.of(knowledge))).isEqualTo(prompt);
        assertThat(BedrockPrompt.of(catalogue(), Optional.of("  \n"))).isEqualTo(BedrockPrompt.of(catalogue(),
                Optional.empty()));
    }
}
