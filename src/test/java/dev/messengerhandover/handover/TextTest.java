package dev.messengerhandover.handover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void normalizeFoldsCaseAccentsPunctuationAndBothApostrophes() {
        assertThat(Text.normalize("Je veux parler à quelqu'un… VITE!")).isEqualTo("je veux parler a quelquun vite");
        assertThat(Text.normalize("I don’t want a bot")).isEqualTo("i dont want a bot");
        assertThat(Text.normalize("  Ich möchte, bitte.  ")).isEqualTo("ich mochte bitte");
        assertThat(Text.normalize(null)).isEmpty();
        assertThat(Text.normalize("’ ' ?")).isEmpty();
    }

    @Test
    void clipKeepsShortTextAndCutsLongTextToAtMostTheLimit() {
        assertThat(Text.clip("hello", 5)).isEqualTo("hello");
        assertThat(Text.clip("hello", 4)).isEqualTo("hel…");
        assertThat(Text.clip(null, 3)).isNull();
        for (int max = -2; max <= 7; max++) {
            var clipped = Text.clip("a longer text", max);
            assertThat(clipped.length()).as("max %d", max).isLessThanOrEqualTo(Math.max(0, max));
        }
        assertThat(Text.clip("abc", 1)).isEqualTo("…");
        assertThat(Text.clip("abc", 0)).isEmpty();
    }

    @Test
    void clipNeverSplitsASurrogatePair() {
        var text = "ab👋cd";
        assertThat(Text.clip(text, 4)).isEqualTo("ab…");
        assertThat(Text.clip(text, 5)).isEqualTo("ab👋…");
    }
}
