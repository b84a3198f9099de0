package dev.messengerhandover.bot;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import dev.messengerhandover.handover.BotFailure;
import dev.messengerhandover.handover.BotRequest;
import dev.messengerhandover.handover.Speaker;
import dev.messengerhandover.handover.ThreadState.Line;
import dev.messengerhandover.handover.event.WebhookEvent.Attachment;
import dev.messengerhandover.handover.event.WebhookEvent.NlpSignal;
import dev.messengerhandover.retry.Deadline;

/** What the bots are asked in these tests: one user of one Page, an event with or without a transcript. */
final class Asked {

    static final String ACCOUNT = "200000000000002";
    static final String USER = "7100000000000042";
    static final long AT = 1_800_000_000_000L;

    private Asked() {
    }

    static BotRequest text(String text) {
        return request("m_" + Math.abs(text.hashCode()), text, null, List.of());
    }

    static BotRequest request(String mid, String text, String payload, List<Line> transcript) {
        return new BotRequest(ACCOUNT, "messenger", "Shop", USER, mid, text, payload,
                List.of(new Attachment("image", "https://cdn.example.com/a.png")),
                List.of(new NlpSignal("intent", "greeting", "greeting", 0.87)), AT, transcript, 1, "en");
    }

    static Line line(Speaker who, String text) {
        return new Line(AT - 60_000, who, text);
    }

    static Deadline plenty() {
        return Deadline.in(Duration.ofSeconds(10));
    }

    /** {@code call} fails with {@code failure}. */
    static AbstractThrowableAssert<?, ? extends Throwable> fails(BotFailure failure, ThrowingCallable call) {
        return assertThatThrownBy(call).isInstanceOf(BotException.class)
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((BotException) e).failure())
                        .as("failure (%s)", e.getMessage()).isEqualTo(failure));
    }
}
