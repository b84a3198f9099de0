package dev.messengerhandover.handover;

import static dev.messengerhandover.testing.Conversations.BOT;
import static dev.messengerhandover.testing.Conversations.INBOX;
import static dev.messengerhandover.testing.Conversations.OTHER;
import static dev.messengerhandover.testing.Conversations.PAGE;
import static dev.messengerhandover.testing.Seeded.forEachCase;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.messengerhandover.handover.Rules.RequestPolicy;
import dev.messengerhandover.handover.event.Channel;
import dev.messengerhandover.handover.event.WebhookEvent;
import dev.messengerhandover.store.ThreadItems;
import dev.messengerhandover.testing.Conversations;

/**
 * The rules over generated conversations (see {@link Conversations}), folded event by event through
 * {@link ThreadControl} and the confirmations of their steps, against a small model of the platform that owns the
 * truth about the thread and refuses what Graph refuses (sending or passing while another app holds the thread) and,
 * now and then, anything at all. Invariants, checked after every event:
 * <ul>
 * <li>nothing throws;</li>
 * <li>the agent's context (a pass's metadata) is under 1000 characters, and quotes the user whenever the user said
 * anything;</li>
 * <li>an event on {@code standby} never makes the bot send;</li>
 * <li>the bot never sends while the stored owner is another app, nor outside the user's 24 h messaging window;</li>
 * <li>a confirmed pass makes its target the owner;</li>
 * <li>transcript, history and their texts stay within their bounds;</li>
 * <li>the state round-trips through the DynamoDB item layout unchanged.</li>
 * </ul>
 * {@code -Dfuzz.seed=} runs other conversations; a failure names the seed of its case.
 */
class ThreadControlPropertyTest {

    private static final int CONVERSATIONS = Integer.getInteger("core.conversations", 20_000);
    private static ThreadControl control;

    @BeforeAll
    static void rules() throws IOException {
        try (var in = ThreadControlPropertyTest.class.getClassLoader().getResourceAsStream("bot-catalogue.json")) {
            control = new ThreadControl(new Rules(BOT, INBOX, "TALK_TO_PERSON", 2, true, RequestPolicy.PAGE_INBOX_ONLY,
                    Set.of("human_agent", "talk_to_person", "wit$talk_to_human"), 0.8), BotCatalogue.read(in),
                    new HumanIntentMatcher());
        }
    }

    @Test
    void theRulesHoldOverGeneratedConversations() {
        forEachCase(CONVERSATIONS, ThreadControlPropertyTest::conversation);
    }

    private static void conversation(Random random) {
        var user = Long.toString(7_000_000_000_000_000L + (random.nextLong() & 0xFFFF_FFFFL));
        var platform = new Platform(random, random.nextBoolean() ? Routing.ROUTING : Routing.DEFAULT_BEHAVIOUR);
        var state = ThreadState.initial(PAGE, user, BOT);
        long at = 1_764_000_000_000L;
        for (int i = 0, n = 1 + random.nextInt(40); i < n; i++) {
            // Mostly forward, sometimes the same millisecond or out of order, as deliveries can be; now and then a day
            // or more passes (control expires, the messaging window closes).
            at += switch (random.nextInt(20)) {
                case 0 -> -random.nextInt(5_000);
                case 1 -> ThreadControl.CONTROL_LASTS_MILLIS - 30_000 + random.nextInt(60_000);
                case 2 -> 2 * ThreadControl.WINDOW_MILLIS;
                default -> random.nextInt(120_000);
            };
            var event = Conversations.next(random, user, platform.owner, at);
            platform.hears(event, random);
            state = apply(state, event, platform);
            assertBounded(state);
            if (random.nextInt(4) == 0 || i == n - 1) {
                assertRoundTrips(state);
            }
        }
    }

    /** One event as the function applies it: decide, then run each step against the platform. */
    private static ThreadState apply(ThreadState state, WebhookEvent event, Platform platform) {
        long at = event.envelope().timestamp();
        if (control.needsOwnerCheck(state, event, platform.routing)) {
            state = control.ownerChecked(state, platform.lookup(), at);
        }
        var plan = control.onEvent(state, event, platform.routing);
        if (event.envelope().channel() == Channel.STANDBY) {
            assertThat(plan.steps()).as("steps for %s on standby", event.kind())
                    .noneMatch(Step.Send.class::isInstance);
        }
        return run(plan, event.envelope().timestamp(), platform);
    }

    private static ThreadState run(Plan plan, long at, Platform platform) {
        var s = plan.state();
        for (var step : plan.steps()) {
            s = runStep(s, step, at, platform);
        }
        return s;
    }

    private static ThreadState runStep(ThreadState s, Step step, long at, Platform platform) {
        return switch (step) {
            case Step.Send send -> {
                assertMaySend(s, at, send.text());
                yield platform.accepts(step) ? control.confirmed(s, step, at, null) : refused(s, step, at, platform);
            }
            case Step.SendAndPass handoff -> {
                assertMaySend(s, at, handoff.text());
                assertThat(handoff.metadata()).hasSizeLessThan(ThreadControl.METADATA_LIMIT);
                if (!platform.accepts(step)) {
                    yield refused(s, step, at, platform);
                }
                var after = control.confirmed(s, step, at, null);
                assertThat(after.ownerAppId()).as("owner after a confirmed hand-over").isEqualTo(handoff.targetAppId());
                yield after;
            }
            case Step.Pass pass -> {
                assertContext(s, pass);
                if (!platform.accepts(step)) {
                    yield refused(s, step, at, platform);
                }
                var after = control.confirmed(s, step, at, null);
                assertThat(after.ownerAppId()).as("owner after a confirmed pass").isEqualTo(pass.targetAppId());
                yield after;
            }
            case Step.Take take -> platform.accepts(step) ? control.confirmed(s, step, at, null)
                    : refused(s, step, at, platform);
            case Step.LookupOwner lookup -> control.confirmed(s, step, at, platform.lookup());
        };
    }

