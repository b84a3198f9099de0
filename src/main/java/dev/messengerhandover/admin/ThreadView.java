package dev.messengerhandover.admin;

import java.time.Instant;
import java.util.List;

import dev.messengerhandover.handover.Rules;
import dev.messengerhandover.handover.ThreadState;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** What the operator API shows of a thread: owner and role, since when and why, and recent transitions (newest first). */
@RegisterForReflection
public record ThreadView(String pageId, String userId, Owner owner, String since, String reason, int fallbacks,
        List<TransitionView> history, List<LineView> transcript) {

    @RegisterForReflection
    public record Owner(String appId, String role) {
    }

    @RegisterForReflection
    public record TransitionView(String at, String kind, String from, String to, String reason, String detail,
            Long heldMillis) {
    }

    @RegisterForReflection
    public record LineView(String at, String who, String text) {
    }

    public static ThreadView of(ThreadState s, Rules rules) {
        return new ThreadView(s.pageId(), s.userId(), new Owner(s.ownerAppId(), rules.roleOf(s.ownerAppId()).wire()),
                s.since() > 0 ? Instant.ofEpochMilli(s.since()).toString() : null, s.reason().wire(), s.fallbacks(),
                s.history().stream().map(t -> new TransitionView(Instant.ofEpochMilli(t.at()).toString(),
                        t.kind().wire(), t.fromAppId(), t.toAppId(), t.reason().wire(), t.detail(), t.heldMillis()))
                        .toList(),
                s.transcript().stream().map(l -> new LineView(Instant.ofEpochMilli(l.at()).toString(), l.who().wire(),
                        l.text())).toList());
    }
}
