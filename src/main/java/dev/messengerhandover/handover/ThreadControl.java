package dev.messengerhandover.handover;

import java.util.ArrayDeque;
import java.util.List;

import dev.messengerhandover.handover.ThreadState.Line;
import dev.messengerhandover.handover.ThreadState.Transition;
import dev.messengerhandover.handover.event.Channel;
import dev.messengerhandover.handover.event.WebhookEvent;
import dev.messengerhandover.handover.event.WebhookEvent.AppRoles;
import dev.messengerhandover.handover.event.WebhookEvent.DeliveryReceipt;
import dev.messengerhandover.handover.event.WebhookEvent.Message;
import dev.messengerhandover.handover.event.WebhookEvent.Optin;
import dev.messengerhandover.handover.event.WebhookEvent.PassThreadControl;
import dev.messengerhandover.handover.event.WebhookEvent.Postback;
import dev.messengerhandover.handover.event.WebhookEvent.Read;
import dev.messengerhandover.handover.event.WebhookEvent.Referral;
import dev.messengerhandover.handover.event.WebhookEvent.RequestThreadControl;
import dev.messengerhandover.handover.event.WebhookEvent.TakeThreadControl;
import dev.messengerhandover.handover.event.WebhookEvent.Unknown;

/**
 * The bot's side of thread control as one pure function of (stored thread, event): no I/O, no clock, no Quarkus. The
 * caller runs the {@link Step}s against Graph and reports each confirmation back through {@link #confirmed}, so the
 * stored owner only ever changes to what Graph accepted.
 *
 * <p>The delivery channel is the source of truth for ownership: Messenger puts an event on {@code messaging} only for
 * the owner (or while the thread is idle) and on {@code standby} for everybody else.
 */
public final class ThreadControl {

