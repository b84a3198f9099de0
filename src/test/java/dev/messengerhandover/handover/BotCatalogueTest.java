package dev.messengerhandover.handover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class BotCatalogueTest {

    @Test
    void theDeclaredLanguagesAreRead() throws IOException {
        assertThat(read("\"languages\": [\"en\", \"fr\"],").languages()).containsExactly("en", "fr");
        assertThat(read("\"languages\": [\"de\", \"ES\", \"de\"],").languages()).as("lower case, once each")
                .containsExactly("de", "es");
    }

    @Test
    void aCatalogueWithoutLanguagesIsEnglish() throws IOException {
        assertThat(read("").languages()).containsExactly("en");
        assertThat(read("\"languages\": null,").languages()).containsExactly("en");
    }

    @Test
    void anUnknownLanguageStopsStartUpNamingTheFieldAndTheCode() {
        assertThatThrownBy(() -> read("\"languages\": [\"en\", \"xx\"],"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bot catalogue: \"languages\"").hasMessageContaining("\"xx\"")
                .hasMessageContaining("en, fr, es, de");
        assertThatThrownBy(() -> read("\"languages\": [\"en\", 7],")).hasMessageContaining("\"7\"");
        assertThatThrownBy(() -> read("\"languages\": \"en\",")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bot catalogue: \"languages\" must be a list");
        assertThatThrownBy(() -> read("\"languages\": [],")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bot catalogue: \"languages\" is empty");
    }

    @Test
    void theBuiltInCatalogueDeclaresEveryLexicon() throws IOException {
        try (var in = getClass().getClassLoader().getResourceAsStream("bot-catalogue.json")) {
            var catalogue = BotCatalogue.read(in);
            assertThat(catalogue.languages()).containsExactlyElementsOf(HumanIntentMatcher.languages());
            assertThat(HumanIntentMatcher.forLanguages(catalogue.languages())
                    .asksForHuman("je veux parler à un conseiller")).isTrue();
        }
    }

    /** A catalogue with every required field, and {@code languages} (with its comma) as given. */
    private static BotCatalogue read(String languages) throws IOException {
        var json = "{" + languages + """
                "greeting": {"id": "greeting", "keywords": ["hi"], "answer": "Hi!"},
                "fallback": "f", "offerPerson": "o", "talkToPersonTitle": "t", "handoffNotice": "n",
                "handoffFailed": "x", "welcomeBack": "w"}""";
        return BotCatalogue.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }
}
