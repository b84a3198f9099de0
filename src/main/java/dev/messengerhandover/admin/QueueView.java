package dev.messengerhandover.admin;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.messengerhandover.handover.Speaker;
import dev.messengerhandover.handover.ThreadControl;
import dev.messengerhandover.handover.ThreadState;
import dev.messengerhandover.handover.TransitionKind;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** One page of an operator queue; {@code next}: the token of the page after it ({@code null}: the last page). */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueueView(String accountId, String state, List<Entry> threads, String next) {

    /**
     * A thread in the queue: since when it is in it, how long the user has waited (waiting) or waited for the first
     * agent message (with an agent), how long an agent has held it, why it was handed over, what the user said last.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String userId, String since, Long waitedMillis, Long heldMillis, String reason,
            Boolean alerted, String lastUserLine, String lastUserAt) {

        static Entry of(ThreadState s, ThreadControl control, long now) {
            var waiting = s.followup().waiting();
            var bot = control.rules().botAppId().equals(s.ownerAppId());
            Long waited = waiting != null ? Long.valueOf(Math.max(0, now - waiting.since())) : firstReplyWait(s);
            Long held = bot || s.since() == 0 ? null : Math.max(0, now - s.since());
            var reason = waiting != null ? waiting.reason() : s.reason();
            String line = null;
            long lineAt = 0;
            for (var l : s.transcript()) {
                if (l.who() == Speaker.USER) {
                    line = l.text();
                    lineAt = l.at();
                }
            }
            long since = waiting != null ? waiting.since() : s.since();
            return new Entry(s.userId(), time(since), bot ? null : waited, held, reason.wire(),
                    waiting != null ? waiting.alerted() : null, line, time(lineAt));
        }

        /** With an agent: how long the user waited for the first answer of this hold, if known. */
        private static Long firstReplyWait(ThreadState s) {
            for (var t : s.history()) {
                if (t.kind() == TransitionKind.ANSWERED) {
                    return t.heldMillis();
                }
                if (t.kind() == TransitionKind.PASSED) {
                    return null;
                }
            }
            return null;
        }
    }

    private static String time(long epochMillis) {
        return epochMillis > 0 ? Instant.ofEpochMilli(epochMillis).toString() : null;
    }
}
