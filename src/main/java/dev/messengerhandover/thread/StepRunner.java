package dev.messengerhandover.thread;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.messengerhandover.account.Account;
import dev.messengerhandover.account.Accounts;
import dev.messengerhandover.alert.Alerts;
import dev.messengerhandover.graph.GraphClient;
import dev.messengerhandover.graph.GraphException;
import dev.messengerhandover.graph.GraphModels.QuickReply;
import dev.messengerhandover.graph.GraphModels.ThreadOwner;
import dev.messengerhandover.handover.OwnerAnswer;
import dev.messengerhandover.handover.Plan;
import dev.messengerhandover.handover.Reason;
import dev.messengerhandover.handover.Refusal;
import dev.messengerhandover.handover.Rules;
import dev.messengerhandover.handover.Step;
import dev.messengerhandover.handover.ThreadControl;
import dev.messengerhandover.handover.ThreadState;
import dev.messengerhandover.retry.Deadline;

/**
 * Runs a plan's steps against Graph, in order, and folds what Graph confirmed into the state. A call Graph refuses
 * after its retries is handed back to the rules ({@link ThreadControl#refused}), with {@code thread_owner}'s answer
 * where the thread may have moved, and their plan for it runs the same way.
 */
@ApplicationScoped
public class StepRunner {

    private static final Logger LOG = Logger.getLogger(StepRunner.class);

    private final GraphClient graph;
    private final Accounts accounts;
    private final Alerts alerts;

    public StepRunner(GraphClient graph, Accounts accounts, Alerts alerts) {
        this.graph = graph;
        this.accounts = accounts;
        this.alerts = alerts;
    }

    /**
     * The state once every step of {@code plan} ran for {@code account}, with what Graph confirmed of each, as it is
     * to be stored ({@link ThreadControl#scheduled}: when the sweep looks at it next, its queue).
     */
    public ThreadState run(Account account, Plan plan, String userId, long at, Deadline deadline) {
        return account.control().scheduled(runSteps(account, plan, userId, at, deadline));
    }

    private ThreadState runSteps(Account account, Plan plan, String userId, long at, Deadline deadline) {
        var state = plan.state();
        for (var step : plan.steps()) {
            state = runStep(account, state, step, userId, at, deadline);
        }
        return state;
    }

    private ThreadState runStep(Account account, ThreadState state, Step step, String userId, long at,
            Deadline deadline) {
        var control = account.control();
        var page = account.access();
        try {
            return switch (step) {
                case Step.Send send -> send(account, state, send, userId, at, deadline);
                case Step.SendAndPass handoff -> {
                    graph.sendAndPass(page, userId, handoff.text(), handoff.targetAppId(), deadline);
                    yield control.confirmed(state, handoff, at, null);
                }
                case Step.Pass pass -> {
                    graph.passThreadControl(page, userId, pass.targetAppId(), pass.metadata(), deadline);
                    yield control.confirmed(state, pass, at, null);
                }
                case Step.Take take -> {
                    graph.takeThreadControl(page, userId, "reason=" + take.reason().wire(), deadline);
                    yield control.confirmed(state, take, at, null);
                }
                case Step.GiveUp giveUp -> {
                    graph.takeThreadControl(page, userId, "reason=" + Reason.NOBODY_ANSWERED.wire(), deadline);
                    var taken = control.confirmed(state, giveUp, at, null);
                    yield runSteps(account, control.after(taken, giveUp, at), userId, at, deadline);
                }
                case Step.Alert alert -> alert(account, state, alert, at, deadline);
                case Step.LookupOwner lookup -> control.confirmed(state, lookup, at,
                        answer(graph.threadOwner(page, userId, deadline)));
            };
        } catch (GraphException e) {
            var refusal = refusal(e);
            LOG.warnf("thread %s: graph refused %s (%s): %s", userId, step.call(), refusal, e.summary());
            var renewed = accounts.graphFailed(account, e.summary(), e.kind() == GraphException.Kind.INVALID_TOKEN);
            if (renewed.isPresent()) {
                // The Page's token was rotated, and the Pages secret has the new one: the same call, once more.
                return runStep(renewed.get(), state, step, userId, at, deadline);
            }
            var owner = ThreadControl.ownerMattersWhenRefused(step, refusal) ? ownerNow(account, userId, deadline)
                    : null;
            return runSteps(account, control.refused(state, step, at, owner, refusal, e.summary()), userId, at,
                    deadline);
        }
    }

    /** An alert SNS did not take leaves the thread as it was: the next sweep tries again. */
    private ThreadState alert(Account account, ThreadState state, Step.Alert alert, long at, Deadline deadline) {
        if (deadline.remainingMillis() < Alerts.CALL_MILLIS) {
            LOG.infof("thread %s: the alert waits for the next sweep (the budget is spent)", state.userId());
            return state;
        }
        try {
            alerts.publish(account, state, alert, at);
            return account.control().confirmed(state, alert, at, null);
        } catch (Alerts.AlertFailed e) {
            LOG.warnf("thread %s: %s", state.userId(), e.getMessage());
            return state;
        }
    }

    /** The one way a message goes out: the quick replies the rules asked for, then the line in the transcript. */
    private ThreadState send(Account account, ThreadState state, Step.Send send, String userId, long at,
            Deadline deadline) {
        var control = account.control();
        var survey = control.catalogue().survey();
        var replies = send.survey()
                ? List.of(QuickReply.text(survey.yes(), Rules.SATISFIED), QuickReply.text(survey.no(),
                        Rules.NOT_SATISFIED))
                : send.offerPerson()
                        ? List.of(QuickReply.text(control.catalogue().talkToPersonTitle(),
                                control.rules().handoffPayload()))
                        : List.<QuickReply>of();
        graph.send(account.access(), userId, send.text(), replies, deadline);
        return control.confirmed(state, send, at, null);
    }

    /** {@code thread_owner}'s answer now, or {@code null} when Graph does not answer either. */
    public OwnerAnswer ownerNow(Account account, String userId, Deadline deadline) {
        try {
            return answer(graph.threadOwner(account.access(), userId, deadline));
        } catch (GraphException e) {
            LOG.warnf("thread %s: thread_owner unanswered: %s", userId, e.summary());
            accounts.graphFailed(account, e.summary(), e.kind() == GraphException.Kind.INVALID_TOKEN);
            return null;
        }
    }

    private static OwnerAnswer answer(ThreadOwner owner) {
        return owner.idle() ? OwnerAnswer.idleThread()
                : OwnerAnswer.owner(owner.appId(), owner.expirationSeconds() * 1000);
    }

    /** Graph's codes, as the rules care about them; none of these is retried. */
    static Refusal refusal(GraphException e) {
        return switch (e.kind()) {
            case NOT_OWNER -> Refusal.NOT_OWNER;
            case ANOTHER_APP_CONTROLS -> Refusal.ANOTHER_APP_CONTROLS;
            case TAKE_NOT_SUPPORTED -> Refusal.TAKE_NOT_SUPPORTED;
            case OUTSIDE_WINDOW -> Refusal.OUTSIDE_WINDOW;
            case TRANSIENT, INVALID_TOKEN, PERMANENT -> Refusal.OTHER;
        };
    }
}
