package dev.messengerhandover.handover;

import java.util.ArrayDeque;
import java.util.List;

import dev.messengerhandover.handover.ThreadState.Followup;
import dev.messengerhandover.handover.ThreadState.Line;
import dev.messengerhandover.handover.ThreadState.Owed;
import dev.messengerhandover.handover.ThreadState.Queue;
import dev.messengerhandover.handover.ThreadState.Transition;
import dev.messengerhandover.handover.ThreadState.Waiting;
import dev.messengerhandover.handover.availability.Availability;
import dev.messengerhandover.handover.event.Channel;
import dev.messengerhandover.handover.event.WebhookEvent;
import dev.messengerhandover.handover.event.WebhookEvent.AppRoles;
import dev.messengerhandover.handover.event.WebhookEvent.DeliveryReceipt;
import dev.messengerhandover.handover.event.WebhookEvent.Message;
import dev.messengerhandover.handover.event.WebhookEvent.MessageDeleted;
import dev.messengerhandover.handover.event.WebhookEvent.Optin;
import dev.messengerhandover.handover.event.WebhookEvent.PassThreadControl;
import dev.messengerhandover.handover.event.WebhookEvent.PolicyEnforcement;
import dev.messengerhandover.handover.event.WebhookEvent.Postback;
import dev.messengerhandover.handover.event.WebhookEvent.Reaction;
import dev.messengerhandover.handover.event.WebhookEvent.Read;
import dev.messengerhandover.handover.event.WebhookEvent.Referral;
import dev.messengerhandover.handover.event.WebhookEvent.RequestThreadControl;
import dev.messengerhandover.handover.event.WebhookEvent.SelfMessage;
import dev.messengerhandover.handover.event.WebhookEvent.StoryMention;
import dev.messengerhandover.handover.event.WebhookEvent.StoryReply;
import dev.messengerhandover.handover.event.WebhookEvent.TakeThreadControl;
import dev.messengerhandover.handover.event.WebhookEvent.Unknown;
import dev.messengerhandover.handover.event.WebhookEvent.UnsupportedMessage;

/**
 * The bot's side of Conversation Routing, as one pure function of (stored thread, event, the Page's routing, now): no
 * I/O, no clock of its own, no Quarkus. Two times: the event's ({@code at}, when the user wrote: the transcript and
 * the messaging window start there) and {@code now}, the caller's clock, from which everything that lasts is measured
 * (control expiry, waits, the window's end): an event redelivered hours late is news now, not then.
 *
 * <p>The bot is the Page's default app. The caller runs the {@link Step}s against Graph and
 * reports each confirmation back through {@link #confirmed} (a refusal through {@link #refused}), so the stored owner
 * only ever changes to what Graph accepted or told.
 *
 * <p>What the channel says depends on the {@link Routing}. Where routing is configured, {@code messaging} reaches the
 * owner, or the default app (us) while the thread is idle: a user event there while another app held the thread
 * means that app let it go (the Inbox's Done may pass it back, or release it without a webhook). In default behaviour
 * every app hears idle threads on {@code messaging}, so there it means nothing: the bot stays silent while it knows
 * another app holds the thread, until a pass back, a release seen through {@code thread_owner}, or the expiry.
 */
public final class ThreadControl {

    /** The Graph metadata field is a string; 1000 characters is the commonly quoted limit. */
    public static final int METADATA_LIMIT = 1000;
    /** "Thread control will expire after 24 hours of inactivity." */
    public static final long CONTROL_LASTS_MILLIS = 24 * 3_600_000L;
    /** A bot may answer within 24 h of the user's last message; after that Graph refuses (code 10/2018278). */
    public static final long WINDOW_MILLIS = 24 * 3_600_000L;
    /** The owner, as stored, when Graph says another app holds the thread without naming it. */
    public static final String UNNAMED_APP = "unnamed";
    static final int QUOTE_CHARS = 200;
    static final int MIN_QUOTE = 20;
    private static final String QUOTE_SEPARATOR = " / ";

    private final Rules rules;
    private final BotCatalogue catalogue;
    private final HumanIntentMatcher intents;

    public ThreadControl(Rules rules, BotCatalogue catalogue, HumanIntentMatcher intents) {
        this.rules = rules;
        this.catalogue = catalogue;
        this.intents = intents;
    }

    public Rules rules() {
        return rules;
    }

    public BotCatalogue catalogue() {
        return catalogue;
    }

    /** Whether an event concerns one thread's state at all; reads, deliveries and the like never do. */
    public static boolean concernsThread(WebhookEvent event) {
        return switch (event) {
            case Message m -> true;
            case Postback p -> true;
            case PassThreadControl p -> true;
            case TakeThreadControl t -> true;
            case RequestThreadControl r -> true;
            case Read r -> false;
            case DeliveryReceipt d -> false;
            case AppRoles a -> false;
            case Referral r -> false;
            case Optin o -> false;
            case StoryReply r -> true;
            case MessageDeleted d -> false;
            case UnsupportedMessage u -> false;
            case StoryMention m -> false;
            case Reaction r -> false;
            case PolicyEnforcement p -> false;
            case SelfMessage m -> false;
            case WebhookEvent.Status st -> false;
            case Unknown u -> false;
        };
    }

    /** The event, arrived just as it happened ({@code now} is its time): for tests of the rules alone. */
    public Plan onEvent(ThreadState state, WebhookEvent event, Routing routing) {
        long at = event.envelope().timestamp();
        return onEvent(state, event, routing, at, at);
    }

