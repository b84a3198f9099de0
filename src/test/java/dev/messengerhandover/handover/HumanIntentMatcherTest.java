package dev.messengerhandover.handover;

import static dev.messengerhandover.testing.Seeded.forEachCase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.messengerhandover.testing.Conversations;

class HumanIntentMatcherTest {

    private static final HumanIntentMatcher ENGLISH = new HumanIntentMatcher();
    private static final HumanIntentMatcher ALL = HumanIntentMatcher.forLanguages(List.of("en", "fr", "es", "de"));

    /** A phrase in the language whose lexicon must read it. */
    record Case(String language, String phrase) {
    }

    /** Each is handed over by its own language alone and by all four together. */
    private static final List<Case> HAND_OVER = List.of(
            // What worked before the lexicons, HandoffFlowTest's phrases included.
            new Case("en", "can I talk to a real person"),
            new Case("en", "agent please"),
            new Case("en", "I want a human"),
            new Case("en", "speak to someone from support"),
            new Case("en", "CAN I TALK TO A REAL PERSOn??"),
            new Case("en", "i need a humna"),
            new Case("en", "I'd like to talk to a person please"),
            new Case("en", "I want to speak to a human"),
            new Case("en", "Can I speak with a human being?"),
            new Case("en", "HUMAN"),
            new Case("en", "humna pls"),
            new Case("en", "get me a person"),
            new Case("en", "I need to talk to your staff"),
            new Case("en", "connect me with an agent"),
            new Case("en", "customer service"),
            new Case("en", "customer support"),
            new Case("en", "is there a live agent?"),
            new Case("en", "I want to speak to a manager"),
            new Case("en", "let me talk to somebody"),
            new Case("en", "pls can i chat with a persn"),
            new Case("en", "Talk to a person"),
            new Case("en", "Je veux parler à quelqu'un... human please"),
            // Missed before.
            new Case("en", "can someone from support call me"),
            new Case("en", "I don't want to talk to a bot"),
            new Case("en", "I don’t want to talk to a bot"),
            new Case("en", "not a bot please"),
            new Case("en", "no robot"),
            new Case("en", "I'm not talking to a bot anymore"),
            new Case("en", "let me talk to a human"),
            new Case("en", "connect me to customer service"),
            new Case("en", "can anyone help me?"),
            new Case("en", "an agent please"),
            new Case("en", "is an agent available?"),
            new Case("en", "I don't need a bot, I need a person"),
            // A question or another sense blanked out leaves the request around it.
            new Case("en", "are you a bot? I want a human"),
            new Case("en", "what are your support hours? I need to talk to someone"),
            new Case("en", "I need to talk to an agent about my agent license"),
            new Case("fr", "je veux parler à un conseiller"),
            new Case("fr", "je voudrais parler à quelqu'un"),
            new Case("fr", "je voudrais parler à quelqu’un"),
            new Case("fr", "un humain s'il vous plaît"),
            new Case("fr", "pas un robot"),
            new Case("fr", "je ne veux pas parler à un robot"),
            new Case("fr", "passez-moi le service client"),
            new Case("fr", "un conseiller peut m'appeler ?"),
            new Case("fr", "ça ne marche pas, je veux un conseiller"),
            new Case("fr", "j'aimerais être mis en relation avec un conseiller"),
            new Case("fr", "un conseiller est disponible ?"),
            new Case("es", "quiero hablar con una persona"),
            new Case("es", "necesito un agente"),
            new Case("es", "no quiero hablar con un bot"),
            new Case("es", "un asesor por favor"),
            new Case("es", "¿puedo hablar con alguien de atención al cliente?"),
            new Case("es", "¿me puede llamar un agente?"),
            new Case("de", "ich möchte mit einem Menschen sprechen"),
            new Case("de", "Mitarbeiter bitte"),
            new Case("de", "kein Bot"),
            new Case("de", "kann ich bitte mit einem Mitarbeiter sprechen?"),
            new Case("de", "ich will nicht mit einem Bot reden"),
            new Case("de", "verbinden Sie mich mit einem Berater"),
            new Case("de", "Kundenservice"));

