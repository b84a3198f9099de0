package dev.messengerhandover.handover;

import static dev.messengerhandover.testing.Conversations.BOT;
import static dev.messengerhandover.testing.Conversations.INBOX;
import static dev.messengerhandover.testing.Conversations.OTHER;
import static dev.messengerhandover.testing.Conversations.PAGE;
import static dev.messengerhandover.testing.Seeded.forEachCase;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.messengerhandover.handover.Execution.Result;
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
 * {@link ThreadControl} and {@link Execution} against a small model of the platform that owns the truth about the
 * thread and refuses what Graph refuses (sending or passing while another app holds the thread) and, now and then,
 * anything at all; with a clock, and a budget per delivery that Graph's latency (fast, slow, hanging) spends. Events
 * arrive when they happened or hours late; a delivery whose time ran out leaves steps, which the next delivery (or the
 * sweep) finishes first, and Messenger redelivers the event until it is applied. Invariants, checked after every
 * event and every step:
 * <ul>
 * <li>nothing throws;</li>
 * <li>no call starts unless the time left covers it, and a delivery's work ends inside its budget;</li>
 * <li>the steps a delivery left are finished by the ones after it, and nothing Graph confirmed is done twice: one
 * accepted pass at most per event, however many deliveries it took;</li>
 * <li>control another app gains lasts 24 h from the clock's now, however late its event arrived;</li>
 * <li>the agent's context (a pass's metadata) is under 1000 characters, and quotes the user whenever the user said
 * anything;</li>
 * <li>with a bot of the team's own (a third of the conversations; any answer: any Unicode and length, any number of
 * quick replies, a hand-over with or without words; or any failure, or too slow): it is asked only while it holds the
 * thread inside the window, at most once per event however many deliveries; every message sent fits the platform's
 * limits (Messenger's, Instagram's or WhatsApp's); a hand-over it decides passes once;</li>
 * <li>where the platform has no message that carries a pass, or lets only the escalation partner take (WhatsApp), the
 * rules never ask for one;</li>
 * <li>an event on {@code standby} never makes the bot send;</li>
 * <li>the bot never sends while the stored owner is another app, nor outside the user's 24 h messaging window (at the
 * clock's now);</li>
 * <li>a confirmed pass makes its target the owner;</li>
 * <li>the echo of one of the bot's own messages (known by the id Graph gave it, as Instagram names no app) changes
 * neither the owner nor a wait;</li>
 * <li>transcript, history and their texts stay within their bounds;</li>
 * <li>the state, and the steps left, round-trip through the DynamoDB item layout unchanged.</li>
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
 * <li>every alert a plan makes is owed in its state (so that SNS failing never loses it), and the team is alerted at
 * most once per hand-over, whatever happens to it (SNS down, a give-up refused, a lapse);</li>
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
        // Messenger's, Instagram's or WhatsApp's limits; the catalogue answering, or a bot of the team's own.
        var limits = LIMITS[random.nextInt(LIMITS.length)];
        return new ThreadControl(new Rules(BOT, INBOX, "TALK_TO_PERSON", 2, random.nextBoolean(),
                RequestPolicy.PAGE_INBOX_ONLY, Set.of("human_agent", "talk_to_person", "wit$talk_to_human"), 0.8,
                availability).with(limits, random.nextInt(3) == 0), catalogue, new HumanIntentMatcher());
    }

    /** Messenger's, Instagram's (shorter texts, 13 quick replies) and WhatsApp's (3 buttons, no pass in a message, no take). */
    private static final Limits[] LIMITS = { Limits.MESSENGER, new Limits(1000, 13, 20),
            new Limits(4096, 1024, 3, 20, false, false) };

    /**
     * Whatever a bot may answer: no message or several, any Unicode and length (past every platform's limit too),
     * any number of quick replies with any titles (blank, long), a hand-over with or without words.
     */
    private static BotAnswer anyAnswer(Random random) {
        var messages = new java.util.ArrayList<BotAnswer.Message>();
        for (int i = 0, n = random.nextInt(4); i < n; i++) {
            var text = random.nextInt(10) == 0 ? null : random.nextInt(8) == 0
                    ? Conversations.text(random).repeat(2 + random.nextInt(4)) : Conversations.text(random);
            var replies = new java.util.ArrayList<BotAnswer.Reply>();
            for (int r = 0, k = random.nextInt(4) == 0 ? random.nextInt(25) : random.nextInt(3); r < k; r++) {
                replies.add(new BotAnswer.Reply(random.nextInt(10) == 0 ? "" : Conversations.text(random),
                        random.nextInt(10) == 0 ? null : "P" + random.nextInt(100)));
            }
            messages.add(new BotAnswer.Message(text, replies));
        }
        var handover = random.nextInt(5) == 0 ? (random.nextBoolean() ? "the user wants a refund" : "") : null;
        return new BotAnswer(messages, handover, new BotAnswer.Usage(random.nextInt(900), random.nextInt(200)));
    }

    /** What the conversations came to, so that a generator that stops reaching a path fails the test. */
    private static final Map<String, Integer> REACHED = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void theRulesHoldOverGeneratedConversations() {
        forEachCase(CONVERSATIONS, ThreadControlPropertyTest::conversation);
        assertThat(REACHED).as("paths the conversations reached").containsKeys("answered", "alerted",
                "taken_back/nobody_answered", "alerted/give_up_refused", "alerted/unanswered", "expired/unanswered",
                "handoff_deferred", "survey_answered", "offered", "apologised", "sns down", "left for the redelivery",
                "resumed", "cut off", "own echo", "agent echo without app", "late", "bot asked", "bot too slow",
                "bot failed", "bot handed over", "passed/bot_decided", "bot_failed/bot_failed");
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
        var thread = new Thread(ThreadState.initial(PAGE, user, BOT));
        long at = 1_764_000_000_000L + random.nextInt(7 * 24 * 3600) * 1000L;
        long now = at;
        for (int i = 0, n = 1 + random.nextInt(40); i < n; i++) {
            // Mostly forward, sometimes the same millisecond or out of order, as deliveries can be; now and then a day
            // or more passes (control expires, the messaging window closes).
            at += switch (random.nextInt(20)) {
                case 0 -> -random.nextInt(5_000);
                case 1 -> ThreadControl.CONTROL_LASTS_MILLIS - 30_000 + random.nextInt(60_000);
                case 2 -> 2 * ThreadControl.WINDOW_MILLIS;
                default -> random.nextInt(120_000);
            };
            // The clock: the event arrives about when it happened, or late (a redelivery after an outage).
            long late = switch (random.nextInt(15)) {
                case 0 -> 3_600_000 + random.nextInt(6 * 3_600_000);
                case 1 -> random.nextInt(600_000);
                default -> random.nextInt(2_000);
            };
            if (late > 3_600_000) {
                REACHED.merge("late", 1, Integer::sum);
            }
            now = Math.max(now, at + late);
            if (random.nextInt(3) == 0) {
                long due = thread.state.followup().dueAt();
                // Often exactly when something is due, or just before; else whenever.
                long visit = due > 0 && random.nextBoolean() ? Math.max(now - 5_000, due + random.nextInt(3) - 1)
                        : now;
                sweep(thread, visit, platform, random);
                now = Math.max(now, visit);
                at = Math.min(at, now);
                assertFollowup(thread.state);
                continue;
            }
            var event = Conversations.next(random, user, platform.owner, at, platform.botMids);
            platform.hears(event, random);
            now = deliver(thread, event, at, now, platform, random);
            assertBounded(thread.state);
            assertFollowup(thread.state);
            if (random.nextInt(4) == 0 || i == n - 1) {
                assertRoundTrips(thread);
            }
        }
        // Whatever the budgets left undone, deliveries with time enough finish.
        for (int delivery = 0; thread.hasPending() && delivery < 3; delivery++) {
            now += 60_000;
            var world = new World(platform, random, now, 60_000);
            resume(thread, world);
            now = world.now;
        }
        assertThat(thread.pending).as("steps left after deliveries with time enough").isEmpty();
    }

    /** The thread as the table holds it: the state, the steps an event left, and the event they belong to. */
    private static final class Thread {
        ThreadState state;
        List<Step> pending = List.of();
        Object pendingFor;
        final Set<Object> applied = new HashSet<>();

        Thread(ThreadState state) {
            this.state = state;
        }

        boolean hasPending() {
            return !pending.isEmpty();
        }
    }

    /**
     * One event as the function applies it, delivered until it is applied (Messenger redelivers a 5xx): each delivery
     * with a budget of its own, sometimes too short for what the event needs, each later than the one before. The
     * steps a delivery left are finished first by the next, and the event is decided once. Returns the clock after.
     */
    private static long deliver(Thread thread, WebhookEvent event, long at, long now, Platform platform,
            Random random) {
        Object key = event;
        int passesBefore = platform.passes;
        int askedBefore = platform.botAsked;
        for (int delivery = 0; delivery < 6 && !thread.applied.contains(key); delivery++) {
            // Mostly the 10.5 s the steps get of a 15 s budget; sometimes a slow Graph has spent most of it.
            long budget = delivery == 5 ? 60_000 : switch (random.nextInt(6)) {
                case 0 -> random.nextInt(3_000);
                case 1 -> 1_000 + random.nextInt(9_500);
                default -> 10_500;
            };
            var world = new World(platform, random, now, budget);
            if (thread.hasPending()) {
                resume(thread, world);
            }
            if (!thread.hasPending() && !thread.applied.contains(key)) {
                apply(thread, event, key, at, world);
            }
            assertThat(world.now).as("the delivery's work ends inside its budget").isLessThanOrEqualTo(world.deadline);
            now = world.now + (thread.applied.contains(key) ? 0 : 1_000 + random.nextInt(60_000));
        }
        assertThat(platform.passes - passesBefore).as("passes Graph accepted for one event, however delivered")
                .isLessThanOrEqualTo(1);
        assertThat(platform.botAsked - askedBefore).as("the bot asked about one event, however delivered")
                .isLessThanOrEqualTo(1);
        return now;
    }

    /** The steps an earlier delivery left, finished first: the event they belong to is applied once they are. */
    private static void resume(Thread thread, World world) {
        var before = thread.state;
        var outcome = Execution.run(control, thread.state, thread.pending, world);
        thread.state = outcome.state();
        thread.pending = outcome.left();
        reached(before, thread.state);
        if (outcome.finished()) {
            thread.applied.add(thread.pendingFor);
            REACHED.merge("resumed", 1, Integer::sum);
        }
    }

    /** One event decided, then its steps run against the platform, as the function does it. */
    private static void apply(Thread thread, WebhookEvent event, Object key, long at, World world) {
        var state = thread.state;
        long now = world.now();
        if (control.needsOwnerCheck(state, event, world.platform.routing, now)) {
            var lookup = new Step.LookupOwner(Reason.THREAD_OWNER);
            state = control.ownerChecked(state, world.hasTimeFor(lookup) ? world.ownerNow() : null, world.now());
            now = world.now();
        }
        var plan = control.onEvent(state, event, world.platform.routing, at, now);
        if (event.envelope().channel() == Channel.STANDBY) {
            assertThat(plan.steps()).as("steps for %s on standby", event.kind())
                    .noneMatch(Step.Send.class::isInstance);
        }
        assertPlan(plan);
        var outcome = Execution.run(control, plan.state(), plan.steps(), world);
        var after = outcome.state();
        reached(state, after);
        assertHeldFromNow(state, after, now);
        if (event instanceof WebhookEvent.Message m && m.isEcho() && m.appId() == null) {
            if (state.sent().contains(m.mid())) {
                REACHED.merge("own echo", 1, Integer::sum);
                assertThat(after.ownerAppId()).as("owner after the bot's own echo").isEqualTo(state.ownerAppId());
                assertThat(after.followup().waiting()).as("wait after the bot's own echo")
                        .isEqualTo(state.followup().waiting());
            } else if (state.followup().waiting() != null && !control.expired(state, now)) {
                REACHED.merge("agent echo without app", 1, Integer::sum);
                assertThat(after.followup().waiting()).as("wait after an agent answered (no app id)").isNull();
            }
        }
        if (gained(state, after).stream().anyMatch(t -> t.kind() == TransitionKind.SURVEY_ANSWERED)) {
            assertThat(state.followup().surveyed()).as("a satisfaction answer without the question").isTrue();
            assertThat(after.followup().surveyed()).isFalse();
        }
        // A hand-over is decided when the user asks (now), or when the bot answers that it is needed.
        long decided = world.platform.botAnsweredAt > now ? world.platform.botAnsweredAt : now;
        boolean closed = !control.rules().availability().isOpen(decided);
        if (closed && control.rules().availability().whenClosed() == WhenClosed.KEEP) {
            assertThat(gained(state, after)).as("hand-overs while away, the bot keeping the conversation")
                    .noneMatch(t -> t.kind() == TransitionKind.PASSED && t.reason() != Reason.REQUESTED);
        }
        thread.state = after;
        thread.pending = outcome.left();
        if (outcome.finished()) {
            thread.applied.add(key);
        } else {
            thread.pendingFor = key;
            REACHED.merge("left for the redelivery", 1, Integer::sum);
        }
    }

    /** The sweep's visit at {@code now}, as {@code ThreadService.applyDue} makes it, in the time a sweep has. */
    private static void sweep(Thread thread, long now, Platform platform, Random random) {
        var world = new World(platform, random, now, random.nextInt(4) == 0 ? random.nextInt(8_000) : 10_500);
        if (thread.hasPending()) {
            resume(thread, world); // the sweep finishes what a delivery left, too
            if (thread.hasPending()) {
                return;
            }
        }
        var state = thread.state;
        var plan = control.onDue(state, now, platform.routing);
        long due = state.followup().dueAt();
        if (due == 0 || now < due) {
            assertThat(plan.steps()).as("the sweep's steps before the thread is due (%d < %d)", now, due).isEmpty();
            assertThat(plan.state().ownerAppId()).as("owner after a visit before the due time")
                    .isEqualTo(state.ownerAppId());
            assertThat(plan.state().followup().waiting()).isEqualTo(state.followup().waiting());
        }
        assertPlan(plan);
        var outcome = Execution.run(control, plan.state(), plan.steps(), world);
        var after = outcome.state();
        reached(state, after);
        assertHeldFromNow(state, after, now);
        if (plan.steps().stream().anyMatch(st -> st instanceof Step.Send send
                && send.text().equals(catalogue.away().openAgain()))) {
            REACHED.merge("offered", 1, Integer::sum);
        }
        thread.state = after;
        thread.pending = outcome.left();
        thread.pendingFor = "sweep at " + now;
    }

    /** The steps of a plan, as the rules give them: an apology is followed by an answer; an alert is owed. */
    private static void assertPlan(Plan plan) {
        for (int i = 0; i < plan.steps().size(); i++) {
            var step = plan.steps().get(i);
            if (step instanceof Step.Send send && send.text().equals(catalogue.away().sorryForSilence())) {
                assertThat(i).as("an apology is followed by an answer").isLessThan(plan.steps().size() - 1);
                REACHED.merge("apologised", 1, Integer::sum);
            }
            if (step instanceof Step.Alert alert) {
                assertThat(plan.state().followup().owed()).as("an alert the state does not owe").isNotNull();
                assertThat(plan.state().followup().owed().alert()).isEqualTo(alert);
            }
        }
    }

    /**
     * Time is the clock's: control another app gained while an event was applied lasts 24 h from now, however late
     * the event arrived.
     */
    private static void assertHeldFromNow(ThreadState before, ThreadState after, long now) {
        if (!BOT.equals(after.ownerAppId()) && !after.ownerAppId().equals(before.ownerAppId())
                && after.expiresAt() > 0 && after.since() >= now) {
            assertThat(after.expiresAt()).as("control of %s gained at %d", after.ownerAppId(), after.since())
                    .isGreaterThanOrEqualTo(after.since() + ThreadControl.CONTROL_LASTS_MILLIS);
        }
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

    private static void assertMaySend(ThreadState s, long now, String text) {
        assertThat(text).as("a text the bot sends").doesNotContain(BotCatalogue.OPENING);
        assertThat(s.ownerAppId()).as("stored owner when the bot sends \"%s\"", text).isEqualTo(BOT);
        assertThat(ThreadControl.windowOpen(s, now)).as("messaging window when the bot sends \"%s\"", text).isTrue();
    }

    private static void assertContext(ThreadState s, Step.Pass pass) {
        var metadata = pass.metadata();
        assertThat(metadata).hasSizeLessThan(ThreadControl.METADATA_LIMIT)
                .startsWith("reason=" + pass.reason().wire() + "; ");
        // Quoting what the user said while the transcript has it (the bot's own lines may push old ones out of it
        // between a bot's decision and the pass: the context was taken when the hand-over was decided).
        boolean userSpoke = s.transcript().stream().anyMatch(l -> l.who() == Speaker.USER);
        if (userSpoke) {
            assertThat(metadata).as("context without a quote").doesNotEndWith(": ");
        }
    }

    private static void assertBounded(ThreadState s) {
        assertThat(s.transcript()).hasSizeLessThanOrEqualTo(ThreadState.MAX_TRANSCRIPT)
                .allSatisfy(l -> assertThat(l.text()).hasSizeLessThanOrEqualTo(ThreadState.MAX_LINE_CHARS));
        assertThat(s.history()).hasSizeLessThanOrEqualTo(ThreadState.MAX_HISTORY)
                .allSatisfy(t -> assertThat(t.detail() == null ? "" : t.detail())
                        .hasSizeLessThanOrEqualTo(ThreadState.MAX_DETAIL_CHARS));
        assertThat(s.sent()).hasSizeLessThanOrEqualTo(ThreadState.MAX_SENT);
        assertThat(s.ownerAppId()).isNotNull();
    }

    private static void assertRoundTrips(Thread thread) {
        var s = thread.state;
        var processed = List.of("mid:m_1", "PassThreadControl:MESSAGING:u:p:1");
        var item = ThreadItems.encode(s, 7, processed, 1_764_000_000_000L, 1_772_000_000L,
                thread.hasPending() ? "mid:m_2" : null, thread.pending);
        var back = ThreadItems.decode(item, s.pageId(), s.userId(), BOT);
        var dueAt = thread.hasPending() ? back.state().followup().dueAt() : s.followup().dueAt();
        assertThat(back.state()).isEqualTo(s.withFollowup(s.followup().scheduled(dueAt, s.followup().queue())));
        assertThat(back.version()).isEqualTo(7);
        assertThat(back.processed()).isEqualTo(processed);
        assertThat(back.pending()).isEqualTo(thread.pending);
    }

    /**
     * One delivery's (or sweep's) world: the platform, and a clock that Graph's and SNS's latency moves on, up to a
     * deadline. Mostly Graph answers in a few hundred milliseconds, sometimes in seconds, now and then it hangs; a
     * call still running at the deadline is cut off there, and may have gone through on the platform all the same.
     */
    private static final class World implements Execution.World {
        final Platform platform;
        final Random random;
        final long deadline;
        long now;

        World(Platform platform, Random random, long now, long budget) {
            this.platform = platform;
            this.random = random;
            this.now = now;
            this.deadline = now + budget;
        }

        private static long needs(Step step) {
            return step instanceof Step.Alert ? 5_000 : 1_000;
        }

        @Override
        public boolean hasTimeFor(Step step) {
            return deadline - now >= needs(step);
        }

        @Override
        public long now() {
            return now;
        }

        private long latency() {
            return switch (random.nextInt(50)) {
                case 0 -> 30_000; // hangs
                case 1, 2, 3, 4 -> 4_000 + random.nextInt(2_000);
                case 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 -> 1_000 + random.nextInt(3_000);
                default -> 50 + random.nextInt(350);
            };
        }

        @Override
        public Result run(ThreadState s, Step step) {
            assertThat(deadline - now).as("time left when %s starts", step.call()).isGreaterThanOrEqualTo(needs(step));
            if (step instanceof Step.Alert alert) {
                now += 20 + random.nextInt(3_000); // SNS's own time-outs end inside the 5 s an alert needs
                if (!platform.accepts(step)) {
                    REACHED.merge("sns down", 1, Integer::sum);
                    return new Result.NotTaken("SNS down");
                }
                assertThat(s.followup().owed()).as("an alert sent that is not owed").isNotNull();
                int n = platform.alerts.merge(alert.handedOverAt(), 1, Integer::sum);
                assertThat(n).as("alerts for the hand-over at %d", alert.handedOverAt()).isLessThanOrEqualTo(1);
                return Result.Confirmed.DONE;
            }
            if (step instanceof Step.AskBot ask) {
                return ask(s, ask);
            }
            switch (step) {
                case Step.Send send -> {
                    assertMaySend(s, now, send.text());
                    assertFits(send);
                }
                case Step.SendAndPass handoff -> {
                    assertThat(control.rules().limits().passWithMessage())
                            .as("a message carrying a pass where the platform has none").isTrue();
                    assertMaySend(s, now, handoff.text());
                    assertThat(handoff.metadata()).hasSizeLessThan(ThreadControl.METADATA_LIMIT);
                }
                case Step.Pass pass -> assertContext(s, pass);
                case Step.Take take -> assertThat(control.rules().limits().takeBack())
                        .as("a take where only the escalation partner takes").isTrue();
                case Step.GiveUp giveUp -> assertThat(control.rules().limits().takeBack())
                        .as("a give-up take where only the escalation partner takes").isTrue();
                default -> {
                }
            }
            long took = latency();
            if (now + took > deadline) {
                // Cut off at the deadline: whether Graph acted, nobody here knows.
                REACHED.merge("cut off", 1, Integer::sum);
                if (random.nextBoolean()) {
                    platform.accepts(step);
                    platform.messageId(step);
                }
                now = deadline;
                return new Result.OutOfTime();
            }
            now += took;
            if (!platform.accepts(step)) {
                return new Result.Refused(platform.lastRefusal, "HTTP 400: refused (" + platform.lastRefusal + ")");
            }
            if (step instanceof Step.LookupOwner) {
                return new Result.Confirmed(platform.lookup(), null);
            }
            return new Result.Confirmed(null, platform.messageId(step));
        }

        /**
         * The bot: asked only while it may answer, and at most once per event whatever the deliveries; it answers
         * anything, fails in any way, or takes longer than the time it has (a failure: the fallback answers).
         */
        private Result ask(ThreadState s, Step.AskBot ask) {
            assertThat(s.ownerAppId()).as("the stored owner when the bot is asked").isEqualTo(BOT);
            assertThat(ThreadControl.windowOpen(s, now)).as("the window when the bot is asked").isTrue();
            platform.botAsked++;
            REACHED.merge("bot asked", 1, Integer::sum);
            long took = random.nextInt(6) == 0 ? 20_000 : 50 + random.nextInt(2_000);
            if (now + took > deadline - 1_500) {
                now = Math.max(now, deadline - 1_500);
                REACHED.merge("bot too slow", 1, Integer::sum);
                return new Result.BotFailed(BotFailure.TIMEOUT);
            }
            now += took;
            platform.botAnsweredAt = now;
            if (random.nextInt(6) == 0) {
                REACHED.merge("bot failed", 1, Integer::sum);
                return new Result.BotFailed(BotFailure.values()[random.nextInt(BotFailure.values().length)]);
            }
            var answer = anyAnswer(random);
            if (answer.handover() != null) {
                REACHED.merge("bot handed over", 1, Integer::sum);
            }
            return new Result.Answered(answer);
        }

        /** A message within the platform's limits, whatever the bot answered. */
        private static void assertFits(Step.Send send) {
            var limits = control.rules().limits();
            assertThat(send.text()).as("a text sent").isNotBlank().hasSizeLessThanOrEqualTo(limits.text());
            int replies = send.replies().size() + (send.offerPerson() || send.survey() ? 1 : 0)
                    + (send.survey() ? 1 : 0);
            assertThat(replies).as("quick replies of a message").isLessThanOrEqualTo(Math.max(
                    limits.quickReplies(), 2));
            assertThat(send.replies()).allSatisfy(r -> {
                assertThat(r.title()).isNotBlank().hasSizeLessThanOrEqualTo(limits.title());
                assertThat(r.payload()).isNotBlank();
            });
        }

        @Override
        public OwnerAnswer ownerNow() {
            long took = latency();
            if (now + took > deadline) {
                now = deadline;
                return null;
            }
            now += took;
            return platform.lookup();
        }
    }

    /**
     * The platform's truth about the thread, as Graph keeps it: who owns it ({@code null}: idle), what it refuses and
     * why, the passes it accepted, the ids of the bot's messages and the alerts the team got. The conversation's own
     * control events (the Inbox's Done, another app's take, an agent answering) move the truth too.
     */
    private static final class Platform {
        private final Random random;
        private final double faults;
        final Routing routing;
        String owner = BOT;
        Refusal lastRefusal = Refusal.OTHER;
        int passes;
        int botAsked;
        long botAnsweredAt;
        final List<String> botMids = new ArrayList<>();
        final Map<Long, Integer> alerts = new java.util.HashMap<>();

        Platform(Random random, Routing routing) {
            this.random = random;
            this.routing = routing;
            this.faults = random.nextInt(3) == 0 ? 0.3 : 0.03;
        }

        void hears(WebhookEvent event, Random random) {
            switch (event) {
                case WebhookEvent.PassThreadControl p when p.newOwnerAppId() != null -> owner = p.newOwnerAppId();
                case WebhookEvent.TakeThreadControl t when t.newOwnerAppId() != null -> owner = t.newOwnerAppId();
                // An agent's answer takes the thread; on Instagram the echo does not name the app.
                case WebhookEvent.Message m when m.isEcho() && routing == Routing.ROUTING && (INBOX.equals(m.appId())
                        || m.appId() == null && !botMids.contains(m.mid())) -> owner = INBOX;
                default -> {
                    if (random.nextInt(50) == 0) {
                        owner = random.nextBoolean() ? null : OTHER; // went idle, or moved without a word to us
                    }
                }
            }
        }

        /** The id Graph gives a message the bot sent, kept for its echo. */
        String messageId(Step step) {
            if (!(step instanceof Step.Send) && !(step instanceof Step.SendAndPass)) {
                return null;
            }
            var mid = "m_bot_" + Long.toHexString(random.nextLong());
            botMids.add(mid);
            return mid;
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
                case Step.Typing typing -> true;
                case Step.AskBot ask -> true;
                case Step.SendAndPass handoff -> {
                    if (routing != Routing.ROUTING) {
                        lastRefusal = Refusal.OTHER; // thread_control is only there with a default app
                        yield false;
                    }
                    yield passes(botMay, handoff.targetAppId());
                }
                case Step.Pass pass -> passes(botMay, pass.targetAppId());
                case Step.Take take -> take();
                case Step.GiveUp giveUp -> take();
                case Step.Alert alert -> true; // SNS: its outages are the faults above
                case Step.LookupOwner lookup -> true;
            };
        }

        private boolean passes(boolean botMay, String target) {
            if (botMay) {
                owner = target;
                passes++;
            }
            return botMay;
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