    /**
     * What {@code event}, which happened at {@code at} (the caller has checked it against reason), does to the thread
     * at {@code now}.
     */
    public Plan onEvent(ThreadState state, WebhookEvent event, Routing routing, long at, long now) {
        var channel = event.envelope().channel();
        return switch (event) {
            case Message m when m.isEcho() -> onEcho(state, m, at, now);
            case Message m -> onUserInput(state, channel, routing, m.text(), m.quickReplyPayload(), m, m.mid(), at,
                    now);
            case Postback p -> onUserInput(state, channel, routing, p.title(), p.payload(), null, p.mid(), at, now);
            case PassThreadControl p -> onPass(state, p, channel, now);
            case TakeThreadControl t -> onTake(state, t, now);
            case RequestThreadControl r -> onRequest(state, r, channel, now);
            case Read r -> Plan.nothing(state);
            case DeliveryReceipt d -> Plan.nothing(state);
            case AppRoles a -> Plan.nothing(state);
            case Referral r -> Plan.nothing(state);
            case Optin o -> Plan.nothing(state);
            // Instagram: a reply to the account's story is something the user said, for the agent's context; the
            // bot does not answer it (nor deletions, unsupported messages, mentions or reactions).
            case StoryReply r -> new Plan(state.withLine(new Line(at, Speaker.USER, "[story reply] "
                    + (r.text() == null ? "" : r.text()))), List.of(), true);
            case MessageDeleted d -> Plan.nothing(state);
            case UnsupportedMessage u -> Plan.nothing(state);
            case StoryMention m -> Plan.nothing(state);
            case Reaction r -> Plan.nothing(state);
            case PolicyEnforcement p -> Plan.nothing(state);
            case SelfMessage m -> Plan.nothing(state);
            case WebhookEvent.Status st -> Plan.nothing(state);
            case Unknown u -> Plan.nothing(state);
        };
    }

    /**
     * What is due for the thread at {@code now}, as the sweep finds it (see {@link #scheduled}): another app's control
     * lapsed (the thread is the bot's again; a hand-over nobody answered owes an apology, and the team hears of it
     * if it had not); the bot gives up on the wait (in default behaviour Graph blocks the take: the team is alerted
     * instead); the team is alerted that nobody answered; the team is back, and the bot offers a person.
     */
    public Plan onDue(ThreadState s, long now, Routing routing) {
        if (!isBot(s.ownerAppId()) && expired(s, now)) {
            // A hand-over that lapsed before anybody was told (a long closure): the team hears of it now.
            var lapsed = lapsed(s, now);
            var owed = lapsed.followup().owed();
            return new Plan(lapsed, owed == null ? List.of() : List.of(owed.alert()), true);
        }
        var owed = s.followup().owed() != null && now >= s.followup().owed().since() ? s.followup().owed() : null;
        var plan = dueBesides(s, now, routing, owed != null);
        if (owed == null) {
            return plan;
        }
        // SNS did not take it last time: the same alert again, until it does (one per hand-over). After what the user
        // is waiting for: an outage of SNS must not hold up a give-up or an offer.
        var steps = new java.util.ArrayList<Step>(plan.steps());
        steps.add(owed.alert());
        return new Plan(plan.state(), steps, true);
    }

    /** What is due besides an alert already owed ({@code alertOwed}: then no other alert is decided). */
    private Plan dueBesides(ThreadState s, long now, Routing routing, boolean alertOwed) {
        var availability = rules.availability();
        var waiting = s.followup().waiting();
        if (waiting != null && !isBot(s.ownerAppId())) {
            long giveUpAt = waiting.takeRefused() ? 0 : availability.giveUpAt(waiting.since());
            if (giveUpAt > 0 && now >= giveUpAt) {
                if (routing == Routing.ROUTING && rules.limits().takeBack()) {
                    return new Plan(s, List.of(new Step.GiveUp(catalogue.away().nobodyAnswered())), true);
                }
                // Default behaviour blocks the take, and on WhatsApp only the escalation partner takes: the team is
                // alerted instead, never a take Graph must refuse.
                return takeBlocked(s, waiting, now);
            }
            if (!alertOwed && !waiting.alerted() && now >= availability.alertAt(waiting.since())) {
                return owing(s, alert(s, waiting, Step.Alert.Why.UNANSWERED), now);
            }
        }
        long offerAt = s.followup().offerAt();
        if (offerAt > 0 && now >= offerAt) {
            var offered = s.withFollowup(f -> f.withOfferAt(0));
            return isBot(s.ownerAppId()) ? say(offered, now, new Step.Send(catalogue.away().openAgain(), true))
                    : new Plan(offered, List.of(), true);
        }
        // Nothing due after all (the settings changed since, or the index lagged): store the due time it has now.
        return scheduled(s).followup().dueAt() == s.followup().dueAt() ? Plan.nothing(s) : Plan.remember(s);
    }

    /**
     * The state as it is stored: a wait lasts only while another app holds the thread and an offer only while the
     * bot does; and when the sweep should next look at the thread (the alert, the give-up, the lapse of another
     * app's control, the offer: the earliest) and which operator queue it is in.
     */
    public ThreadState scheduled(ThreadState s) {
        var f = s.followup();
        boolean bot = isBot(s.ownerAppId());
        var waiting = bot ? null : f.waiting();
        long offerAt = bot ? f.offerAt() : 0;
        // A hold lapses without a webhook: the sweep notices, so that no queue shows a thread nobody holds.
        long due = bot ? 0 : s.expiresAt();
        if (waiting != null) {
            var availability = rules.availability();
            due = earliest(due, waiting.alerted() ? 0 : availability.alertAt(waiting.since()));
            due = earliest(due, waiting.takeRefused() ? 0 : availability.giveUpAt(waiting.since()));
        }
        due = earliest(due, offerAt);
        // An alert SNS has not taken yet is due from when it was decided: every sweep tries it until SNS does.
        due = earliest(due, f.owed() == null ? 0 : Math.max(1, f.owed().since()));
        var queue = bot ? Queue.BOT : waiting != null ? Queue.WAITING : Queue.WITH_AGENT;
        var next = new Followup(waiting, offerAt, f.apology(), f.surveyed(), due, queue, f.owed());
        return next.equals(f) ? s : s.withFollowup(next);
    }

