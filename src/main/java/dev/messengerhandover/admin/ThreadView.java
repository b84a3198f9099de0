package dev.messengerhandover.admin;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.messengerhandover.handover.Role;
import dev.messengerhandover.handover.ThreadControl;
import dev.messengerhandover.handover.ThreadState;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the operator API shows of a thread: owner and role (an owner whose control lapsed is shown as
 * {@code idle (expired)}: the bot answers that thread), since when and why, the user's messaging window, recent
 * transitions (newest first) and the recent transcript; {@code refused} says why an operator's take did not happen.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ThreadView(String pageId, String userId, Owner owner, String since, String reason, int fallbacks,
        String userWroteAt, boolean windowOpen, FollowupView followup, List<TransitionView> history,
        List<LineView> transcript, String refused) {

    /**
     * The queue the thread is in, the hand-over waiting for an agent (if any), an offer of a person due when the team
     * is back, an apology owed, a satisfaction question unanswered, and when the sweep looks at it next.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FollowupView(String queue, WaitingView waiting, String offerAt, Boolean apologyOwed,
            Boolean satisfactionAsked, String dueAt) {
    }

    @RegisterForReflection
    public record WaitingView(String since, String reason, boolean alerted, boolean takeRefused) {
    }

    /** {@code status} in words: {@code bot}, {@code page_inbox}, {@code other}, {@code idle (expired)}. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Owner(String appId, String role, String status, String expiresAt) {
    }

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TransitionView(String at, String kind, String from, String to, String reason, String detail,
            Long heldMillis) {
    }

    @RegisterForReflection
    public record LineView(String at, String who, String text) {
    }

    public static ThreadView of(ThreadState s, ThreadControl control, long nowMillis) {
        return of(s, control, nowMillis, null);
    }

    public static ThreadView of(ThreadState s, ThreadControl control, long nowMillis, String refused) {
        var role = control.rules().roleOf(s.ownerAppId());
        boolean expired = control.expired(s, nowMillis);
        var owner = expired ? new Owner(s.ownerAppId(), Role.IDLE.wire(), "idle (expired)", time(s.expiresAt()))
                : new Owner(s.ownerAppId(), role.wire(), role.wire(), time(s.expiresAt()));
        return new ThreadView(s.pageId(), s.userId(), owner, time(s.since()), s.reason().wire(), s.fallbacks(),
                time(s.userAt()), ThreadControl.windowOpen(s, nowMillis), followup(s.followup()),
                s.history().stream().map(t -> new TransitionView(time(t.at()), t.kind().wire(), t.fromAppId(),
                        t.toAppId(), t.reason().wire(), t.detail(), t.heldMillis())).toList(),
                s.transcript().stream().map(l -> new LineView(time(l.at()), l.who().wire(), l.text())).toList(),
                refused);
    }

    private static FollowupView followup(ThreadState.Followup f) {
        var w = f.waiting();
        return new FollowupView(f.queue().wire(), w == null ? null : new WaitingView(time(w.since()), w.reason().wire(),
                w.alerted(), w.takeRefused()), time(f.offerAt()), f.apology() ? true : null,
                f.surveyed() ? true : null, time(f.dueAt()));
    }

    private static String time(long epochMillis) {
        return epochMillis > 0 ? Instant.ofEpochMilli(epochMillis).toString() : null;
    }
}
