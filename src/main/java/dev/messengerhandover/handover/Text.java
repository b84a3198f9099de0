package dev.messengerhandover.handover;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Small text helpers shared by the rules. */
public final class Text {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}']+");

    private Text() {
    }

    /** Lower case, accents off, punctuation to single spaces: what people type, made comparable. */
    public static String normalize(String s) {
        if (s == null) {
            return "";
        }
        var folded = MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFD)).replaceAll("");
        return NON_WORD.matcher(folded.toLowerCase(Locale.ROOT)).replaceAll(" ").replace("'", "").trim();
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
