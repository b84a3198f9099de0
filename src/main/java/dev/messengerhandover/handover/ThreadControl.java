package dev.messengerhandover.handover;

import java.util.ArrayDeque;
import java.util.List;

import dev.messengerhandover.handover.ThreadState.Line;
import dev.messengerhandover.handover.ThreadState.Transition;
import dev.messengerhandover.webhook.Channel;
import dev.messengerhandover.webhook.WebhookEvent;

/**
 * The Primary Receiver's side of the handover protocol as one pure function of (stored thread, event): no I/O, no
 * clock, no Quarkus. The caller runs the {@link Step}s against Graph and reports each confirmation back through
 * {@link #confirmed}, so the stored owner only ever changes to what Graph accepted.
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
        return event instanceof WebhookEvent.Message || event instanceof WebhookEvent.Postback
                || event instanceof WebhookEvent.PassThreadControl || event instanceof WebhookEvent.TakeThreadControl
                || event instanceof WebhookEvent.RequestThreadControl;
    }

    // Java 17 has no pattern matching in switch; the sealed hierarchy keeps this list honest.
    public Plan onEvent(ThreadState state, WebhookEvent event) {
        long at = event.envelope().timestamp();
        if (event instanceof WebhookEvent.Message m) {
            return m.isEcho() ? onEcho(state, m, at) : onUserInput(state, event, m.text(), m.quickReplyPayload(), m, at);
        }
        if (event instanceof WebhookEvent.Postback p) {
            return onUserInput(state, event, p.title(), p.payload(), null, at);
        }
        if (event instanceof WebhookEvent.PassThreadControl p) {
            return onPass(state, p, at);
        }
        if (event instanceof WebhookEvent.TakeThreadControl t) {
            return onTake(state, t, at);
        }
        if (event instanceof WebhookEvent.RequestThreadControl r) {
            return onRequest(state, r, at);
        }
        return Plan.nothing(state);
    }

    private Plan onUserInput(ThreadState state, WebhookEvent event, String text, String payload,
            WebhookEvent.Message message, long at) {
        var said = text != null ? text : describe(message);
        var s = said == null ? state : state.withLine(new Line(at, "user", said));
        if (event.envelope().channel() == Channel.STANDBY) {
            // Someone else owns the thread: record for context, never answer, never pass or take.
            if (isBot(s.ownerAppId())) {
                return new Plan(s, List.of(new Step.LookupOwner("standby while stored owner is the bot")), true);
            }
            return new Plan(s, List.of(), true);
        }
        if (!isBot(s.ownerAppId())) {
            // On messaging, so the bot owns it again: the thread went idle, or the user tapped a bot button.
            s = s.withOwner(rules.botAppId(), at, "messaging_channel",
                    new Transition(at, "returned", s.ownerAppId(), rules.botAppId(), "messaging_channel",
                            held(s, at)));
        }
        var why = handoffTrigger(text, payload, message);
        if (why != null) {
            return handoff(s.withFallbacks(0), why, at);
        }
        var answer = catalogue.answerFor(payload, text);
        if (answer.isPresent()) {
            return new Plan(s.withFallbacks(0), List.of(new Step.Send(answer.get().answer(), true)), true);
        }
        int misses = s.fallbacks() + 1;
        var reply = misses >= rules.fallbackLimit() ? catalogue.offerPerson() : catalogue.fallback();
        return new Plan(s.withFallbacks(misses), List.of(new Step.Send(reply, true)), true);
    }

    private String handoffTrigger(String text, String payload, WebhookEvent.Message message) {
        if (payload != null && payload.equals(rules.handoffPayload())) {
            return "user_asked";
        }
        if (message != null && message.nlp().stream().anyMatch(
                n -> n.confidence() >= rules.nlpConfidence() && (named(n.name()) || named(n.value())))) {
            return "nlp";
        }
        return payload == null && intents.asksForHuman(text) ? "asked_in_words" : null;
    }

    /** An NLP signal may come without a name or value; the configured names are an immutable set, which refuses null. */
    private boolean named(String nameOrValue) {
        return nameOrValue != null && rules.nlpNames().contains(nameOrValue);
    }

    /** Tell the user first: once the inbox owns the thread the bot may no longer send. */
    private Plan handoff(ThreadState s, String why, long at) {
        return new Plan(s, List.of(new Step.Send(catalogue.handoffNotice(), false),
                new Step.Pass(rules.inboxAppId(), why, metadata(s, why))), true);
    }

    private Plan onEcho(ThreadState state, WebhookEvent.Message echo, long at) {
        if (isBot(echo.appId())) {
            return Plan.nothing(state); // our own message: already in the transcript when Graph confirmed it
        }
        var s = echo.text() == null ? state : state.withLine(new Line(at, "agent", echo.text()));
        if (echo.envelope().channel() == Channel.MESSAGING && isBot(s.ownerAppId())) {
            // A person answered from the Page Inbox while the bot owns the thread: step aside, don't talk over them.
            return new Plan(s, List.of(new Step.Pass(rules.inboxAppId(), "agent_replied",
                    metadata(s, "agent_replied"))), true);
        }
        return new Plan(s, List.of(), true);
    }

    private Plan onPass(ThreadState state, WebhookEvent.PassThreadControl p, long at) {
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
            var s = state.withFallbacks(0).withOwner(to, at, "done",
                    new Transition(at, "returned", from, to, "done", isBot(state.ownerAppId()) ? null : held(state, at)));
            var steps = rules.welcomeBack() && !isBot(state.ownerAppId())
                    ? List.<Step>of(new Step.Send(catalogue.welcomeBack(), true))
                    : List.<Step>of();
            return new Plan(s, steps, true);
        }
        return new Plan(follow(state, p.previousOwnerAppId(), to, "passed_by_other", at), List.of(), true);
    }

    private Plan onTake(ThreadState state, WebhookEvent.TakeThreadControl t, long at) {
        if (t.newOwnerAppId() == null) {
            return new Plan(state, List.of(new Step.LookupOwner("take_thread_control without new owner")), false);
        }
        if (t.newOwnerAppId().equals(state.ownerAppId())) {
            // Already known (a thread_owner lookup got there first); a copy of this event arriving after the thread
            // came back must not hand it over again.
            return Plan.remember(state);
        }
        return new Plan(follow(state, t.previousOwnerAppId(), t.newOwnerAppId(), "taken", at), List.of(), true);
    }

    private Plan onRequest(ThreadState state, WebhookEvent.RequestThreadControl r, long at) {
        var requester = r.requestedOwnerAppId();
        if (requester == null || isBot(requester)) {
            return Plan.nothing(state);
        }
        if (isBot(state.ownerAppId()) && rules.requestPolicy().allows(requester, rules.inboxAppId())) {
            // Granting matters: ignoring it makes threads an admin moved to Inbox bounce back to the bot.
            return new Plan(state, List.of(new Step.Pass(requester, "requested", metadata(state, "requested"))), true);
        }
        var why = isBot(state.ownerAppId()) ? "policy" : "not_owner";
        return new Plan(state.withTransition(new Transition(at, "request_declined", state.ownerAppId(), requester, why,
                null)), List.of(), true);
    }

    private ThreadState follow(ThreadState state, String from, String to, String why, long at) {
        var previous = from != null ? from : state.ownerAppId();
        return state.withOwner(to, at, why, new Transition(at, "followed", previous, to, why, held(state, at)));
    }

    /** The state after Graph confirmed {@code step}; {@code ownerFound} is the answer of a {@code thread_owner}. */
    public ThreadState confirmed(ThreadState s, Step step, long at, String ownerFound) {
        if (step instanceof Step.Send send) {
            return s.withLine(new Line(at, "bot", send.text()));
        }
        if (step instanceof Step.Pass pass) {
            return s.withOwner(pass.targetAppId(), at, pass.reason(),
                    new Transition(at, "passed", s.ownerAppId(), pass.targetAppId(), pass.reason(), held(s, at)));
        }
        if (step instanceof Step.Take take) {
            return s.withFallbacks(0).withOwner(rules.botAppId(), at, take.reason(),
                    new Transition(at, "taken_back", s.ownerAppId(), rules.botAppId(), take.reason(), held(s, at)));
        }
        if (step instanceof Step.LookupOwner lookup) {
            if (ownerFound == null || ownerFound.equals(s.ownerAppId())) {
                return s;
            }
            return s.withOwner(ownerFound, at, "resync",
                    new Transition(at, "resync", s.ownerAppId(), ownerFound, lookup.why(), held(s, at)));
        }
        return s;
    }

    /** A pass Graph finally refused: the bot keeps the thread and says so to the user. */
    public Plan passFailed(ThreadState s, Step.Pass pass, long at, String error) {
        var next = s.withTransition(new Transition(at, "pass_failed", s.ownerAppId(), pass.targetAppId(),
                pass.reason() + ": " + Text.clip(error, 120), null));
        var steps = isBot(s.ownerAppId()) && !"requested".equals(pass.reason())
                ? List.<Step>of(new Step.Send(catalogue.handoffFailed(), true))
                : List.<Step>of();
        return new Plan(next, steps, true);
    }

    /**
     * Context for the agent: why, and the latest things the user said, newest kept first, each quote cut to
     * {@link #QUOTE_CHARS}, all under Graph's metadata limit. A quote that would have fewer than {@link #MIN_QUOTE}
     * characters of room is left out: the agent gets whole recent messages rather than a stub of an old one.
     */
    String metadata(ThreadState s, String why) {
        var head = "reason=" + why + "; recent user messages: ";
        var kept = new ArrayDeque<String>();
        int room = METADATA_LIMIT - 1 - head.length();
        var transcript = s.transcript();
        for (int i = transcript.size() - 1; i >= 0; i--) {
            var line = transcript.get(i);
            if (!"user".equals(line.who())) {
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

    private static String describe(WebhookEvent.Message message) {
        if (message == null || message.attachments().isEmpty()) {
            return null;
        }
        return "[" + message.attachments().get(0).type() + "]";
    }
}
