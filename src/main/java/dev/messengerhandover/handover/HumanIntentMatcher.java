package dev.messengerhandover.handover;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Does a free-text message ask for a human? A small lexicon rather than one keyword: people write "agent please",
 * "can I talk to a real person", "speak to someone from support", "humna pls". A request needs either a phrase that
 * only means that ("live agent", "customer service") or a verb of contact near a word for a person. Questions about
 * the bot itself ("are you a human?") and refusals ("no need for an agent") do not count.
 */
public final class HumanIntentMatcher {

    /** Whole phrases that ask for a person on their own. */
    private static final List<String> PHRASES = List.of(
            "real person", "real human", "live agent", "live person", "live chat", "live support", "human agent",
            "customer service", "customer support", "customer care", "representative", "operator",
            "someone real", "somebody real", "actual person", "actual human", "not a bot", "not a robot",
            "talk to someone", "speak to someone", "talk to somebody", "speak to somebody", "chat with someone",
            "talk with someone", "speak with someone", "human please", "agent please", "person please",
            "get me a human", "get me a person", "get me an agent");

    /** Words for a person at the Page. */
    private static final Set<String> PERSONS = Set.of("human", "person", "agent", "someone", "somebody", "staff",
            "employee", "manager", "rep", "advisor", "adviser", "consultant", "humans", "persons", "agents");

    /** Words that ask for contact; a person word alone ("human") counts only as a whole short message. */
    private static final Set<String> ASKS = Set.of("talk", "speak", "chat", "connect", "transfer", "contact", "reach",
            "want", "need", "get", "call", "give", "put", "pls", "please", "plz");

    private static final Pattern ABOUT_THE_BOT = Pattern.compile(
            "^(are|r) (you|u) (a |an )?(real |actual )?(human|person|bot|robot|agent)\\b.*");
    private static final Pattern REFUSAL = Pattern.compile(
            "\\b(no|dont|do not|don t|never|without) (need |want )?(for )?(a |an |any |to )?"
            + "(human|person|agent|someone|people|talk|speak)\\b");

    /** Person words must match within this many tokens of an ask. */
    private static final int WINDOW = 5;

    public boolean asksForHuman(String message) {
        var text = Text.normalize(message);
        if (text.isEmpty() || ABOUT_THE_BOT.matcher(text).matches() || REFUSAL.matcher(text).find()) {
            return false;
        }
        var padded = " " + text + " ";
        for (String phrase : PHRASES) {
            if (padded.contains(" " + phrase + " ")) {
                return true;
            }
        }
        var tokens = text.split(" ");
        for (int i = 0; i < tokens.length; i++) {
            if (!isPerson(tokens[i])) {
                continue;
            }
            if (tokens.length <= 2) {
                return true; // "human", "agent pls", "humna"
            }
            for (int j = Math.max(0, i - WINDOW); j < i; j++) {
                if (isAsk(tokens[j])) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isPerson(String token) {
        return matches(PERSONS, token);
    }

    private static boolean isAsk(String token) {
        return matches(ASKS, token);
    }

    /** Exact, or one typo away for words long enough that a typo cannot turn them into another word. */
    private static boolean matches(Set<String> words, String token) {
        if (words.contains(token)) {
            return true;
        }
        if (token.length() < 5) {
            return false;
        }
        for (String w : words) {
            if (w.length() >= 5 && Math.abs(w.length() - token.length()) <= 1 && withinOneEdit(w, token)) {
                return true;
            }
        }
        return false;
    }

    /** Damerau-Levenshtein distance at most 1 (one insertion, deletion, substitution or swap of neighbours). */
    static boolean withinOneEdit(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        int la = a.length();
        int lb = b.length();
        if (la == lb) {
            int first = -1;
            int diffs = 0;
            for (int i = 0; i < la; i++) {
                if (a.charAt(i) != b.charAt(i)) {
                    if (diffs++ == 0) {
                        first = i;
                    }
                }
            }
            if (diffs == 1) {
                return true;
            }
            return diffs == 2 && first + 1 < la && a.charAt(first) == b.charAt(first + 1)
                    && a.charAt(first + 1) == b.charAt(first) && a.substring(first + 2).equals(b.substring(first + 2));
        }
        if (Math.abs(la - lb) != 1) {
            return false;
        }
        var longer = la > lb ? a : b;
        var shorter = la > lb ? b : a;
        int i = 0;
        while (i < shorter.length() && shorter.charAt(i) == longer.charAt(i)) {
            i++;
        }
        return shorter.substring(i).equals(longer.substring(i + 1));
    }
}
