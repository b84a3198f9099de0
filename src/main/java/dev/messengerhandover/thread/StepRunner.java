package dev.messengerhandover.thread;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.messengerhandover.account.Account;
import dev.messengerhandover.account.AccountKind;
import dev.messengerhandover.account.Accounts;
import dev.messengerhandover.alert.Alerts;
import dev.messengerhandover.bot.BotException;
import dev.messengerhandover.bot.Bots;
import dev.messengerhandover.graph.GraphClient;
import dev.messengerhandover.graph.GraphException;
import dev.messengerhandover.graph.GraphModels.QuickReply;
import dev.messengerhandover.graph.GraphModels.ThreadOwner;
import dev.messengerhandover.handover.BotAnswer;
import dev.messengerhandover.handover.BotRequest;
import dev.messengerhandover.handover.Execution;
import dev.messengerhandover.handover.Limits;
import dev.messengerhandover.handover.Execution.Result;
import dev.messengerhandover.handover.OwnerAnswer;
import dev.messengerhandover.handover.Plan;
import dev.messengerhandover.handover.Reason;
import dev.messengerhandover.handover.Refusal;
import dev.messengerhandover.handover.Rules;
import dev.messengerhandover.handover.Step;
import dev.messengerhandover.handover.Text;
import dev.messengerhandover.handover.ThreadState;
import dev.messengerhandover.metrics.HandoverMetrics;
import dev.messengerhandover.metrics.Measurements;
import dev.messengerhandover.retry.Deadline;

/**
 * Runs a plan's steps against Graph and SNS ({@link Execution} folds the answers into the state), inside the time
 * the deadline leaves: what the time does not cover is handed back undone.
 */
@ApplicationScoped
public class StepRunner {

    private static final Logger LOG = Logger.getLogger(StepRunner.class);

    /**
     * Kept from a bot's time for the messages its answer becomes: a bot slower than the delivery's time less this is
     * a bot that failed, and the catalogue's fallback still goes out in time.
     */
    static final long SEND_RESERVE = 1_500;

