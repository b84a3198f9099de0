package dev.messengerhandover.handover;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Small text helpers shared by the rules. */
public final class Text {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    // Phones type the typographic apostrophe: "don’t" and "quelqu’un" must read as "dont" and "quelquun".
    private static final Pattern APOSTROPHES = Pattern.compile("['\u2019\u02BC]");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}'\u2019\u02BC]+");

    private Text() {
    }

    /** Lower case, accents off, apostrophes out, other punctuation to single spaces: made comparable. */
    public static String normalize(String s) {
        if (s == null) {
            return "";
        }
        var folded = MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFD)).replaceAll("");
        var spaced = NON_WORD.matcher(folded.toLowerCase(Locale.ROOT)).replaceAll(" ");
        return APOSTROPHES.matcher(spaced).replaceAll("").trim();
    }

    /** At most {@code max} characters (an ellipsis marks a cut), never cutting a surrogate pair in half. */
    public static String clip(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        if (max <= 1) {
            return max == 1 ? "…" : "";
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }

    /**
     * {@code text} in pieces of at most {@code max} characters each: cut after the last sentence that ends in a piece,
     * else between words; only a word longer than a whole piece is cut (never inside a surrogate pair). A blank text
     * is no piece.
     */
    public static java.util.List<String> split(String text, int max) {
        var pieces = new java.util.ArrayList<String>();
        var rest = text == null ? "" : text.strip();
        while (rest.length() > max) {
            // A sentence's end, unless it leaves most of the piece empty; then between words.
            int cut = sentenceEnd(rest, max);
            if (cut < max / 2) {
                cut = max;
                while (cut > 0 && !Character.isWhitespace(rest.charAt(cut))) {
                    cut--;
                }
            }
            if (cut <= 0) {
                cut = Character.isHighSurrogate(rest.charAt(max - 1)) ? max - 1 : max;
            }
            var piece = rest.substring(0, cut).strip();
            if (!piece.isEmpty()) {
                pieces.add(piece);
            }
            rest = rest.substring(cut).strip();
        }
        if (!rest.isEmpty()) {
            pieces.add(rest);
        }
        return pieces;
    }

    /** Where the last sentence ending in the first {@code max} characters ends (after its mark), or -1. */
    private static int sentenceEnd(String s, int max) {
        for (int i = Math.min(max, s.length()) - 1; i > 0; i--) {
            char c = s.charAt(i - 1);
            if ((c == '.' || c == '!' || c == '?' || c == '。' || c == '\n') && Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
