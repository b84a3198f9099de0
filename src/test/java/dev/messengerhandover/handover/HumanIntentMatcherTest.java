package dev.messengerhandover.handover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HumanIntentMatcherTest {

    private final HumanIntentMatcher matcher = new HumanIntentMatcher();

    @ParameterizedTest
    @ValueSource(strings = { "can I talk to a real person", "agent please", "I want a human",
            "speak to someone from support", "Can I speak with a human being?", "HUMAN", "humna pls",
            "get me a person", "I need to talk to your staff", "connect me with an agent", "customer service",
            "is there a live agent?", "I want to speak to a manager", "let me talk to somebody",
            "pls can i chat with a persn", "Talk to a person", "Je veux parler à quelqu'un... human please" })
    void requestsForAPerson(String message) {
        assertThat(matcher.asksForHuman(message)).as(message).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "hi", "what are your opening hours", "are you a human?", "r u a bot",
            "no, I don't want to talk to a person", "no need for an agent", "my agent id is 42 and my parcel is late",
            "the person who delivered it was rude", "where is my order", "", "   ", "humanity is great today",
            "I'll ask my travel agent about the refund policy tomorrow and maybe the hotel too" })
    void otherMessages(String message) {
        assertThat(matcher.asksForHuman(message)).as(message).isFalse();
    }
}