    private static ThreadState refused(ThreadState s, Step step, long at, Platform platform) {
        var refusal = platform.lastRefusal;
        var owner = ThreadControl.ownerMattersWhenRefused(step, refusal) ? platform.lookup() : null;
        return run(control.refused(s, step, at, owner, refusal, "HTTP 400: refused (" + refusal + ")"), at, platform);
    }

    private static void assertMaySend(ThreadState s, long at, String text) {
        assertThat(s.ownerAppId()).as("stored owner when the bot sends \"%s\"", text).isEqualTo(BOT);
        assertThat(ThreadControl.windowOpen(s, at)).as("messaging window when the bot sends \"%s\"", text).isTrue();
    }

    private static void assertContext(ThreadState s, Step.Pass pass) {
        var metadata = pass.metadata();
        assertThat(metadata).hasSizeLessThan(ThreadControl.METADATA_LIMIT)
                .startsWith("reason=" + pass.reason().wire() + "; ");
        boolean userSpoke = s.transcript().stream().anyMatch(l -> l.who() == Speaker.USER);
        assertThat(metadata.endsWith(": ")).as("context without a quote: %s", metadata).isEqualTo(!userSpoke);
    }

    private static void assertBounded(ThreadState s) {
        assertThat(s.transcript()).hasSizeLessThanOrEqualTo(ThreadState.MAX_TRANSCRIPT)
                .allSatisfy(l -> assertThat(l.text()).hasSizeLessThanOrEqualTo(ThreadState.MAX_LINE_CHARS));
        assertThat(s.history()).hasSizeLessThanOrEqualTo(ThreadState.MAX_HISTORY)
                .allSatisfy(t -> assertThat(t.detail() == null ? "" : t.detail())
                        .hasSizeLessThanOrEqualTo(ThreadState.MAX_DETAIL_CHARS));
        assertThat(s.ownerAppId()).isNotNull();
    }

    private static void assertRoundTrips(ThreadState s) {
        var processed = List.of("mid:m_1", "PassThreadControl:MESSAGING:u:p:1");
        var item = ThreadItems.encode(s, 7, processed, 1_764_000_000_000L, 1_772_000_000L);
        var back = ThreadItems.decode(item, s.pageId(), s.userId(), BOT);
        assertThat(back.state()).isEqualTo(s);
        assertThat(back.version()).isEqualTo(7);
        assertThat(back.processed()).isEqualTo(processed);
    }

    /**
     * The platform's truth about the thread, as Graph keeps it: who owns it ({@code null}: idle), what it refuses and
     * why. The conversation's own control events (the Inbox's Done, another app's take) move the truth too.
     */
    private static final class Platform {
        private final Random random;
        private final double faults;
        final Routing routing;
        String owner = BOT;
        Refusal lastRefusal = Refusal.OTHER;

        Platform(Random random, Routing routing) {
            this.random = random;
            this.routing = routing;
            this.faults = random.nextInt(3) == 0 ? 0.3 : 0.03;
        }

        void hears(WebhookEvent event, Random random) {
            switch (event) {
                case WebhookEvent.PassThreadControl p when p.newOwnerAppId() != null -> owner = p.newOwnerAppId();
                case WebhookEvent.TakeThreadControl t when t.newOwnerAppId() != null -> owner = t.newOwnerAppId();
                case WebhookEvent.Message m when m.isEcho() && INBOX.equals(m.appId()) && routing == Routing.ROUTING ->
                    owner = INBOX; // an agent's answer takes the thread
                default -> {
                    if (random.nextInt(50) == 0) {
                        owner = random.nextBoolean() ? null : OTHER; // went idle, or moved without a word to us
                    }
                }
            }
        }

        boolean accepts(Step step) {
            boolean botMay = owner == null || BOT.equals(owner);
            lastRefusal = botMay ? Refusal.OTHER : Refusal.ANOTHER_APP_CONTROLS;
            if (random.nextDouble() < faults) {
                lastRefusal = Refusal.values()[random.nextInt(Refusal.values().length)];
                return false;
            }
            return switch (step) {
                case Step.Send send -> botMay;
                case Step.SendAndPass handoff -> {
                    if (routing != Routing.ROUTING) {
                        lastRefusal = Refusal.OTHER; // thread_control is only there with a default app
                        yield false;
                    }
                    if (botMay) {
                        owner = handoff.targetAppId();
                    }
                    yield botMay;
                }
                case Step.Pass pass -> {
                    if (botMay) {
                        owner = pass.targetAppId();
                    }
                    yield botMay;
                }
                case Step.Take take -> {
                    if (routing != Routing.ROUTING) {
                        lastRefusal = Refusal.TAKE_NOT_SUPPORTED;
                        yield false;
                    }
                    owner = BOT;
                    yield true;
                }
                case Step.LookupOwner lookup -> true;
            };
        }

        /** {@code thread_owner}'s answer, or {@code null} when the call failed too. */
        OwnerAnswer lookup() {
            if (random.nextDouble() < faults) {
                return null;
            }
            return owner == null ? OwnerAnswer.idleThread()
                    : OwnerAnswer.owner(random.nextInt(5) == 0 && !BOT.equals(owner) ? null : owner, 0);
        }
    }
}
