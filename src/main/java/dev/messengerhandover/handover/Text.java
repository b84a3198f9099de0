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
}