    /** The Graph metadata field is a string; 1000 characters is the commonly quoted limit. */
    public static final int METADATA_LIMIT = 1000;
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
            case Unknown u -> false;
        };
    }

    public Plan onEvent(ThreadState state, WebhookEvent event) {
        long at = event.envelope().timestamp();
        var channel = event.envelope().channel();
        return switch (event) {
            case Message m when m.isEcho() -> onEcho(state, m, channel, at);
            case Message m -> onUserInput(state, channel, m.text(), m.quickReplyPayload(), m, at);
            case Postback p -> onUserInput(state, channel, p.title(), p.payload(), null, at);
            case PassThreadControl p -> onPass(state, p, channel, at);
            case TakeThreadControl t -> onTake(state, t, at);
            case RequestThreadControl r -> onRequest(state, r, channel, at);
            case Read r -> Plan.nothing(state);
            case DeliveryReceipt d -> Plan.nothing(state);
            case AppRoles a -> Plan.nothing(state);
            case Referral r -> Plan.nothing(state);
            case Optin o -> Plan.nothing(state);
            case Unknown u -> Plan.nothing(state);
        };
    }

    private Plan onUserInput(ThreadState state, Channel channel, String text, String payload, Message message,
            long at) {
        var said = text != null ? text : describe(message);
        var s = said == null ? state : state.withLine(new Line(at, Speaker.USER, said));
        if (channel == Channel.STANDBY) {
            // Someone else owns the thread: record for context, never answer, never pass or take.
            if (isBot(s.ownerAppId())) {
                return new Plan(s, List.of(new Step.LookupOwner(Reason.STANDBY_WHILE_BOT_OWNS)), true);
            }
            return new Plan(s, List.of(), true);
        }
        if (!isBot(s.ownerAppId())) {
            // On messaging, so the bot owns it again: the thread went idle, or the user tapped a bot button.
            s = s.withOwner(rules.botAppId(), at, Reason.MESSAGING_CHANNEL, new Transition(at, TransitionKind.RETURNED,
                    s.ownerAppId(), rules.botAppId(), Reason.MESSAGING_CHANNEL, null, held(s, at)));
        }
        var why = handoffTrigger(text, payload, message);
        if (why != null) {
            return handoff(s.withFallbacks(0), why);
        }
        var answer = catalogue.answerFor(payload, text);
        if (answer.isPresent()) {
            return new Plan(s.withFallbacks(0), List.of(new Step.Send(answer.get().answer(), true)), true);
        }
        int misses = s.fallbacks() + 1;
        var reply = misses >= rules.fallbackLimit() ? catalogue.offerPerson() : catalogue.fallback();
        return new Plan(s.withFallbacks(misses), List.of(new Step.Send(reply, true)), true);
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

    /** Tell the user first: once the inbox owns the thread the bot may no longer send. */
    private Plan handoff(ThreadState s, Reason why) {
        return new Plan(s, List.of(new Step.Send(catalogue.handoffNotice(), false),
                new Step.Pass(rules.inboxAppId(), why, metadata(s, why))), true);
    }

    private Plan onEcho(ThreadState state, Message echo, Channel channel, long at) {
        if (isBot(echo.appId())) {
            return Plan.nothing(state); // our own message: already in the transcript when Graph confirmed it
        }
        var s = echo.text() == null ? state : state.withLine(new Line(at, Speaker.AGENT, echo.text()));
        if (channel == Channel.MESSAGING && isBot(s.ownerAppId())) {
            // A person answered from the Page Inbox while the bot owns the thread: step aside, don't talk over them.
            return new Plan(s, List.of(new Step.Pass(rules.inboxAppId(), Reason.AGENT_REPLIED,
                    metadata(s, Reason.AGENT_REPLIED))), true);
        }
        return new Plan(s, List.of(), true);
    }

    private Plan onPass(ThreadState state, PassThreadControl p, Channel channel, long at) {
        var to = p.newOwnerAppId();
        if (to == null) {
            return Plan.nothing(state);
        }
        if (to.equals(state.ownerAppId()) && !isBot(to)) {
            return Plan.remember(state);
        }
        if (isBot(to)) {
            // The agent clicked Done in the Page Inbox (or another app gave the thread back).
            var from = p.previousOwnerAppId() != null ? p.previousOwnerAppId() : state.ownerAppId();
            var s = state.withFallbacks(0).withOwner(to, at, Reason.DONE, new Transition(at, TransitionKind.RETURNED,
                    from, to, Reason.DONE, null, isBot(state.ownerAppId()) ? null : held(state, at)));
            // On standby the platform says we do not own the thread after all: follow it, but say nothing.
            var steps = rules.welcomeBack() && !isBot(state.ownerAppId()) && channel == Channel.MESSAGING
                    ? List.<Step>of(new Step.Send(catalogue.welcomeBack(), true))
                    : List.<Step>of();
            return new Plan(s, steps, true);
        }
        return new Plan(follow(state, p.previousOwnerAppId(), to, Reason.PASSED_BY_OTHER, at), List.of(), true);
    }

    private Plan onTake(ThreadState state, TakeThreadControl t, long at) {
        if (t.newOwnerAppId() == null) {
            return new Plan(state, List.of(new Step.LookupOwner(Reason.TAKE_WITHOUT_OWNER)), false);
        }
        if (t.newOwnerAppId().equals(state.ownerAppId())) {
            // Already known (a thread_owner lookup got there first); a copy of this event arriving after the thread
            // came back must not hand it over again.
            return Plan.remember(state);
        }
        return new Plan(follow(state, t.previousOwnerAppId(), t.newOwnerAppId(), Reason.TAKEN, at), List.of(), true);
    }

    private Plan onRequest(ThreadState state, RequestThreadControl r, Channel channel, long at) {
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
        return new Plan(state.withTransition(new Transition(at, TransitionKind.REQUEST_DECLINED, state.ownerAppId(),
                requester, why, null, null)), List.of(), true);
    }

    private ThreadState follow(ThreadState state, String from, String to, Reason why, long at) {
        var previous = from != null ? from : state.ownerAppId();
        return state.withOwner(to, at, why,
                new Transition(at, TransitionKind.FOLLOWED, previous, to, why, null, held(state, at)));
    }

    /** The state after Graph confirmed {@code step}; {@code ownerFound} is the answer of a {@code thread_owner}. */
    public ThreadState confirmed(ThreadState s, Step step, long at, String ownerFound) {
        return switch (step) {
            case Step.Send send -> s.withLine(new Line(at, Speaker.BOT, send.text()));
            case Step.Pass pass -> s.withOwner(pass.targetAppId(), at, pass.reason(), new Transition(at,
                    TransitionKind.PASSED, s.ownerAppId(), pass.targetAppId(), pass.reason(), null, held(s, at)));
            case Step.Take take -> s.withFallbacks(0).withOwner(rules.botAppId(), at, take.reason(), new Transition(at,
                    TransitionKind.TAKEN_BACK, s.ownerAppId(), rules.botAppId(), take.reason(), null, held(s, at)));
            case Step.LookupOwner lookup -> resync(s, lookup.why(), at, ownerFound);
        };
    }

    /** The state once {@code thread_owner} answered {@code ownerFound} ({@code null}: idle, or no answer). */
    public ThreadState resync(ThreadState s, Reason why, long at, String ownerFound) {
        if (ownerFound == null || ownerFound.equals(s.ownerAppId())) {
            return s;
        }
        return s.withOwner(ownerFound, at, Reason.RESYNC,
                new Transition(at, TransitionKind.RESYNC, s.ownerAppId(), ownerFound, why, null, held(s, at)));
    }

    /** Whether Graph refusing {@code step} is worth asking {@code thread_owner}: the thread may have moved under us. */
    public static boolean ownerMattersWhenRefused(Step step) {
        return switch (step) {
            case Step.Pass pass -> true;
            case Step.Take take -> true;
            case Step.Send send -> false;
            case Step.LookupOwner lookup -> false;
        };
    }

    /**
     * What to do once Graph refused {@code step} for good. {@code ownerFound} is {@code thread_owner}'s answer when
     * {@link #ownerMattersWhenRefused} asked for it ({@code null}: idle, or no answer either). A pass whose target owns
     * the thread after all went through (only its answer was lost); otherwise the bot keeps the thread and says so.
     */
    public Plan refused(ThreadState s, Step step, long at, String ownerFound, String error) {
        return switch (step) {
            case Step.Pass pass when pass.targetAppId().equals(ownerFound) ->
                new Plan(confirmed(s, pass, at, null), List.of(), true);
            case Step.Pass pass -> passFailed(resync(s, Reason.PASS_REFUSED, at, ownerFound), pass, at, error);
            case Step.Take take -> new Plan(resync(s, Reason.TAKE_REFUSED, at, ownerFound), List.of(), true);
            case Step.Send send -> Plan.nothing(s);
            case Step.LookupOwner lookup -> Plan.nothing(s);
        };
    }

    /** A pass Graph refused: the bot keeps the thread and says so to the user. */
    private Plan passFailed(ThreadState s, Step.Pass pass, long at, String error) {
        var next = s.withTransition(new Transition(at, TransitionKind.PASS_FAILED, s.ownerAppId(), pass.targetAppId(),
                pass.reason(), error, null));
        var steps = isBot(s.ownerAppId()) && pass.reason() != Reason.REQUESTED
                ? List.<Step>of(new Step.Send(catalogue.handoffFailed(), true))
                : List.<Step>of();
        return new Plan(next, steps, true);
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

    private static Long held(ThreadState s, long at) {
        return s.since() > 0 && at >= s.since() ? at - s.since() : null;
    }

    private static String describe(Message message) {
        if (message == null || message.attachments().isEmpty()) {
            return null;
        }
        return "[" + message.attachments().get(0).type() + "]";
    }
}