    private final GraphClient graph;
    private final Accounts accounts;
    private final Alerts alerts;
    private final Bots bots;
    private final HandoverMetrics metrics;
    private final Clock clock;
    private final java.util.Set<String> fittedLogged = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public StepRunner(GraphClient graph, Accounts accounts, Alerts alerts, Bots bots, HandoverMetrics metrics,
            Clock clock) {
        this.graph = graph;
        this.accounts = accounts;
        this.alerts = alerts;
        this.bots = bots;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Every step of {@code plan} for {@code account} that the time before {@code deadline} covers, with what Graph
     * confirmed of each; the state as it is to be stored ({@code ThreadControl.scheduled}: when the sweep looks at it
     * next, its queue), and the steps left.
     */
    public Execution.Outcome run(Account account, Plan plan, String userId, Deadline deadline) {
        return Execution.run(account.control(), plan.state(), plan.steps(), new Graph(account, userId, deadline));
    }

    /** Whether the time before {@code deadline} covers starting {@code step} (logged when it does not). */
    public boolean hasTimeFor(Account account, String userId, Step step, Deadline deadline) {
        return new Graph(account, userId, deadline).hasTimeFor(step);
    }

    /** {@code thread_owner}'s answer now, or {@code null} when Graph does not answer in the time left. */
    public OwnerAnswer ownerNow(Account account, String userId, Deadline deadline) {
        return new Graph(account, userId, deadline).ownerNow();
    }

    /** The world of one thread's steps: its account (renewed when a rotated token was read again), its user, its time. */
    private final class Graph implements Execution.World {
        private Account account;
        private final String userId;
        /** The user as logs name them (never a WhatsApp number in full). */
        private final String who;
        private final Deadline deadline;

        Graph(Account account, String userId, Deadline deadline) {
            this.account = account;
            this.userId = userId;
            this.who = account.logged(userId);
            this.deadline = deadline;
        }

        @Override
        public boolean hasTimeFor(Step step) {
            long needs = switch (step) {
                case Step.Alert alert -> Alerts.CALL_MILLIS;
                case Step.AskBot ask -> GraphClient.MIN_CALL_MILLIS + SEND_RESERVE;
                default -> GraphClient.MIN_CALL_MILLIS;
            };
            if (deadline.covers(needs)) {
                return true;
            }
            LOG.infof("thread %s: %s left for later (%d ms left)", who, step.call(),
                    deadline.remainingMillis());
            return false;
        }

        @Override
        public long now() {
            return clock.millis();
        }

        @Override
        public Result run(ThreadState state, Step step) {
            if (step instanceof Step.Alert alert) {
                return alert(state, alert);
            }
            if (step instanceof Step.AskBot ask) {
                return ask(state, ask);
            }
            if (step instanceof Step.Typing) {
                return typing();
            }
            try {
                return call(step);
            } catch (GraphClient.OutOfTime e) {
                LOG.warnf("thread %s: %s not finished: %s", who, step.call(), e.getMessage());
                return new Result.OutOfTime();
            } catch (GraphException e) {
                var renewed = accounts.graphFailed(account, e.summary(),
                        e.kind() == GraphException.Kind.INVALID_TOKEN);
                if (renewed.isPresent()) {
                    // The Page's token was rotated, and the Pages secret has the new one: the same call, once more.
                    account = renewed.get();
                    return run(state, step);
                }
                var refusal = refusal(e);
                LOG.warnf("thread %s: graph refused %s (%s): %s", who, step.call(), refusal, e.summary());
                return new Result.Refused(refusal, e.summary());
            }
        }

        private Result call(Step step) {
            if (account.kind() == AccountKind.WHATSAPP) {
                return whatsApp(step);
            }
            var page = account.access();
            return switch (step) {
                case Step.Send send -> new Result.Confirmed(null, send(send));
                case Step.SendAndPass handoff -> new Result.Confirmed(null,
                        graph.sendAndPass(page, userId, handoff.text(), handoff.targetAppId(), deadline));
                case Step.Pass pass -> {
                    graph.passThreadControl(page, userId, pass.targetAppId(), pass.metadata(), deadline);
                    yield Result.Confirmed.DONE;
                }
                case Step.Take take -> {
                    graph.takeThreadControl(page, userId, "reason=" + take.reason().wire(), deadline);
                    yield Result.Confirmed.DONE;
                }
                case Step.GiveUp giveUp -> {
                    graph.takeThreadControl(page, userId, "reason=" + Reason.NOBODY_ANSWERED.wire(), deadline);
                    yield Result.Confirmed.DONE;
                }
                case Step.LookupOwner lookup -> new Result.Confirmed(answer(graph.threadOwner(page, userId, deadline)),
                        null);
                case Step.Alert alert -> throw new IllegalArgumentException("an alert is not a Graph call");
                case Step.AskBot ask -> throw new IllegalArgumentException("a bot is not a Graph call");
                case Step.Typing typing -> throw new IllegalArgumentException("typing is a courtesy apart");
            };
        }

        /**
         * WhatsApp's Cloud API: messages with reply buttons, a pass as {@code thread_control} of its own (the rules
         * never ask for a message that passes, nor for a take: only the escalation partner takes), and no API that says
         * who owns a thread (the state is the function's own).
         */
        private Result whatsApp(Step step) {
            var number = account.access();
            return switch (step) {
                case Step.Send send -> new Result.Confirmed(null,
                        graph.whatsAppSend(number, userId, send.text(), replies(send), deadline));
                case Step.Pass pass -> {
                    graph.whatsAppThreadControl(number, userId, "pass", Text.clip(pass.metadata(), 2000), deadline);
                    yield Result.Confirmed.DONE;
                }
                case Step.LookupOwner lookup -> new Result.Confirmed(null, null);
                case Step.SendAndPass handoff -> throw new IllegalStateException("WhatsApp: no message carries a pass");
                case Step.Take take -> throw new IllegalStateException("WhatsApp: only the escalation partner takes");
                case Step.GiveUp giveUp -> throw new IllegalStateException("WhatsApp: only the escalation partner"
                        + " takes");
                case Step.Alert alert -> throw new IllegalArgumentException("an alert is not a Graph call");
                case Step.AskBot ask -> throw new IllegalArgumentException("a bot is not a Graph call");
                case Step.Typing typing -> throw new IllegalArgumentException("typing is a courtesy apart");
            };
        }

        /** The one way a message goes out: the quick replies the rules asked for. Returns Graph's message id. */
        private String send(Step.Send send) {
            return graph.send(account.access(), userId, send.text(), replies(send), deadline);
        }

        /** The quick replies (WhatsApp: reply buttons) of a message: the bot's, then the survey's or the offer. */
        private List<QuickReply> replies(Step.Send send) {
            var control = account.control();
            var survey = control.catalogue().survey();
            var replies = new java.util.ArrayList<QuickReply>();
            send.replies().forEach(r -> replies.add(QuickReply.text(r.title(), r.payload())));
            if (send.survey()) {
                replies.add(QuickReply.text(survey.yes(), Rules.SATISFIED));
                replies.add(QuickReply.text(survey.no(), Rules.NOT_SATISFIED));
            } else if (send.offerPerson()) {
                replies.add(QuickReply.text(control.catalogue().talkToPersonTitle(), control.rules().handoffPayload()));
            }
            return replies;
        }

        /** "Typing...": a courtesy; whatever Graph says, nothing changes (the platform may not show it). */
        private Result typing() {
            if (account.kind() == AccountKind.WHATSAPP) {
                return new Result.NotTaken("typing_on"); // the Cloud API shows typing only with a read receipt
            }
            try {
                graph.typing(account.access(), userId, deadline);
                return Result.Confirmed.DONE;
            } catch (GraphException | GraphClient.OutOfTime e) {
                LOG.debugf("thread %s: typing_on not shown: %s", who, e.getMessage());
                return new Result.NotTaken("typing_on");
            }
        }

        /**
         * The account's bot, asked once, with the time the delivery has left less what its answer's messages need:
         * a bot slower than that has failed, and the catalogue's fallback goes out instead.
         */
        private Result ask(ThreadState state, Step.AskBot ask) {
            var control = account.control();
            var request = new BotRequest(state.pageId(), account.kind().wire(), account.name(), userId, ask.mid(),
                    ask.text(), ask.payload(), ask.attachments(), ask.nlp(), ask.at(), state.transcript(),
                    state.fallbacks(), control.catalogue().languages().isEmpty() ? "en"
                            : control.catalogue().languages().get(0));
            long started = System.nanoTime();
            try {
                var answer = bots.ask(account.bot(), request, deadline.less(SEND_RESERVE));
                LOG.infof("thread %s: %s bot answered in %d ms: %d message(s)%s", who, account.bot().kind(),
                        (System.nanoTime() - started) / 1_000_000, answer.messages().size(),
                        answer.handover() != null ? ", and a hand-over" : "");
                var usage = answer.usage();
                if (usage.inputTokens() > 0 || usage.outputTokens() > 0) {
                    Measurements.tokens(state.pageId(), usage.inputTokens(), usage.outputTokens())
                            .forEach(metrics::add);
                }
                logFitted(answer, control.rules().limits());
                return new Result.Answered(answer);
            } catch (BotException e) {
                LOG.warnf("thread %s: %s bot failed (%s) after %d ms: %s; the catalogue's fallback answers", who,
                        account.bot().kind(), e.failure().wire(), (System.nanoTime() - started) / 1_000_000,
                        e.getMessage());
                return new Result.BotFailed(e.failure());
            }
        }

        /** What the platform's limits take off a bot's answer, said once per account and kind of cut. */
        private void logFitted(BotAnswer answer, Limits limits) {
            for (var m : answer.messages()) {
                var cuts = new java.util.ArrayList<String>();
                if (m.text() != null && m.text().length() > limits.text()) {
                    cuts.add("a text of " + m.text().length() + " characters split (the limit is " + limits.text()
                            + ")");
                }
                if (m.quickReplies().size() > limits.quickReplies()) {
                    cuts.add((m.quickReplies().size() - limits.quickReplies()) + " quick replies past "
                            + limits.quickReplies() + " dropped");
                }
                if (m.quickReplies().stream().anyMatch(r -> r.title() != null && r.title().length() > limits.title())) {
                    cuts.add("quick reply titles over " + limits.title() + " characters shortened");
                }
                for (var cut : cuts) {
                    if (fittedLogged.add(account.id() + ':' + cut.replaceAll("[0-9]+", "#"))) {
                        LOG.infof("%s: the bot's answer did not fit %s: %s (said once)", account, account.kind()
                                .wire(), cut);
                    }
                }
            }
        }

        /** An alert SNS did not take leaves the thread as it was: it stays owed, and the next sweep sends it. */
        private Result alert(ThreadState state, Step.Alert alert) {
            try {
                alerts.publish(account, state, alert, clock.millis());
                return Result.Confirmed.DONE;
            } catch (Alerts.AlertFailed e) {
                LOG.warnf("thread %s: %s", who, e.getMessage());
                return new Result.NotTaken(e.getMessage());
            }
        }

        @Override
        public OwnerAnswer ownerNow() {
            try {
                return answer(graph.threadOwner(account.access(), userId, deadline));
            } catch (GraphClient.OutOfTime e) {
                LOG.warnf("thread %s: thread_owner unanswered in the time left", who);
                return null;
            } catch (GraphException e) {
                LOG.warnf("thread %s: thread_owner unanswered: %s", who, e.summary());
                accounts.graphFailed(account, e.summary(), e.kind() == GraphException.Kind.INVALID_TOKEN);
                return null;
            }
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
