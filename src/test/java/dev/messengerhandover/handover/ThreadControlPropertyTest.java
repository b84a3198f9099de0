package dev.messengerhandover.handover;

import static dev.messengerhandover.testing.Conversations.BOT;
import static dev.messengerhandover.testing.Conversations.INBOX;
import static dev.messengerhandover.testing.Conversations.OTHER;
import static dev.messengerhandover.testing.Conversations.PAGE;
import static dev.messengerhandover.testing.Seeded.forEachCase;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.messengerhandover.handover.Rules.RequestPolicy;
import dev.messengerhandover.handover.availability.Availability;
import dev.messengerhandover.handover.availability.Availability.WhenClosed;
import dev.messengerhandover.handover.availability.BusinessHours;
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
 * Each conversation also has its own availability (business hours in a zone, pass or keep when closed, an alert
 * after a while, a give-up or none, the satisfaction question or not), and the sweep visits the thread now and then,
 * often exactly when something is due. Then also:
 * <ul>
 * <li>a wait for an agent exists only while another app holds the thread, and it is in the {@code waiting} queue;
 * a thread the bot holds is in the {@code bot} queue;</li>
 * <li>a waiting thread is always due for the sweep; a thread another app holds is due no later than its control
 * lapses;</li>
 * <li>the sweep does nothing before a thread is due;</li>
 * <li>the team is alerted at most once per hand-over, whatever happens to it (a give-up refused, a lapse);</li>
 * <li>a satisfaction answer is recorded only when the question was asked, once;</li>
 * <li>while the team is away and the bot keeps the conversation, no hand-over the user asked for is passed;</li>
 * <li>no text the bot sends has a placeholder left in it; an apology is followed by an answer.</li>
 * </ul>
 * {@code -Dfuzz.seed=} runs other conversations; a failure names the seed of its case.
 */
class ThreadControlPropertyTest {

    private static final int CONVERSATIONS = Integer.getInteger("core.conversations", 20_000);
    private static final String[] ZONES = { "UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata",
            "Australia/Lord_Howe" };
    private static final String[] SCHEDULES = { null, "Mon-Fri 09:00-17:30; Sat 10:00-14:00", "Mon-Sun 08:00-20:00",
            "Tue,Thu 22:00-02:00", "Mon-Fri 00:00-24:00" };
    private static BotCatalogue catalogue;
    /** The rules of the conversation under test. */
    private static ThreadControl control;

    @BeforeAll
    static void rules() throws IOException {
        try (var in = ThreadControlPropertyTest.class.getClassLoader().getResourceAsStream("bot-catalogue.json")) {
            catalogue = BotCatalogue.read(in);
        }
    }

    private static ThreadControl controlFor(Random random) {
        var hours = BusinessHours.parse(ZONES[random.nextInt(ZONES.length)], SCHEDULES[random.nextInt(SCHEDULES.length)],
                random.nextInt(4) == 0 ? "2025-11-27,2025-12-25" : null);
        var availability = new Availability(hours, random.nextBoolean() ? WhenClosed.PASS : WhenClosed.KEEP,
                Duration.ofMinutes(1 + random.nextInt(30)), random.nextBoolean() ? Optional.empty()
                        : Optional.of(Duration.ofMinutes(5 + random.nextInt(120))), random.nextBoolean());
        return new ThreadControl(new Rules(BOT, INBOX, "TALK_TO_PERSON", 2, random.nextBoolean(),
                RequestPolicy.PAGE_INBOX_ONLY, Set.of("human_agent", "talk_to_person", "wit$talk_to_human"), 0.8,
                availability), catalogue, new HumanIntentMatcher());
    }

    /** What the conversations came to, so that a generator that stops reaching a path fails the test. */
    private static final Map<String, Integer> REACHED = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void theRulesHoldOverGeneratedConversations() {
        forEachCase(CONVERSATIONS, ThreadControlPropertyTest::conversation);
        assertThat(REACHED).as("paths the conversations reached").containsKeys("answered", "alerted",
                "taken_back/nobody_answered", "alerted/give_up_refused", "alerted/unanswered", "expired/unanswered",
                "handoff_deferred", "survey_answered", "offered", "apologised", "sns down");
    }