    /** The earlier of two times, 0 meaning none. */
    private static long earliest(long a, long b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    /** Graph refused the take that should end a wait nobody answered. */
    private Plan giveUpRefused(ThreadState s, long now) {
        var waiting = s.followup().waiting();
        if (waiting == null || isBot(s.ownerAppId())) {
            return new Plan(s, List.of(), true); // the thread came back meanwhile: nothing to give up
        }
        return takeBlocked(s, waiting, now);
    }

    /**
     * The bot cannot give up on the wait (no take): the team is alerted instead, unless it already was (one alert
     * per hand-over); either way the give-up is not tried again.
     */
    private Plan takeBlocked(ThreadState s, Waiting waiting, long now) {
        if (waiting.alerted() || s.followup().owed() != null) {
            var blocked = waiting.alerted() ? waiting.alerted(true) : new Waiting(waiting.since(), waiting.reason(),
                    false, true);
            return new Plan(s.withFollowup(f -> f.withWaiting(blocked)), List.of(), true);
        }
        return owing(s, alert(s, waiting, Step.Alert.Why.TAKE_REFUSED), now);
    }

    private static Step.Alert alert(ThreadState s, Waiting waiting, Step.Alert.Why why) {
        return new Step.Alert(waiting.since(), waiting.reason(), lastUserLine(s), why);
    }

    /**
     * The team is owed {@code alert} from {@code now} on: it stays in the state, due for the sweep, until SNS takes it
     * ({@link #confirmed}); a failed attempt changes nothing, so the next sweep sends it again.
     */
    private static Plan owing(ThreadState s, Step.Alert alert, long now) {
        return new Plan(s.withFollowup(f -> f.withOwed(new Owed(alert, now))), List.of(alert), true);
    }

    /** What the user said last, for an alert. */
    static String lastUserLine(ThreadState s) {
        for (int i = s.transcript().size() - 1; i >= 0; i--) {
            if (s.transcript().get(i).who() == Speaker.USER) {
                return s.transcript().get(i).text();
            }
        }
        return "";
    }

    /**
     * Default behaviour only: a user event on {@code messaging} while another app holds the thread says nothing about
     * whether it still does. The caller asks {@code thread_owner} first and folds the answer in with
     * {@link #ownerChecked}, so that a thread the Inbox released is answered at once.
     */
    public boolean needsOwnerCheck(ThreadState state, WebhookEvent event, Routing routing) {
        return needsOwnerCheck(state, event, routing, event.envelope().timestamp());
    }

    public boolean needsOwnerCheck(ThreadState state, WebhookEvent event, Routing routing, long now) {
        return routing == Routing.DEFAULT_BEHAVIOUR && isUserInput(event)
                && event.envelope().channel() == Channel.MESSAGING && !isBot(state.ownerAppId())
                && !expired(state, now);
    }

    /** The state once {@code thread_owner} answered before an event ({@code null}: no answer). */
    public ThreadState ownerChecked(ThreadState s, OwnerAnswer answer, long now) {
        return resync(s, Reason.THREAD_OWNER, now, answer);
    }

    private static boolean isUserInput(WebhookEvent event) {
        return switch (event) {
            case Message m -> !m.isEcho();
            case Postback p -> true;
            case PassThreadControl p -> false;
            case TakeThreadControl t -> false;
            case RequestThreadControl r -> false;
            case Read r -> false;
            case DeliveryReceipt d -> false;
            case AppRoles a -> false;
            case Referral r -> false;
            case Optin o -> false;
            case StoryReply r -> false;
            case MessageDeleted d -> false;
            case UnsupportedMessage u -> false;
            case StoryMention m -> false;
            case Reaction r -> false;
            case PolicyEnforcement p -> false;
            case SelfMessage m -> false;
            case WebhookEvent.Status st -> false;
            case Unknown u -> false;
        };
    }

    private Plan onUserInput(ThreadState state, Channel channel, Routing routing, String text, String payload,
            Message message, String mid, long at, long now) {
        var said = text != null ? text : describe(message);
        var s = said == null ? state.withUserAt(at) : state.withLine(new Line(at, Speaker.USER, said));
        if (!isBot(s.ownerAppId()) && expired(s, now)) {
            s = lapsed(s, now);
        }
        if (channel == Channel.STANDBY) {
            // Someone else owns the thread: record for context, never answer, never pass or take.
            if (isBot(s.ownerAppId())) {
                return new Plan(s, List.of(new Step.LookupOwner(Reason.STANDBY_WHILE_BOT_OWNS)), true);
            }
            return new Plan(extended(s, now), List.of(), true);
        }
        if (!isBot(s.ownerAppId())) {
            if (routing == Routing.DEFAULT_BEHAVIOUR) {
                // Every app hears this on messaging: the Inbox still holds the thread as far as we know.
                return new Plan(extended(s, now), List.of(), true);
            }
            // Routing delivers to us on messaging only if the thread is ours or idle: its holder let it go.
            s = s.withOwner(rules.botAppId(), now, Reason.MESSAGING_CHANNEL, 0, new Transition(now,
                    TransitionKind.RELEASED, s.ownerAppId(), rules.botAppId(), Reason.MESSAGING_CHANNEL, null,
                    held(s, now)));
        }
        var question = new Step.AskBot(mid, text, payload, message == null ? List.of() : message.attachments(),
                message == null ? List.of() : message.nlp(), at, routing);
        return apologisingFirst(answer(s, routing, text, payload, message, question, now), now);
    }

    private Plan answer(ThreadState s, Routing routing, String text, String payload, Message message,
            Step.AskBot question, long now) {
        if (Rules.SATISFIED.equals(payload) || Rules.NOT_SATISFIED.equals(payload)) {
            if (!s.followup().surveyed()) {
                // A second tap, or a stale one: thanked again, counted once.
                return say(s, now, new Step.Send(catalogue.survey().thanks(), true));
            }
            var how = Rules.SATISFIED.equals(payload) ? Reason.SATISFIED : Reason.NOT_SATISFIED;
            var answered = s.withFollowup(f -> f.withSurveyed(false)).withTransition(new Transition(now,
                    TransitionKind.SURVEY_ANSWERED, s.ownerAppId(), null, how, null, null));
            return say(answered, now, new Step.Send(catalogue.survey().thanks(), true));
        }
        var why = handoffTrigger(text, payload, message);
        if (why != null) {
            return handoff(s.withFallbacks(0), why, routing, now);
        }
        if (rules.askBot()) {
            // The team's own bot answers (what asks for a person never reaches it: handed over above). It is asked
            // only while it may answer: not outside the user's window, where nothing it said could be sent.
            if (!windowOpen(s, now)) {
                return new Plan(skipped(s, now, "(the bot was not asked: the window is closed)"), List.of(), true);
            }
            return new Plan(s, List.of(new Step.Typing(), question), true);
        }
        var answer = catalogue.answerFor(payload, text);
        if (answer.isPresent()) {
            return say(s.withFallbacks(0), now, new Step.Send(answer.get().answer(), true));
        }
        int misses = s.fallbacks() + 1;
        var reply = misses >= rules.fallbackLimit() ? catalogue.offerPerson() : catalogue.fallback();
        return say(s.withFallbacks(misses), now, new Step.Send(reply, true));
    }

    /**
     * After a hand-over lapsed unanswered, the bot's next words to the user start with an apology, its own message
     * (an answer may already use the platform's whole length).
     */
    private Plan apologisingFirst(Plan plan, long now) {
        var s = plan.state();
        if (!s.followup().apology() || plan.steps().isEmpty() || !windowOpen(s, now)) {
            return plan;
        }
        var steps = new java.util.ArrayList<Step>(plan.steps().size() + 1);
        steps.add(new Step.Send(catalogue.away().sorryForSilence(), false));
        steps.addAll(plan.steps());
        return new Plan(s.withFollowup(f -> f.withApology(false)), steps, true);
    }

    /**
     * Another app's control lapsed (24 h without activity): the thread is idle, the bot answers it. A hand-over that
     * lapsed unanswered is recorded so, and owes the user an apology.
     */
    private ThreadState lapsed(ThreadState s, long now) {
        var waiting = s.followup().waiting();
        boolean unanswered = waiting != null;
        var why = unanswered ? Reason.UNANSWERED : Reason.CONTROL_EXPIRED;
        var next = s.withOwner(rules.botAppId(), now, Reason.CONTROL_EXPIRED, 0, new Transition(now,
                TransitionKind.EXPIRED, s.ownerAppId(), rules.botAppId(), why, null, held(s, now)));
        if (!unanswered) {
            return next;
        }
        // The team hears of it unless it already did (one alert per hand-over): owed until SNS takes it.
        var owed = waiting.alerted() ? null : new Owed(alert(s, waiting, Step.Alert.Why.LAPSED), now);
        return next.withFollowup(f -> f.withWaiting(null).withApology(true).withOwed(owed != null ? owed : f.owed()));
    }

    private Reason handoffTrigger(String text, String payload, Message message) {
        if (payload != null && payload.equals(rules.handoffPayload())) {
            return Reason.USER_ASKED;
        }
        if (message != null && message.nlp().stream().anyMatch(
                n -> n.confidence() >= rules.nlpConfidence() && (named(n.name()) || named(n.value())))) {
            return Reason.NLP;
        }
        return payload == null && intents.asksForHuman(text) ? Reason.ASKED_IN_WORDS : null;
    }

    /** An NLP signal may come without a name or value; the configured names are an immutable set, which refuses null. */
    private boolean named(String nameOrValue) {
        return nameOrValue != null && rules.nlpNames().contains(nameOrValue);
    }

    /**
     * Tell the user first: once the Inbox owns the thread the bot may no longer send. Where routing is configured
     * the notice carries the pass ({@code thread_control}): one call; otherwise a message, then the pass.
     */
    private Plan handoff(ThreadState s, Reason why, Routing routing, long now) {
        var availability = rules.availability();
        var notice = catalogue.handoffNotice();
        if (!availability.isOpen(now)) {
            var when = availability.hours().describeNextOpening(java.time.Instant.ofEpochMilli(now));
            if (availability.whenClosed() == Availability.WhenClosed.KEEP) {
                var kept = s.withFollowup(f -> f.withOfferAt(availability.nextOpening(now))).withTransition(
                        new Transition(now, TransitionKind.HANDOFF_DEFERRED, s.ownerAppId(), rules.inboxAppId(), why,
                                "closed until " + when, null));
                return say(kept, now, new Step.Send(BotCatalogue.opening(catalogue.away().closedKeep(), when), false));
            }
            notice = BotCatalogue.opening(catalogue.away().closedNotice(), when);
        }
        var context = metadata(s, why);
        if (!windowOpen(s, now)) {
            // The request came too late to answer (a redelivery a day on): no notice Graph must refuse, the pass alone.
            return new Plan(skipped(s, now, notice), List.of(new Step.Pass(rules.inboxAppId(), why, context)), true);
        }
        boolean oneCall = switch (routing) {
            case ROUTING -> rules.limits().passWithMessage();
            case DEFAULT_BEHAVIOUR -> false;
        };
        var steps = oneCall ? List.<Step>of(new Step.SendAndPass(notice, rules.inboxAppId(), why, context))
                : List.<Step>of(new Step.Send(notice, false), new Step.Pass(rules.inboxAppId(), why, context));
        return new Plan(s, steps, true);
    }

    /**
     * An echo of a message the Page sent. From the Inbox while it did not hold the thread: an agent answered, so the
     * Inbox has the thread or is taking it (it takes control by answering). The bot follows, makes no pass Graph would
     * refuse, and says nothing after it.
     */
    /**
     * An echo of a message the Page sent. The bot's own are the ones Graph gave it the ids of (Messenger also names
     * the app; Instagram does not). Any other is a person answering: while another app holds the thread, that app
     * (the Inbox, usually) answered, which ends the wait; from the Inbox while it did not hold the thread, an agent
     * answered, so the Inbox has the thread or is taking it (it takes control by answering): the bot follows, makes
     * no pass Graph would refuse, and says nothing after it.
     */
    private Plan onEcho(ThreadState state, Message echo, long at, long now) {
        if (isBot(echo.appId()) || echo.mid() != null && state.sent().contains(echo.mid())) {
            return Plan.nothing(state); // our own message: already in the transcript when Graph confirmed it
        }
        var s = echo.text() == null ? state : state.withLine(new Line(at, Speaker.AGENT, echo.text()));
        var holder = isBot(s.ownerAppId()) || expired(s, now) ? null : s.ownerAppId();
        var sender = echo.appId() != null ? echo.appId() : holder;
        if (sender != null && sender.equals(holder)) {
            return new Plan(extended(answered(s, now), now), List.of(), true);
        }
        if (rules.inboxAppId().equals(sender)) {
            s = answered(s, now);
            s = s.withFallbacks(0).withOwner(rules.inboxAppId(), now, Reason.AGENT_REPLIED,
                    now + CONTROL_LASTS_MILLIS, new Transition(now, TransitionKind.FOLLOWED, s.ownerAppId(),
                            rules.inboxAppId(), Reason.AGENT_REPLIED, null, held(s, now)));
        }
        return new Plan(s, List.of(), true);
    }

    /** An agent's first message after a hand-over ends the wait; how long it was is recorded. */
    private static ThreadState answered(ThreadState s, long now) {
        var waiting = s.followup().waiting();
        if (waiting == null) {
            return s;
        }
        return s.withFollowup(f -> f.withWaiting(null)).withTransition(new Transition(now, TransitionKind.ANSWERED,
                s.ownerAppId(), s.ownerAppId(), waiting.reason(), null, Math.max(0, now - waiting.since())));
    }

    private Plan onPass(ThreadState state, PassThreadControl p, Channel channel, long now) {
        var to = p.newOwnerAppId();
        if (to == null) {
            return Plan.nothing(state);
        }
        if (to.equals(state.ownerAppId()) && !isBot(to)) {
            return Plan.remember(state);
        }
        if (isBot(to)) {
            // The agent clicked Done in the Page Inbox (or another app gave the thread back).
            boolean wasHeld = !isBot(state.ownerAppId());
            var from = p.previousOwnerAppId() != null ? p.previousOwnerAppId() : state.ownerAppId();
            var s = state.withFallbacks(0).withOwner(to, now, Reason.DONE, 0, new Transition(now,
                    TransitionKind.RETURNED, from, to, Reason.DONE, null, wasHeld ? held(state, now) : null));
            // On standby the platform says we do not own the thread after all: follow it, but say nothing.
            if (rules.availability().satisfaction() && wasHeld && channel == Channel.MESSAGING) {
                return say(s, now, new Step.Send(catalogue.survey().question(), false, true));
            }
            if (rules.welcomeBack() && wasHeld && channel == Channel.MESSAGING) {
                return say(s, now, new Step.Send(catalogue.welcomeBack(), true));
            }
            return new Plan(s, List.of(), true);
        }
        return new Plan(follow(state, p.previousOwnerAppId(), to, Reason.PASSED_BY_OTHER, now), List.of(), true);
    }

    private Plan onTake(ThreadState state, TakeThreadControl t, long now) {
        if (t.newOwnerAppId() == null) {
            return new Plan(state, List.of(new Step.LookupOwner(Reason.TAKE_WITHOUT_OWNER)), false);
        }
        if (t.newOwnerAppId().equals(state.ownerAppId())) {
            // Already known (a thread_owner lookup got there first); a copy of this event arriving after the thread
            // came back must not hand it over again.
            return Plan.remember(state);
        }
        return new Plan(follow(state, t.previousOwnerAppId(), t.newOwnerAppId(), Reason.TAKEN, now), List.of(), true);
    }

    private Plan onRequest(ThreadState state, RequestThreadControl r, Channel channel, long now) {
        var requester = r.requestedOwnerAppId();
        if (requester == null || isBot(requester)) {
            return Plan.nothing(state);
        }
        // Only the owner hears a request on messaging; on standby it is not ours to grant.
        boolean owner = isBot(state.ownerAppId()) && channel == Channel.MESSAGING;
        if (owner && rules.requestPolicy().allows(requester, rules.inboxAppId())) {
            // Granting matters: ignoring it makes threads an admin moved to Inbox bounce back to the bot.
            return new Plan(state, List.of(new Step.Pass(requester, Reason.REQUESTED,
                    metadata(state, Reason.REQUESTED))), true);
        }
        var why = owner ? Reason.POLICY : Reason.NOT_OWNER;
        return new Plan(state.withTransition(new Transition(now, TransitionKind.REQUEST_DECLINED, state.ownerAppId(),
                requester, why, null, null)), List.of(), true);
    }

    private ThreadState follow(ThreadState state, String from, String to, Reason why, long now) {
        var previous = from != null ? from : state.ownerAppId();
        return state.withOwner(to, now, why, isBot(to) ? 0 : now + CONTROL_LASTS_MILLIS,
                new Transition(now, TransitionKind.FOLLOWED, previous, to, why, null, held(state, now)));
    }

    /**
     * What the bot answered, as the platform takes it: each message's text in pieces within the platform's limit
     * (cut at a sentence or a word, never mid-word), at most the platform's quick replies with titles shortened to
     * its limit, the "Talk to a person" reply after them where there is room (not when the bot hands over), an empty
     * message dropped; then the hand-over it asked for, on the same path as the user's (reason {@code bot_decided}).
     */
    public Plan botAnswered(ThreadState s, BotAnswer answer, Routing routing, long now) {
        var limits = rules.limits();
        var steps = new java.util.ArrayList<Step>();
        var messages = answer.messages().stream().filter(m -> m.text() != null && !m.text().isBlank()).toList();
        for (int i = 0; i < messages.size(); i++) {
            var m = messages.get(i);
            var replies = m.quickReplies().stream().filter(r -> r.title() != null && !r.title().isBlank()
                    && r.payload() != null && !r.payload().isBlank()).limit(limits.quickReplies())
                    .map(r -> new BotAnswer.Reply(Text.clip(r.title().strip(), limits.title()), r.payload()))
                    .toList();
            boolean last = i == messages.size() - 1;
            boolean offer = last && answer.handover() == null && replies.size() < limits.quickReplies()
                    && replies.stream().noneMatch(r -> r.payload().equals(rules.handoffPayload()));
            var pieces = new java.util.ArrayList<>(Text.split(m.text(), limits.text()));
            if ((offer || !replies.isEmpty()) && !pieces.isEmpty()
                    && pieces.getLast().length() > limits.textWithReplies()) {
                // The text that carries the replies is shorter on some platforms (WhatsApp's buttons: 1024).
                pieces.addAll(Text.split(pieces.removeLast(), limits.textWithReplies()));
            }
            for (int p = 0; p < pieces.size(); p++) {
                boolean lastPiece = p == pieces.size() - 1;
                steps.add(new Step.Send(pieces.get(p), lastPiece && offer, false, lastPiece ? replies : List.of()));
            }
        }
        var next = messages.isEmpty() ? s : s.withFallbacks(0);
        if (!steps.isEmpty() && !windowOpen(next, now)) {
            next = skipped(next, now, ((Step.Send) steps.get(0)).text());
            steps.clear();
        }
        if (answer.handover() != null) {
            var handoff = handoff(next.withFallbacks(0), Reason.BOT_DECIDED, routing, now);
            next = handoff.state();
            steps.addAll(handoff.steps());
        }
        return new Plan(next, steps, true);
    }

    /**
     * The bot gave no usable answer ({@code failure}): the user is not left waiting, the catalogue's fallback
     * answers, with the offer of a person; the history says why.
     */
    public Plan botFailed(ThreadState s, BotFailure failure, long now) {
        var next = s.withTransition(new Transition(now, TransitionKind.BOT_FAILED, s.ownerAppId(), null,
                Reason.BOT_FAILED, failure.wire(), null));
        return say(next, now, new Step.Send(catalogue.fallback(), true));
    }

    /**
     * Whether the bot may send a message of its own now (answering later): {@code null} if it may, else why not. Only
     * the owner may talk, and only inside the user's window: a late bot never talks over an agent.
     */
    public String botMaySend(ThreadState s, boolean known, long now) {
        if (!known) {
            return "unknown thread: the user has not written to this account";
        }
        if (!isBot(s.ownerAppId()) && !expired(s, now)) {
            return "the bot does not hold the thread: " + rules.roleOf(s.ownerAppId()).wire() + " has it";
        }
        if (!windowOpen(s, now)) {
            return "outside the user's 24 h messaging window";
        }
        return null;
    }

    /**
     * The state after Graph confirmed {@code step} at {@code now}; {@code answer} is what a {@code thread_owner} step
     * answered ({@code null} for the other steps).
     */
    public ThreadState confirmed(ThreadState s, Step step, long now, OwnerAnswer answer) {
        return confirmed(s, step, now, answer, null);
    }

    /** As above; {@code messageId} is the id Graph gave a message the step sent ({@code null}: none, or not said). */
    public ThreadState confirmed(ThreadState s, Step step, long now, OwnerAnswer answer, String messageId) {
        return switch (step) {
            case Step.Send send -> {
                var said = s.withLine(new Line(now, Speaker.BOT, send.text())).withSent(messageId);
                yield send.survey() ? said.withFollowup(f -> f.withSurveyed(true)) : said;
            }
            case Step.Typing typing -> s;
            case Step.AskBot ask -> s;
            case Step.SendAndPass handoff -> passed(s.withLine(new Line(now, Speaker.BOT, handoff.text()))
                    .withSent(messageId), handoff.targetAppId(), handoff.reason(), now);
            case Step.Pass pass -> passed(s, pass.targetAppId(), pass.reason(), now);
            case Step.Take take -> takenBack(s, take.reason(), now);
            case Step.GiveUp giveUp -> takenBack(s, Reason.NOBODY_ANSWERED, now);
            case Step.Alert alert -> alerted(s, alert, now);
            case Step.LookupOwner lookup -> resync(s, lookup.why(), now, answer);
        };
    }

    private ThreadState takenBack(ThreadState s, Reason why, long now) {
        return s.withFallbacks(0).withOwner(rules.botAppId(), now, why, 0, new Transition(now,
                TransitionKind.TAKEN_BACK, s.ownerAppId(), rules.botAppId(), why, null, held(s, now)));
    }

    private static ThreadState alerted(ThreadState s, Step.Alert alert, long now) {
        var waiting = s.followup().waiting();
        var why = switch (alert.why()) {
            case UNANSWERED -> alert.reason();
            case TAKE_REFUSED -> Reason.GIVE_UP_REFUSED;
            case LAPSED -> Reason.UNANSWERED;
        };
        var next = s.withTransition(new Transition(now, TransitionKind.ALERTED, s.ownerAppId(), null, why, null,
                Math.max(0, now - alert.handedOverAt()))).withFollowup(f -> f.withOwed(null));
        return waiting == null ? next : next.withFollowup(f -> f.withWaiting(waiting.alerted(alert.takeRefused())));
    }

    /** What follows a step Graph confirmed, as a plan of its own: the bot's word to the user after it gave up. */
    public Plan after(ThreadState s, Step step, long now) {
        if (step instanceof Step.GiveUp giveUp) {
            return say(s, now, new Step.Send(giveUp.text(), true));
        }
        return Plan.nothing(s);
    }

    private ThreadState passed(ThreadState s, String target, Reason why, long now) {
        var next = s.withOwner(target, now, why, isBot(target) ? 0 : now + CONTROL_LASTS_MILLIS,
                new Transition(now, TransitionKind.PASSED, s.ownerAppId(), target, why, null, held(s, now)));
        // The user asked for a person: they wait until an agent answers. An app that asked for the thread is there.
        boolean handoff = rules.inboxAppId().equals(target) && why != Reason.REQUESTED;
        return next.withFollowup(f -> f.withOfferAt(0).withWaiting(handoff ? new Waiting(now, why, false, false)
                : null));
    }

    /**
     * The state once {@code thread_owner} answered ({@code null}: no answer). Idle: the bot, as default app, has the
     * thread back (released). An owner Graph does not name is another app; an owner we knew keeps it, with Graph's
     * expiration.
     */
    public ThreadState resync(ThreadState s, Reason why, long now, OwnerAnswer answer) {
        if (answer == null) {
            return s;
        }
        if (answer.idle()) {
            if (isBot(s.ownerAppId())) {
                return s;
            }
            return s.withOwner(rules.botAppId(), now, why, 0, new Transition(now, TransitionKind.RELEASED,
                    s.ownerAppId(), rules.botAppId(), why, null, held(s, now)));
        }
        var named = answer.appId();
        if (named == null && !isBot(s.ownerAppId())) {
            named = s.ownerAppId(); // not named to us, but somebody else holds it: the app we knew of, as far as we know
        }
        var owner = named == null ? UNNAMED_APP : named;
        long expires = isBot(owner) ? 0 : answer.expiresAt() > 0 ? answer.expiresAt() : now + CONTROL_LASTS_MILLIS;
        if (owner.equals(s.ownerAppId())) {
            return expires == s.expiresAt() || isBot(owner) ? s : s.withExpiry(expires);
        }
        return s.withOwner(owner, now, Reason.RESYNC, expires,
                new Transition(now, TransitionKind.RESYNC, s.ownerAppId(), owner, why, null, held(s, now)));
    }

    /**
     * {@code step} once more at {@code now}, just before it runs: a message decided earlier (a step an earlier delivery
     * left) whose messaging window has closed meanwhile is not sent but recorded, and a notice that would carry a pass
     * leaves the pass alone. {@code null}: run it as it is.
     */
    public Plan beforeStep(ThreadState s, Step step, long now) {
        if (windowOpen(s, now)) {
            return null;
        }
        return switch (step) {
            case Step.Send send -> new Plan(skipped(s, now, send.text()), List.of(), true);
            case Step.Typing typing -> new Plan(s, List.of(), false);
            case Step.AskBot ask -> new Plan(skipped(s, now, "(the bot was not asked: the window is closed)"),
                    List.of(), true);
            case Step.SendAndPass handoff -> new Plan(skipped(s, now, handoff.text()), List.of(new Step.Pass(
                    handoff.targetAppId(), handoff.reason(), handoff.metadata())), true);
            case Step.Pass pass -> null;
            case Step.Take take -> null;
            case Step.GiveUp giveUp -> null;
            case Step.Alert alert -> null;
            case Step.LookupOwner lookup -> null;
        };
    }

    /**
     * Whether Graph refusing {@code step} for {@code refusal} is worth asking {@code thread_owner}: the thread may
     * have moved under us, or the call went through and only its answer was lost.
     */
    public static boolean ownerMattersWhenRefused(Step step, Refusal refusal) {
        return switch (step) {
            case Step.Pass pass -> refusal.ownerMayHaveChanged();
            case Step.SendAndPass handoff -> refusal.ownerMayHaveChanged();
            case Step.Take take -> refusal.ownerMayHaveChanged();
            case Step.GiveUp giveUp -> refusal.ownerMayHaveChanged();
            case Step.Alert alert -> false;
            case Step.Send send -> false;
            case Step.Typing typing -> false;
            case Step.AskBot ask -> false;
            case Step.LookupOwner lookup -> false;
        };
    }

    /**
     * What to do once Graph refused {@code step} for good: never a retry of the same call. {@code answer} is
     * {@code thread_owner}'s answer when {@link #ownerMattersWhenRefused} asked for it. A pass whose target owns the
     * thread after all went through; a notice that could not carry the pass is sent with a separate pass; otherwise the
     * bot keeps the thread and says so.
     */
    public Plan refused(ThreadState s, Step step, long now, OwnerAnswer answer, Refusal refusal, String error) {
        boolean targetOwns = answer != null && !answer.idle() && answer.appId() != null;
        return switch (step) {
            case Step.Pass pass when targetOwns && pass.targetAppId().equals(answer.appId()) ->
                new Plan(confirmed(s, pass, now, null), List.of(), true);
            case Step.Pass pass -> passFailed(resync(s, Reason.PASS_REFUSED, now, answer), pass.targetAppId(),
                    pass.reason(), now, error);
            case Step.SendAndPass handoff when targetOwns && handoff.targetAppId().equals(answer.appId()) ->
                new Plan(confirmed(s, handoff, now, null), List.of(), true);
            case Step.SendAndPass handoff when refusal == Refusal.NOT_OWNER
                    || refusal == Refusal.ANOTHER_APP_CONTROLS ->
                passFailed(resync(s, Reason.PASS_REFUSED, now, answer), handoff.targetAppId(), handoff.reason(), now,
                        error);
            case Step.SendAndPass handoff -> separately(resync(s, Reason.PASS_REFUSED, now, answer), handoff, now, error);
            case Step.Take take -> new Plan(resync(s, Reason.TAKE_REFUSED, now, answer).withTransition(new Transition(
                    now, TransitionKind.TAKE_FAILED, s.ownerAppId(), rules.botAppId(), refusal == Refusal.TAKE_NOT_SUPPORTED
                            ? Reason.TAKE_NOT_SUPPORTED : take.reason(), error, null)), List.of(), true);
            case Step.GiveUp giveUp -> giveUpRefused(resync(s, Reason.TAKE_REFUSED, now, answer), now);
            case Step.Alert alert -> Plan.nothing(s);
            case Step.Send send when refusal == Refusal.OUTSIDE_WINDOW -> new Plan(skipped(s, now, send.text()),
                    List.of(), true);
            case Step.Send send -> Plan.nothing(s);
            case Step.Typing typing -> Plan.nothing(s);
            case Step.AskBot ask -> botFailed(s, BotFailure.REFUSED, now);
            case Step.LookupOwner lookup -> Plan.nothing(s);
        };
    }

    /**
     * Graph would not take {@code thread_control} with the message (not configured here, or refused): the message and
     * then the pass, each on its own, the pass with the agent's context; unless the thread turned out to be another
     * app's, where the bot may say nothing.
     */
    private Plan separately(ThreadState s, Step.SendAndPass handoff, long now, String error) {
        if (!isBot(s.ownerAppId())) {
            return passFailed(s, handoff.targetAppId(), handoff.reason(), now, error);
        }
        return new Plan(s, List.of(new Step.Send(handoff.text(), false),
                new Step.Pass(handoff.targetAppId(), handoff.reason(), handoff.metadata())), true);
    }

    /** A pass Graph refused: the bot keeps the thread and says so to the user. */
    private Plan passFailed(ThreadState s, String target, Reason why, long now, String error) {
        var next = s.withTransition(new Transition(now, TransitionKind.PASS_FAILED, s.ownerAppId(), target, why, error,
                null));
        if (isBot(s.ownerAppId()) && why != Reason.REQUESTED) {
            return say(next, now, new Step.Send(catalogue.handoffFailed(), true));
        }
        return new Plan(next, List.of(), true);
    }

    /**
     * A message, if the user's messaging window is open at {@code now}: within 24 h of their last message. Outside it
     * Graph would refuse (and a retry would only burn the delivery's budget): not attempted, recorded.
     */
    private Plan say(ThreadState s, long now, Step.Send send) {
        if (!windowOpen(s, now)) {
            return new Plan(skipped(s, now, send.text()), List.of(), true);
        }
        return new Plan(s, List.of(send), true);
    }

    private static ThreadState skipped(ThreadState s, long now, String text) {
        return s.withTransition(new Transition(now, TransitionKind.MESSAGE_SKIPPED, s.ownerAppId(), null,
                Reason.OUTSIDE_WINDOW, text, null));
    }

    /** Whether the bot may still message the user at {@code now}. */
    public static boolean windowOpen(ThreadState s, long now) {
        return s.userAt() > 0 && now - s.userAt() < WINDOW_MILLIS;
    }

    /** Whether another app's control of the thread lapsed by {@code now}: the thread is idle. */
    public boolean expired(ThreadState s, long now) {
        return !isBot(s.ownerAppId()) && s.expiresAt() > 0 && now >= s.expiresAt();
    }

    /** Activity while another app holds the thread keeps its control alive for another 24 h. */
    private static ThreadState extended(ThreadState s, long now) {
        long expires = now + CONTROL_LASTS_MILLIS;
        return expires > s.expiresAt() ? s.withExpiry(expires) : s;
    }

    /**
     * Context for the agent: why, and the latest things the user said, newest kept first, each quote cut to
     * {@link #QUOTE_CHARS}, all under Graph's metadata limit. A quote that would have fewer than {@link #MIN_QUOTE}
     * characters of room is left out: the agent gets whole recent messages rather than a stub of an old one.
     */
    String metadata(ThreadState s, Reason why) {
        var head = "reason=" + why.wire() + "; recent user messages: ";
        var kept = new ArrayDeque<String>();
        int room = METADATA_LIMIT - 1 - head.length();
        var transcript = s.transcript();
        for (int i = transcript.size() - 1; i >= 0; i--) {
            var line = transcript.get(i);
            if (line.who() != Speaker.USER) {
                continue;
            }
            int separator = kept.isEmpty() ? 0 : QUOTE_SEPARATOR.length();
            int textRoom = Math.min(QUOTE_CHARS, room - separator - 2);
            if (textRoom < MIN_QUOTE) {
                break;
            }
            var quoted = '"' + Text.clip(line.text().replace('"', '\''), textRoom) + '"';
            kept.addFirst(quoted);
            room -= quoted.length() + separator;
        }
        return head + String.join(QUOTE_SEPARATOR, kept);
    }

    private boolean isBot(String appId) {
        return rules.botAppId().equals(appId);
    }

    private static Long held(ThreadState s, long now) {
        return s.since() > 0 && now >= s.since() ? now - s.since() : null;
    }

    private static String describe(Message message) {
        if (message == null || message.attachments().isEmpty()) {
            return null;
        }
        return "[" + message.attachments().get(0).type() + "]";
    }
}
