package dev.messengerhandover.thread;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.messengerhandover.graph.GraphClient;
import dev.messengerhandover.graph.GraphException;
import dev.messengerhandover.graph.GraphModels.QuickReply;
import dev.messengerhandover.handover.Plan;
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
    private final ThreadControl control;

    public StepRunner(GraphClient graph, ThreadControl control) {
        this.graph = graph;
        this.control = control;
    }

    /** The state once every step of {@code plan} ran, with what Graph confirmed of each. */
    public ThreadState run(Plan plan, String userId, long at, Deadline deadline) {
        var state = plan.state();
        for (var step : plan.steps()) {
            state = runStep(state, step, userId, at, deadline);
        }
        return state;
    }

    private ThreadState runStep(ThreadState state, Step step, String userId, long at, Deadline deadline) {
        try {
            return switch (step) {
                case Step.Send send -> send(state, send, userId, at, deadline);
                case Step.Pass pass -> {
                    graph.passThreadControl(userId, pass.targetAppId(), pass.metadata(), deadline);
                    yield control.confirmed(state, pass, at, null);
                }
                case Step.Take take -> {
                    graph.takeThreadControl(userId, "reason=" + take.reason().wire(), deadline);
                    yield control.confirmed(state, take, at, null);
                }
                case Step.LookupOwner lookup -> control.confirmed(state, lookup, at, graph.threadOwner(userId, deadline));
            };
        } catch (GraphException e) {
            LOG.warnf("thread %s: graph refused %s: %s", userId, step.call(), e.summary());
            // Perhaps the thread moved under us (or the call went through and only its answer was lost): ask.
            var owner = ThreadControl.ownerMattersWhenRefused(step) ? ownerOrNull(userId, deadline) : null;
            return run(control.refused(state, step, at, owner, e.summary()), userId, at, deadline);
        }
    }

    /** The one way a message goes out: the quick replies the rules asked for, then the line in the transcript. */
    private ThreadState send(ThreadState state, Step.Send send, String userId, long at, Deadline deadline) {
        var replies = send.offerPerson()
                ? List.of(QuickReply.text(control.catalogue().talkToPersonTitle(), control.rules().handoffPayload()))
                : List.<QuickReply>of();
        graph.send(userId, send.text(), replies, deadline);
        return control.confirmed(state, send, at, null);
    }

    private String ownerOrNull(String userId, Deadline deadline) {
        try {
            return graph.threadOwner(userId, deadline);
        } catch (GraphException e) {
            return null;
        }
    }
}