    /** None is handed over, neither by its own language nor by all four together. */
    private static final List<Case> DO_NOT = List.of(
            new Case("en", "are you a bot or a human?"),
            new Case("en", "are you a bot or human"),
            new Case("en", "are you a human?"),
            new Case("en", "r u a bot"),
            new Case("en", "is this a real person?"),
            new Case("en", "am I talking to a human?"),
            new Case("en", "no, I don't want to talk to a person"),
            new Case("en", "I don't want to talk to a person"),
            new Case("en", "no need for an agent"),
            new Case("en", "don't transfer me to an agent"),
            new Case("en", "I'm not a robot"),
            new Case("en", "do you sell agents?"),
            new Case("en", "how much is the agent license"),
            new Case("en", "what is an agent plan"),
            new Case("en", "I'm a travel agent, do you give discounts"),
            new Case("en", "I need an agent license"),
            new Case("en", "what are your support hours?"),
            new Case("en", "when is customer support open"),
            new Case("en", "is customer service open on Sunday?"),
            new Case("en", "what are the opening hours of customer service?"),
            new Case("en", "when is an agent available?"),
            new Case("en", "hi"),
            new Case("en", "what are your opening hours"),
            new Case("en", "my agent id is 42 and my parcel is late"),
            new Case("en", "the person who delivered it was rude"),
            new Case("en", "where is my order"),
            new Case("en", ""),
            new Case("en", "   "),
            new Case("en", "humanity is great today"),
            new Case("en", "I'll ask my travel agent about the refund policy tomorrow and maybe the hotel too"),
            new Case("en", "I will ask the person at the door"),
            new Case("fr", "es-tu un robot ?"),
            new Case("fr", "vous êtes un humain ?"),
            new Case("fr", "je n'ai pas besoin d'un conseiller"),
            new Case("fr", "je ne veux parler à personne"),
            new Case("fr", "pas de conseiller merci"),
            new Case("fr", "je ne suis pas un robot"),
            new Case("fr", "quels sont les horaires du service client ?"),
            new Case("fr", "je suis agent immobilier, vous faites des remises ?"),
            new Case("fr", "bonjour, où est ma commande ?"),
            new Case("es", "¿eres un bot?"),
            new Case("es", "¿eres una persona real?"),
            new Case("es", "no necesito un agente"),
            new Case("es", "no quiero hablar con una persona"),
            new Case("es", "no soy un robot"),
            new Case("es", "¿cuál es el horario de atención al cliente?"),
            new Case("es", "soy agente de viajes, ¿tienen descuentos?"),
            new Case("de", "bist du ein Bot?"),
            new Case("de", "sind Sie ein Mensch oder eine Maschine?"),
            new Case("de", "ich brauche keinen Mitarbeiter"),
            new Case("de", "ich möchte nicht mit einem Menschen sprechen"),
            new Case("de", "ich bin kein Roboter"),
            new Case("de", "wann ist der Kundenservice erreichbar?"),
            new Case("de", "Öffnungszeiten des Kundenservice"));

    @Test
    void requestsForAPersonInEachLanguage() {
        assertSoftly(softly -> HAND_OVER.forEach(c -> {
            var own = HumanIntentMatcher.forLanguages(List.of(c.language()));
            softly.assertThat(own.asksForHuman(c.phrase())).as("%s alone: %s", c.language(), c.phrase()).isTrue();
            softly.assertThat(ALL.asksForHuman(c.phrase())).as("all languages: %s", c.phrase()).isTrue();
        }));
    }

    @Test
    void questionsRefusalsAndOtherSensesInEachLanguage() {
        assertSoftly(softly -> DO_NOT.forEach(c -> {
            var own = HumanIntentMatcher.forLanguages(List.of(c.language()));
            softly.assertThat(own.asksForHuman(c.phrase())).as("%s alone: %s", c.language(), c.phrase()).isFalse();
            softly.assertThat(ALL.asksForHuman(c.phrase())).as("all languages: %s", c.phrase()).isFalse();
        }));
    }