    private static void reached(ThreadState before, ThreadState after) {
        for (var t : gained(before, after)) {
            REACHED.merge(t.kind().wire(), 1, Integer::sum);
            REACHED.merge(t.kind().wire() + "/" + t.reason().wire(), 1, Integer::sum);
        }
    }

    private static void conversation(Random random) {
        var user = Long.toString(7_000_000_000_000_000L + (random.nextLong() & 0xFFFF_FFFFL));
        var platform = new Platform(random, random.nextBoolean() ? Routing.ROUTING : Routing.DEFAULT_BEHAVIOUR);
        control = controlFor(random);
        var alerts = new java.util.HashMap<Long, Integer>();
        var state = ThreadState.initial(PAGE, user, BOT);
        long at = 1_764_000_000_000L + random.nextInt(7 * 24 * 3600) * 1000L;
        for (int i = 0, n = 1 + random.nextInt(40); i < n; i++) {
            // Mostly forward, sometimes the same millisecond or out of order, as deliveries can be; now and then a day
            // or more passes (control expires, the messaging window closes).
            at += switch (random.nextInt(20)) {
                case 0 -> -random.nextInt(5_000);
                case 1 -> ThreadControl.CONTROL_LASTS_MILLIS - 30_000 + random.nextInt(60_000);
                case 2 -> 2 * ThreadControl.WINDOW_MILLIS;
                default -> random.nextInt(120_000);
            };
            if (random.nextInt(3) == 0) {
                long due = state.followup().dueAt();
                // Often exactly when something is due, or just before; else whenever.
                long now = due > 0 && random.nextBoolean() ? due + random.nextInt(3) - 1 : at;
                state = sweep(state, Math.max(now, at - 5_000), platform, alerts);
                at = Math.max(at, now);
                assertFollowup(state);
                continue;
            }
            var event = Conversations.next(random, user, platform.owner, at);
            platform.hears(event, random);
            state = apply(state, event, platform);
            assertBounded(state);
            assertFollowup(state);
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
        var after = run(plan, event.envelope().timestamp(), platform);
        reached(state, after);
        if (gained(state, after).stream().anyMatch(t -> t.kind() == TransitionKind.SURVEY_ANSWERED)) {
            assertThat(state.followup().surveyed()).as("a satisfaction answer without the question").isTrue();
            assertThat(after.followup().surveyed()).isFalse();
        }
        boolean closed = !control.rules().availability().isOpen(at);
        if (closed && control.rules().availability().whenClosed() == WhenClosed.KEEP) {
            assertThat(gained(state, after)).as("hand-overs while away, the bot keeping the conversation")
                    .noneMatch(t -> t.kind() == TransitionKind.PASSED && t.reason() != Reason.REQUESTED);
        }
        return after;
    }

    /** The sweep's visit at {@code now}, as {@code ThreadService.applyDue} makes it. */
    private static ThreadState sweep(ThreadState state, long now, Platform platform, Map<Long, Integer> alerts) {
        var plan = control.onDue(state, now, platform.routing);
        long due = state.followup().dueAt();
        if (due == 0 || now < due) {
            assertThat(plan.steps()).as("the sweep's steps before the thread is due (%d < %d)", now, due).isEmpty();
            assertThat(plan.state().ownerAppId()).as("owner after a visit before the due time")
                    .isEqualTo(state.ownerAppId());
            assertThat(plan.state().followup().waiting()).isEqualTo(state.followup().waiting());
        }
        var after = run(plan, now, platform);
        reached(state, after);
        if (plan.steps().stream().anyMatch(st -> st instanceof Step.Send send
                && send.text().equals(catalogue.away().openAgain()))) {
            REACHED.merge("offered", 1, Integer::sum);
        }
        // Alerts SNS took (one it did not is tried again by the next sweep).
        long sent = gained(state, after).stream().filter(t -> t.kind() == TransitionKind.ALERTED).count();
        if (sent > 0) {
            long handedOverAt = state.followup().waiting().since();
            int n = alerts.merge(handedOverAt, (int) sent, Integer::sum);
            assertThat(n).as("alerts for the hand-over at %d", handedOverAt).isLessThanOrEqualTo(1);
        }
        return after;
    }

    private static java.util.List<ThreadState.Transition> gained(ThreadState before, ThreadState after) {
        var old = before.history();
        int n = old.isEmpty() ? after.history().size() : Math.max(0, after.history().indexOf(old.get(0)));
        return after.history().subList(0, n);
    }

    private static void assertFollowup(ThreadState s) {
        var f = s.followup();
        boolean bot = BOT.equals(s.ownerAppId());
        if (f.waiting() != null) {
            assertThat(bot).as("a wait for an agent while the bot holds the thread").isFalse();
            assertThat(f.queue()).isEqualTo(ThreadState.Queue.WAITING);
            assertThat(f.dueAt()).as("due time of a waiting thread").isPositive();
            if (s.expiresAt() > 0) {
                assertThat(f.dueAt()).as("due no later than control lapses").isLessThanOrEqualTo(s.expiresAt());
            }
        } else {
            assertThat(f.queue()).isEqualTo(bot ? ThreadState.Queue.BOT : ThreadState.Queue.WITH_AGENT);
        }
        if (!bot && s.expiresAt() > 0) {
            assertThat(f.dueAt()).as("due of a held thread").isPositive().isLessThanOrEqualTo(s.expiresAt());
        }
        if (f.offerAt() > 0) {
            assertThat(bot).as("an offer pending while another app holds the thread").isTrue();
            assertThat(f.dueAt()).isPositive().isLessThanOrEqualTo(f.offerAt());
        }
    }

    /** A plan's steps, then the state as it is stored ({@code StepRunner.run}). */
    private static ThreadState run(Plan plan, long at, Platform platform) {
        for (int i = 0; i < plan.steps().size(); i++) {
            if (plan.steps().get(i) instanceof Step.Send send
                    && send.text().equals(catalogue.away().sorryForSilence())) {
                assertThat(i).as("an apology is followed by an answer").isLessThan(plan.steps().size() - 1);
                REACHED.merge("apologised", 1, Integer::sum);
            }
        }
        return control.scheduled(runSteps(plan, at, platform));
    }

    private static ThreadState runSteps(Plan plan, long at, Platform platform) {
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
            case Step.GiveUp giveUp -> platform.accepts(step)
                    ? runSteps(control.after(control.confirmed(s, step, at, null), step, at), at, platform)
                    : refused(s, step, at, platform);
            // SNS down: the thread is left as it was, for the next sweep.
            case Step.Alert alert -> {
                if (platform.accepts(step)) {
                    yield control.confirmed(s, step, at, null);
                }
                REACHED.merge("sns down", 1, Integer::sum);
                yield s;
            }
            case Step.LookupOwner lookup -> control.confirmed(s, step, at, platform.lookup());
        };
    }

    private static ThreadState refused(ThreadState s, Step step, long at, Platform platform) {
        var refusal = platform.lastRefusal;
        var owner = ThreadControl.ownerMattersWhenRefused(step, refusal) ? platform.lookup() : null;
        return runSteps(control.refused(s, step, at, owner, refusal, "HTTP 400: refused (" + refusal + ")"), at,
                platform);
    }

    private static void assertMaySend(ThreadState s, long at, String text) {
        assertThat(text).as("a text the bot sends").doesNotContain(BotCatalogue.OPENING);
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
        var item = ThreadItems.encode(s, "account-1", 7, processed, 1_764_000_000_000L, 1_772_000_000L);
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
                case Step.Take take -> take();
                case Step.GiveUp giveUp -> take();
                case Step.Alert alert -> true; // SNS: its outages are the faults above
                case Step.LookupOwner lookup -> true;
            };
        }

        private boolean take() {
            if (routing != Routing.ROUTING) {
                lastRefusal = Refusal.TAKE_NOT_SUPPORTED;
                return false;
            }
            owner = BOT;
            return true;
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
