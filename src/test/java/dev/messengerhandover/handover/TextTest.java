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

    @Test
    void splitCutsAfterASentenceElseBetweenWordsNeverInsideOne() {
        assertThat(Text.split("  Short.  ", 10)).containsExactly("Short.");
        assertThat(Text.split("   ", 10)).isEmpty();
        assertThat(Text.split(null, 10)).isEmpty();
        var two = "First sentence here. Second one follows it.";
        assertThat(Text.split(two, 30)).containsExactly("First sentence here.", "Second one follows it.");
        assertThat(Text.split("one two three four five six", 10)).containsExactly("one two", "three four", "five six");
        // Only a word longer than a whole piece is cut, and never inside a surrogate pair.
        assertThat(Text.split("abcdefghijkl", 5)).containsExactly("abcde", "fghij", "kl");
        assertThat(Text.split("ab👋👋👋", 3)).allSatisfy(p -> assertThat(Character.isHighSurrogate(
                p.charAt(p.length() - 1))).isFalse());
    }

    /** Whatever the text, the pieces are within the limit, keep every word whole where one fits, and lose nothing. */
    @Test
    void splitKeepsEveryPieceWithinTheLimitAndEveryWord() {
        dev.messengerhandover.testing.Seeded.forEachCase(3000, random -> {
            var text = dev.messengerhandover.testing.Conversations.text(random);
            int max = 5 + random.nextInt(300);
            var pieces = Text.split(text, max);
            assertThat(pieces).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(max).isPositive());
            assertThat(noSpace(String.join("", pieces))).isEqualTo(noSpace(text));
            for (var word : words(text)) {
                if (!word.isEmpty() && word.length() <= max / 2) {
                    assertThat(pieces).as("a piece holding \"%s\" whole (limit %d)", word, max)
                            .anyMatch(p -> p.contains(word));
                }
            }
        });
    }

    private static String noSpace(String s) {
        var out = new StringBuilder();
        s.chars().filter(c -> !Character.isWhitespace(c)).forEach(c -> out.append((char) c));
        return out.toString();
    }

    private static java.util.List<String> words(String s) {
        var words = new java.util.ArrayList<String>();
        var word = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (Character.isWhitespace(c)) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                }
                word.setLength(0);
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }
}