    @Test
    void theDefaultMatcherIsEnglish() {
        for (var c : HAND_OVER) {
            if (c.language().equals("en")) {
                assertThat(ENGLISH.asksForHuman(c.phrase())).as(c.phrase()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "je veux parler à un conseiller", "je voudrais parler à quelqu'un", "pas un robot",
            "quiero hablar con una persona", "necesito un agente", "no quiero hablar con un bot",
            "ich möchte mit einem Menschen sprechen", "Mitarbeiter bitte", "kein Bot" })
    void aLanguageNotDeclaredIsNotRead(String ask) {
        assertThat(ALL.asksForHuman(ask)).as(ask).isTrue();
        assertThat(ENGLISH.asksForHuman(ask)).as("English only: %s", ask).isFalse();
    }

    @Test
    void eachLanguageReadsOnlyItsOwnWords() {
        var french = HumanIntentMatcher.forLanguages(List.of("fr"));
        var spanish = HumanIntentMatcher.forLanguages(List.of("es"));
        var german = HumanIntentMatcher.forLanguages(List.of("de"));
        assertThat(french.asksForHuman("ich möchte mit einem Menschen sprechen")).isFalse();
        assertThat(german.asksForHuman("je veux parler à un conseiller")).isFalse();
        assertThat(spanish.asksForHuman("I want to talk to someone")).isFalse();
        assertThat(french.asksForHuman("quiero hablar con una persona")).isFalse();
    }

    @Test
    void languagesAreTheFourLexiconsAndAnUnknownOneIsRefused() {
        assertThat(HumanIntentMatcher.languages()).containsExactly("en", "fr", "es", "de");
        assertThatThrownBy(() -> HumanIntentMatcher.forLanguages(List.of("en", "it")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"it\"");
        assertThat(HumanIntentMatcher.forLanguages(List.of("en", "en")).asksForHuman("agent please")).isTrue();
    }

    /** Any text at all, from the shared generator: nothing throws, and a language only ever adds hand-overs. */
    @Test
    void anyTextIsAnsweredAndMoreLanguagesOnlyAddHandOvers() {
        forEachCase(5_000, random -> {
            var text = Conversations.text(random);
            if (ENGLISH.asksForHuman(text)) {
                assertThat(ALL.asksForHuman(text)).as(text).isTrue();
            }
        });
    }

    /**
     * Linear in the text: as many characters cost about the same in 20 texts of 300 as in one of 6000. Each repetition
     * made to make a pattern backtrack or the typo search work hard is its own group, and so are 10 generated texts,
     * and each language is timed alone, so that one slow kind of text or one lexicon cannot hide among fast ones. Two
     * shapes of the same work on the same machine, best of several rounds: no time limit to tune, and a step
     * quadratic in the text comes out near 20.
     */
    @Test
    void manyShortTextsCostAboutWhatOneLongTextOfTheSameLengthCosts() {
        var groups = new ArrayList<List<String>>();
        for (var unit : List.of("no ", "not a ", "dont want to talk to a ", "are you a ", "agent ", "humna ",
                "talk to ", "pas besoin dun ", "kein ", "no quiero hablar con ", "a", "persn ", "customer support ",
                "someone from support ", "é", "’", "👋 ")) {
            groups.add(List.of(unit));
        }
        var generated = new ArrayList<String>();
        forEachCase(10, random -> generated.add(Conversations.text(random) + " "));
        groups.add(generated);
        assertSoftly(softly -> {
            for (var language : HumanIntentMatcher.languages()) {
                var matcher = HumanIntentMatcher.forLanguages(List.of(language));
                for (var group : groups) {
                    var small = group.stream().map(unit -> stretch(unit, 300)).toList();
                    var large = group.stream().map(unit -> stretch(unit, 6000)).toList();
                    long smallNanos = Long.MAX_VALUE;
                    long largeNanos = Long.MAX_VALUE;
                    for (int round = 0; round < 5; round++) { // the first rounds warm up
                        smallNanos = Math.min(smallNanos, time(matcher, small, 20));
                        largeNanos = Math.min(largeNanos, time(matcher, large, 1));
                    }
                    softly.assertThat((double) largeNanos / smallNanos)
                            .as("%s: time for 6000 characters at once / in 20 texts of 300, %s", language,
                                    group.size() == 1 ? group : "generated texts")
                            .isLessThan(3);
                }
            }
        });
    }

    /** The unit repeated and cut to exactly {@code length} characters (a cut may split a surrogate pair). */
    private static String stretch(String unit, int length) {
        return unit.repeat(length / unit.length() + 1).substring(0, length);
    }

    private static long time(HumanIntentMatcher matcher, List<String> texts, int times) {
        int asks = 0;
        long start = System.nanoTime();
        for (int i = 0; i < times; i++) {
            for (var text : texts) {
                asks += matcher.asksForHuman(text) ? 1 : 0;
            }
        }
        long nanos = System.nanoTime() - start;
        assertThat(asks).isLessThanOrEqualTo(times * texts.size()); // uses the answers, so the calls stay
        return nanos;
    }
}
