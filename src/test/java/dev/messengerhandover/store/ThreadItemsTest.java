package dev.messengerhandover.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.messengerhandover.handover.Reason;
import dev.messengerhandover.handover.Speaker;
import dev.messengerhandover.handover.TransitionKind;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The item layout against items as earlier versions wrote them (free-text reasons, the reason holding Graph's error). */
class ThreadItemsTest {

    @Test
    void itemsWrittenBeforeTheEnumsStillRead() {
        var item = new HashMap<String, AttributeValue>(ThreadItems.key("p", "u"));
        item.put("owner", AttributeValue.fromS("1"));
        item.put("since", AttributeValue.fromN("5"));
        item.put("reason", AttributeValue.fromS("resync"));
        item.put("version", AttributeValue.fromN("3"));
        item.put("transcript", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of("at", AttributeValue.fromN("4"),
                "who", AttributeValue.fromS("user"), "text", AttributeValue.fromS("hello"))))));
        item.put("history", AttributeValue.fromL(List.of(
                transition("pass_failed", "user_asked: HTTP 400 code 100 permanent: (#100) Invalid parameter"),
                transition("resync", "standby while stored owner is the bot"))));
        item.put("processed", AttributeValue.fromL(List.of(AttributeValue.fromS("mid:m_1"))));

        var thread = ThreadItems.decode(item, "p", "u", "1");
        assertThat(thread.version()).isEqualTo(3);
        assertThat(thread.hasProcessed("mid:m_1")).isTrue();
        assertThat(thread.state().reason()).isEqualTo(Reason.RESYNC);
        assertThat(thread.state().transcript()).singleElement()
                .satisfies(l -> assertThat(l.who()).isEqualTo(Speaker.USER));
        var failed = thread.state().history().get(0);
        assertThat(failed.kind()).isEqualTo(TransitionKind.PASS_FAILED);
        assertThat(failed.reason()).isEqualTo(Reason.USER_ASKED);
        assertThat(failed.detail()).startsWith("HTTP 400 code 100");
        assertThat(thread.state().history().get(1).reason()).isEqualTo(Reason.STANDBY_WHILE_BOT_OWNS);
    }

    private static AttributeValue transition(String kind, String reason) {
        return AttributeValue.fromM(Map.of("at", AttributeValue.fromN("6"), "kind", AttributeValue.fromS(kind),
                "reason", AttributeValue.fromS(reason)));
    }
}
