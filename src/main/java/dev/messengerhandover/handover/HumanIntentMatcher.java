package dev.messengerhandover.handover;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Does a free-text message ask for a human? A small lexicon per language rather than one keyword: people write
 * "agent please", "can someone from support call me", "je veux parler à un conseiller", "kein Bot", "humna pls".
 *
 * <p>Each declared language reads the message on its own, and any one that reads a request is enough (so declaring
 * a language only ever adds hand-overs). A lexicon first blanks out questions about the bot ("are you a human?") and
 * person words in another sense ("agent license", "travel agent", "support hours"); then turning down the bot ("not
 * a bot", "pas un robot") is a request, a refusal ("no need for an agent") is not, and otherwise a request needs a
 * phrase that only means that ("live agent", "service client") or a person word near a word that asks for it.
 */
public final class HumanIntentMatcher {

    /** An ask word counts up to this many tokens before a person word ("talk to a real person"). */
    private static final int BEFORE = 5;
    /** A follow-up counts when it starts up to this many tokens after one ("someone from support call me"). */
    private static final int AFTER = 3;

    /**
     * One language's words, all written as {@link Text#normalize} leaves them: lower case, no accents, no
     * apostrophes ("quelqu'un" is "quelquun", "d'un" is "dun"). Patterns have no unbounded gaps, so they stay
     * linear in the text.
     *
     * @param phrases     ask for a person on their own
     * @param persons     words for a person at the Page (one typo allowed from five letters on)
     * @param asks        ask for the person word that follows ("talk", "parler")
     * @param follows     ask for the person word they follow ("please", "call me", "sprechen")
     * @param notTheBot   turning the bot down, a request in itself ("I don't want to talk to a bot")
     * @param refusal     turning a person down ("no need for an agent")
     * @param aboutTheBot questions about who answers ("are you a human?"), blanked out before anything else
     * @param otherSenses person or support words that are about something else, also blanked out
     */
    record Lexicon(List<String> phrases, Set<String> persons, Set<String> asks, List<String> follows,
            Pattern notTheBot, Pattern refusal, Pattern aboutTheBot, Pattern otherSenses) {

        boolean asksForHuman(String normalized) {
            var text = otherSenses.matcher(aboutTheBot.matcher(normalized).replaceAll(" ")).replaceAll(" ").trim();
            if (text.isEmpty()) {
                return false;
            }
            // Before the refusal: "I don't want to talk to a bot" reads as one too.
            if (notTheBot.matcher(text).find()) {
                return true;
            }
            if (refusal.matcher(text).find()) {
                return false;
            }
            var tokens = text.split(" +");
            var padded = " " + String.join(" ", tokens) + " ";
            for (String phrase : phrases) {
                if (padded.contains(" " + phrase + " ")) {
                    return true;
                }
            }
            int[] starts = new int[tokens.length];
            for (int i = 0, at = 1; i < tokens.length; at += tokens[i].length() + 1, i++) {
                starts[i] = at;
            }
            for (int i = 0; i < tokens.length; i++) {
                if (!matches(persons, tokens[i])) {
                    continue;
                }
                if (tokens.length <= 2) {
                    return true; // "human", "agent pls", "humna", "Mitarbeiter bitte"
                }
                for (int j = Math.max(0, i - BEFORE); j < i; j++) {
                    if (matches(asks, tokens[j])) {
                        return true;
                    }
                }
                for (int j = i + 1; j <= i + AFTER && j < tokens.length; j++) {
                    for (String follow : follows) {
                        if (startsAt(padded, starts[j], follow)) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        /** Whole tokens: padded ends in a space, so a phrase that fits is followed by a character. */
        private static boolean startsAt(String padded, int at, String phrase) {
            return padded.startsWith(phrase, at) && padded.charAt(at + phrase.length()) == ' ';
        }
    }

    private static final String EN_BOT = "(?:bot|bots|robot|robots|chatbot|machine|ai)";
    private static final String EN_WHO =
            "(?:a |an )?(?:real |actual )?(?:human|person|bot|robot|chatbot|agent|machine|ai)s?";

    private static final Lexicon ENGLISH = new Lexicon(
            List.of("real person", "real human", "live agent", "live person", "live chat", "live support",
                    "human agent", "customer service", "customer services", "customer support", "customer care",
                    "representative", "operator", "someone real", "somebody real", "actual person", "actual human"),
            Set.of("human", "humans", "person", "persons", "people", "agent", "agents", "someone", "somebody",
                    "anyone", "anybody", "staff", "employee", "manager", "rep", "advisor", "adviser", "consultant"),
            Set.of("talk", "talking", "speak", "speaking", "chat", "connect", "transfer", "contact", "reach", "want",
                    "need", "get", "call", "give", "put", "escalate", "prefer", "request", "pls", "please", "plz"),
            List.of("please", "pls", "plz", "call me", "contact me", "help me", "reach out", "get in touch",
                    "available"),
            // A bare "not a bot" after "I'm" is about the user ("I'm not a robot"); with a verb it is not.
            Pattern.compile("(?<!\\bim |\\bi am )\\bnot (?:a |an |the )?" + EN_BOT + "\\b"
                    + "|\\bno (?:more )?(?:a |an |the |any )?" + EN_BOT + "\\b"
                    + "|\\b(?:not|dont|do not|never) (?:want to |need to |like to |wanna )?"
                    + "(?:want|need|like|talk|talking|speak|speaking|chat|chatting) (?:to |with )?"
                    + "(?:a |an |the |any |this |your |some )?(?:stupid |dumb )?" + EN_BOT + "\\b"),
            Pattern.compile("\\b(?:no|not|dont|do not|don t|never|without) (?:need |want |wanna )?(?:for |to )?"
                    + "(?:a |an |any |to |the )?(?:human|person|agent|someone|somebody|anyone|people|talk|talking|"
                    + "speak|speaking|transfer|connect)\\b"),
            Pattern.compile("\\b(?:(?:are|r) (?:you|u)|(?:is|am) (?:this|that|it|i)(?: talking| speaking| chatting)?"
                    + "(?: to| with)?) (?:not )?(?:really )?" + EN_WHO + "(?: or " + EN_WHO + ")?\\b"),
            // A question about when support is open is not a request to reach it now; "customer support" alone is.
            Pattern.compile("\\b(?:ai|travel|estate|insurance|booking|secret|software) agents?\\b"
                    + "|\\bagents? (?:license|licence|licenses|licences|plan|plans|seat|seats|pricing|price|prices|"
                    + "tier|tiers|software|id|number|code|fee|fees|commission)\\b"
                    + "|\\b(?:sell|sells|selling|buy|buying|rent|lease|price of|cost of|per) "
                    + "(?:an |the |your |more |extra )?agents?\\b"
                    + "|\\b(?:customer |live |tech |technical )?(?:support|service|services|care|chat|helpdesk)"
                    + "(?: team| line| desk)? (?:hours|hour|times|schedule|opening|open|opens|close|closes|closed|"
                    + "closing)\\b"
                    + "|\\b(?:hours|opening hours|opening times|times) (?:of|for) (?:the |your )?(?:customer |live )?"
                    + "(?:support|service|care|chat)\\b"
                    + "|\\bwhen (?:is|are|will) (?:a |an |the |your )?(?:human|person|agent|agents|someone|anyone|"
                    + "staff|support)(?: be)? available\\b"));

    private static final String FR_BOT = "(?:robot|robots|bot|bots|chatbot|machine|ia)";
    private static final String FR_PERSON = "(?:humain|humains|lhumain|personne|conseiller|conseillere|conseillers|"
            + "agent|agents|lagent|quelquun|operateur|operatrice|loperateur|interlocuteur|responsable|employe)";
    private static final String FR_WHO = "(?:un |une )?(?:vrai |vraie )?(?:robot|bot|chatbot|humain|personne|machine|"
            + "ia|ordinateur)s?";

    private static final Lexicon FRENCH = new Lexicon(
            List.of("service client", "service clients", "service clientele", "relation client", "vrai humain",
                    "vraie personne", "vrai conseiller", "personne reelle"),
            Set.of("humain", "humains", "lhumain", "personne", "conseiller", "conseillere", "conseillers", "agent",
                    "agents", "lagent", "quelquun", "operateur", "operatrice", "loperateur", "interlocuteur",
                    "responsable", "employe"),
            Set.of("parler", "discuter", "joindre", "contacter", "veux", "voudrais", "souhaite", "souhaiterais",
                    "jaimerais", "besoin", "passer", "passez", "mettre", "mettez", "relation", "transferer",
                    "transferez", "appeler", "demande", "svp", "stp"),
            List.of("sil vous plait", "sil te plait", "svp", "stp", "me rappeler", "me rappelle", "mappeler",
                    "mappelle", "me contacter", "me contacte", "maider", "disponible"),
            // "je ne suis pas un robot" is about the user.
            Pattern.compile("(?<!\\bsuis )\\b(?:pas|plus|jamais|non|sans) (?:besoin )?(?:parler |discuter )?"
                    + "(?:a |au |avec |de |d |du |dun |dune )?(?:un |une |le |la |ce |des )?" + FR_BOT + "\\b"),
            // "parler à personne" without an article is "talk to nobody".
            Pattern.compile("\\b(?:pas|plus|jamais|sans) (?:besoin )?(?:parler |discuter |passer par )?"
                    + "(?:a |au |avec |de |d |du |dun |dune |par )?(?:un |une |le |la |l |des )?" + FR_PERSON + "\\b"
                    + "|\\b(?:a|avec) personne\\b"),
            Pattern.compile("\\b(?:es tu|tu es|tes|etes vous|vous etes|tu nes pas|vous netes pas|est ce|"
                    + "je parle a|je parle avec|je suis avec) (?:vraiment )?" + FR_WHO + "(?: ou " + FR_WHO + ")?\\b"),
            Pattern.compile("\\bagents? (?:immobiliers?|de voyages?|dassurances?|d assurances?|secrets?)\\b"
                    + "|\\blicences? (?:d |dun |de |par |pour )?agents?\\b|\\blicences? dagents?\\b"
                    + "|\\b(?:horaires?|heures?)(?: douverture| d ouverture)? (?:du |de |des |de la |d )?"
                    + "(?:service client(?:ele)?|support|conseillers?|hotline)\\b"
                    + "|\\b(?:service client(?:ele)?|support|hotline) (?:est |est il |sera )?"
                    + "(?:ouvert|ouverte|ferme|fermee|ouvre)\\b"
                    + "|\\b(?:ouvre|ferme|ouvert|ouverte) (?:le |la )?(?:service client(?:ele)?|support|hotline)\\b"));

    private static final String ES_BOT = "(?:bot|bots|robot|robots|chatbot|maquina|ia)";
    private static final String ES_PERSON = "(?:persona|personas|humano|humana|agente|agentes|asesor|asesora|alguien|"
            + "operador|operadora|representante)";
    private static final String ES_WHO = "(?:un |una )?(?:bot|robot|chatbot|humano|humana|persona|maquina|ia|agente)"
            + "(?: real| de verdad)?";

    private static final Lexicon SPANISH = new Lexicon(
            List.of("atencion al cliente", "servicio al cliente", "persona real", "agente humano",
                    "persona de verdad", "humano de verdad"),
            Set.of("persona", "personas", "humano", "humana", "agente", "agentes", "asesor", "asesora", "alguien",
                    "operador", "operadora", "representante", "empleado", "encargado"),
            Set.of("hablar", "charlar", "chatear", "quiero", "quisiera", "necesito", "deseo", "comunicarme",
                    "comunicar", "contactar", "pasar", "pasame", "pasarme", "ponme", "ponerme", "comunicame",
                    "transferir", "llamar", "favor", "porfa", "porfavor"),
            List.of("por favor", "porfa", "porfavor", "me llame", "me llamen", "me puede llamar", "me contacte",
                    "me ayude", "me puede ayudar", "me atienda", "disponible"),
            // "no soy un robot" does not match: "soy" is not among the words allowed between.
            Pattern.compile("\\b(?:no|ni|sin) (?:quiero |necesito )?(?:hablar |chatear )?(?:con |a )?"
                    + "(?:un |una |el |la |ningun |ninguna |mas |otro )?" + ES_BOT + "\\b"),
            Pattern.compile("\\bno (?:quiero|necesito|deseo|hace falta|me hace falta|es necesario)"
                    + "(?: hablar| chatear)?(?: con| a)?(?: un| una| el| la| ningun| ninguna)? " + ES_PERSON + "\\b"
                    + "|\\bsin (?:hablar con )?(?:un |una )?" + ES_PERSON + "\\b"),
            Pattern.compile("\\b(?:eres|es usted|sois|estoy hablando con|hablo con|me atiende) " + ES_WHO
                    + "(?: o " + ES_WHO + ")?\\b"),
            Pattern.compile("\\bagentes? (?:de viajes?|inmobiliarios?|de seguros|de ia)\\b"
                    + "|\\blicencias? de agentes?\\b"
                    + "|\\b(?:horarios?|horas) (?:de |del )?(?:atencion|servicio|soporte)(?: al cliente)?\\b"
                    + "|\\b(?:abre|cierra|abren|cierran) (?:el |la )?(?:servicio|atencion|soporte)"
                    + "(?: al cliente)?\\b"));

    private static final String DE_BOT = "(?:bot|bots|roboter|chatbot|maschine|ki)";
    private static final String DE_PERSON = "(?:mensch|menschen|mitarbeiter|mitarbeiterin|berater|beraterin|person|"
            + "jemand|jemandem|jemanden|agent|agenten|ansprechpartner)";
    private static final String DE_WHO = "(?:ein |eine |einem |einer )?(?:echter |echte |echten |richtiger |richtige |"
            + "richtigen )?(?:bot|roboter|chatbot|mensch|menschen|person|maschine|ki|mitarbeiter|mitarbeiterin)";

    private static final Lexicon GERMAN = new Lexicon(
            List.of("echter mensch", "echten menschen", "echte person", "kundenservice", "kundendienst",
                    "kundensupport", "kundenbetreuung"),
            Set.of("mensch", "menschen", "mitarbeiter", "mitarbeiterin", "mitarbeitern", "berater", "beraterin",
                    "person", "jemand", "jemandem", "jemanden", "agent", "agenten", "ansprechpartner",
                    "kundenberater", "servicemitarbeiter"),
            // No "will": it is English too ("I will ask the agent").
            Set.of("sprechen", "reden", "chatten", "mochte", "mochten", "brauche", "brauchen", "verbinden",
                    "verbinde", "weiterleiten", "kontakt", "kontaktieren", "anrufen", "wunsche", "bitte", "gerne"),
            List.of("sprechen", "reden", "chatten", "bitte", "anrufen", "zuruckrufen", "kontaktieren", "helfen",
                    "verbinden"),
            // "ich bin kein Roboter" is about the user.
            Pattern.compile("(?<!\\bbin )\\b(?:kein|keine|keinen|keinem|nicht) (?:mit )?"
                    + "(?:einem |einer |dem |der |den )?" + DE_BOT + "\\b"),
            Pattern.compile("\\b(?:kein|keine|keinen|keinem|nicht) (?:mit )?(?:einem |einer |dem |der |den )?"
                    + DE_PERSON + "\\b"),
            Pattern.compile("\\b(?:bist du|sind sie|ist das|spreche ich mit|rede ich mit|chatte ich mit|"
                    + "schreibe ich mit) " + DE_WHO + "(?: oder " + DE_WHO + ")?\\b"),
            Pattern.compile("\\blizenz(?:en)? (?:fur |pro )?(?:einen |den )?agenten?\\b"
                    + "|\\b(?:offnungszeiten|servicezeiten|geschaftszeiten|sprechzeiten|erreichbarkeit) "
                    + "(?:des |der |vom |von |fur den |fur )?(?:kundenservice|kundendienst|kundensupport|supports?|"
                    + "service|hotline)\\b"
                    + "|\\b(?:kundenservice|kundendienst|kundensupport|support|hotline) "
                    + "(?:offnungszeiten|zeiten|geoffnet|erreichbar|offen)\\b"
                    + "|\\bwann (?:ist|hat|offnet|schliesst) (?:der |die |das |ihr |euer )?"
                    + "(?:kundenservice|kundendienst|kundensupport|support|hotline)\\b"));

    /** The lexicons by ISO 639-1 code, in the order they are tried. */
    private static final Map<String, Lexicon> LEXICONS = lexicons();

    private final List<Lexicon> lexicons;

    /** English only. */
    public HumanIntentMatcher() {
        this(List.of(ENGLISH));
    }

    private HumanIntentMatcher(List<Lexicon> lexicons) {
        this.lexicons = List.copyOf(lexicons);
    }

    /** A matcher for these ISO 639-1 codes (each one of {@link #languages()}); duplicates count once. */
    public static HumanIntentMatcher forLanguages(List<String> languages) {
        var chosen = new ArrayList<Lexicon>();
        for (String code : languages) {
            var lexicon = LEXICONS.get(code);
            if (lexicon == null) {
                throw new IllegalArgumentException("no lexicon for language \"" + code + "\" (known: "
                        + String.join(", ", LEXICONS.keySet()) + ")");
            }
            if (!chosen.contains(lexicon)) {
                chosen.add(lexicon);
            }
        }
        return new HumanIntentMatcher(chosen);
    }

    /** The ISO 639-1 codes that have a lexicon. */
    public static Set<String> languages() {
        return LEXICONS.keySet();
    }

    public boolean asksForHuman(String message) {
        var text = Text.normalize(message);
        if (text.isEmpty()) {
            return false;
        }
        for (var lexicon : lexicons) {
            if (lexicon.asksForHuman(text)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Lexicon> lexicons() {
        var byCode = new LinkedHashMap<String, Lexicon>();
        byCode.put("en", ENGLISH);
        byCode.put("fr", FRENCH);
        byCode.put("es", SPANISH);
        byCode.put("de", GERMAN);
        return Collections.unmodifiableMap(byCode);
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
