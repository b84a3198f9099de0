package dev.messengerhandover.handover;

import static dev.messengerhandover.handover.Routing.DEFAULT_BEHAVIOUR;
import static dev.messengerhandover.handover.Routing.ROUTING;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.messengerhandover.handover.Rules.RequestPolicy;
import dev.messengerhandover.handover.ThreadState.Queue;
import dev.messengerhandover.handover.availability.Availability;
import dev.messengerhandover.handover.availability.Availability.WhenClosed;
import dev.messengerhandover.handover.availability.BusinessHours;
import dev.messengerhandover.handover.event.Channel;
import dev.messengerhandover.handover.event.Envelope;
import dev.messengerhandover.handover.event.WebhookEvent;

/**
 * Business hours, unanswered hand-overs and the question after Done, in the rules alone. The team is in Paris,
 * {@code Mon-Fri 09:00-17:30; Sat 10:00-14:00}, alerted after 10 minutes of business time.
 */
class AvailabilityRulesTest {

    static final String BOT = "1";
    static final String INBOX = "263902037430900";
    static final String PAGE = "p";
    static final String USER = "u";
    static final long MINUTE = 60_000L;
    static final BusinessHours PARIS = BusinessHours.parse("Europe/Paris", "Mon-Fri 09:00-17:30; Sat 10:00-14:00",
            "2026-12-25");
    /** Wednesday 2 December 2026, 10:00 in Paris: open. */
    static final long WEDNESDAY_10 = Instant.parse("2026-12-02T09:00:00Z").toEpochMilli();
    /** Friday 4 December 2026, 22:00 in Paris: closed until Saturday 10:00. */
    static final long FRIDAY_22 = Instant.parse("2026-12-04T21:00:00Z").toEpochMilli();

    static BotCatalogue catalogue;

    @BeforeAll
    static void catalogue() throws IOException {
        try (var in = AvailabilityRulesTest.class.getClassLoader().getResourceAsStream("bot-catalogue.json")) {
            catalogue = BotCatalogue.read(in);
        }
    }

    static ThreadControl control(WhenClosed whenClosed, Optional<Duration> giveUp, boolean satisfaction) {
        return new ThreadControl(new Rules(BOT, INBOX, "TALK_TO_PERSON", 2, true, RequestPolicy.PAGE_INBOX_ONLY,
                Set.of(), 0.8, new Availability(PARIS, whenClosed, Duration.ofMinutes(10), giveUp, satisfaction)),
                catalogue, new HumanIntentMatcher());
    }

    @Test
    void askingWhileClosedPassesWithANoticeSayingWhenThePeopleAreBack() {
        var control = control(WhenClosed.PASS, Optional.empty(), false);
        var plan = control.onEvent(ThreadState.initial(PAGE, USER, BOT), ask(FRIDAY_22), ROUTING);
        assertThat(plan.steps()).singleElement().isInstanceOfSatisfying(Step.SendAndPass.class, s -> assertThat(
                s.text()).isEqualTo("We're closed now. A person will reply from tomorrow 10:00. You can leave your "
                        + "message here."));

        var waiting = stored(control, control.confirmed(plan.state(), plan.steps().get(0), FRIDAY_22, null));
        assertThat(waiting.followup().queue()).isEqualTo(Queue.WAITING);
        // Ten minutes of business time: Saturday 10:10, not Friday 22:10.
        assertThat(Instant.ofEpochMilli(waiting.followup().dueAt())).isEqualTo(Instant.parse(
                "2026-12-05T09:10:00Z"));
    }

    @Test
    void whenTheBotKeepsTheConversationItSaysWhenAndOffersAPersonOnceTheTeamIsBack() {
        var control = control(WhenClosed.KEEP, Optional.empty(), false);
        var plan = control.onEvent(ThreadState.initial(PAGE, USER, BOT), ask(FRIDAY_22), ROUTING);
        assertThat(plan.steps()).singleElement().isInstanceOfSatisfying(Step.Send.class, s -> {
            assertThat(s.text()).startsWith("We're closed now; our team is back tomorrow 10:00.");
            assertThat(s.offerPerson()).isFalse();
        });
        var kept = stored(control, control.confirmed(plan.state(), plan.steps().get(0), FRIDAY_22, null));
        assertThat(kept.ownerAppId()).isEqualTo(BOT);
        assertThat(kept.history().get(0).kind()).isEqualTo(TransitionKind.HANDOFF_DEFERRED);
        long saturday10 = Instant.parse("2026-12-05T09:00:00Z").toEpochMilli();
        assertThat(kept.followup().dueAt()).isEqualTo(saturday10);

        assertThat(control.onDue(kept, saturday10 - 1, ROUTING).steps()).as("not before the opening").isEmpty();
        var offer = control.onDue(kept, saturday10 + 500, ROUTING);
        assertThat(offer.steps()).singleElement().isInstanceOfSatisfying(Step.Send.class, s -> {
            assertThat(s.text()).isEqualTo(catalogue.away().openAgain());
            assertThat(s.offerPerson()).isTrue();
        });
        assertThat(stored(control, offer.state()).followup().dueAt()).as("offered once").isZero();
    }

    @Test
    void anUnansweredHandoffAlertsOnceAfterTenMinutesAndAnAgentsAnswerEndsTheWait() {
        var control = control(WhenClosed.PASS, Optional.empty(), false);
        var waiting = handedOver(control, WEDNESDAY_10);
        assertThat(waiting.followup().dueAt()).isEqualTo(WEDNESDAY_10 + 10 * MINUTE);

        var alert = control.onDue(waiting, WEDNESDAY_10 + 10 * MINUTE, ROUTING);
        assertThat(alert.steps()).singleElement().isInstanceOfSatisfying(Step.Alert.class, a -> {
            assertThat(a.handedOverAt()).isEqualTo(WEDNESDAY_10);
            assertThat(a.lastUserLine()).isEqualTo("I want to talk to a person");
            assertThat(a.takeRefused()).isFalse();
        });
        var alerted = stored(control, control.confirmed(alert.state(), alert.steps().get(0), WEDNESDAY_10
                + 10 * MINUTE, null));
        assertThat(alerted.followup().waiting().alerted()).isTrue();
        assertThat(alerted.followup().dueAt()).as("next: the lapse of control only")
                .isEqualTo(alerted.expiresAt());
        assertThat(control.onDue(alerted, WEDNESDAY_10 + 20 * MINUTE, ROUTING).steps()).as("once per hand-over")
                .isEmpty();

        var echo = new WebhookEvent.Message(new Envelope(PAGE, Channel.MESSAGING, PAGE, USER, WEDNESDAY_10
                + 25 * MINUTE), "m-agent", "Hi, Sam here", null, List.of(), List.of(), true, INBOX);
        var answered = stored(control, control.onEvent(alerted, echo, ROUTING).state());
        assertThat(answered.followup().waiting()).isNull();
        assertThat(answered.followup().queue()).isEqualTo(Queue.WITH_AGENT);
        assertThat(answered.followup().dueAt()).as("due only when the agent's hold lapses")
                .isEqualTo(answered.expiresAt());
        assertThat(answered.history().get(0)).satisfies(t -> {
            assertThat(t.kind()).isEqualTo(TransitionKind.ANSWERED);
            assertThat(t.heldMillis()).isEqualTo(25 * MINUTE);
        });
    }

    @Test
    void givingUpTakesTheThreadBackAndTellsTheUserWhereTakesAreBlockedItOnlyAlerts() {
        var control = control(WhenClosed.PASS, Optional.of(Duration.ofMinutes(30)), false);
        var waiting = handedOver(control, WEDNESDAY_10);
        long giveUpAt = WEDNESDAY_10 + 30 * MINUTE;

        var routing = control.onDue(waiting, giveUpAt, ROUTING);
        assertThat(routing.steps()).singleElement().isInstanceOf(Step.GiveUp.class);
        var taken = control.confirmed(routing.state(), routing.steps().get(0), giveUpAt, null);
        assertThat(taken.ownerAppId()).isEqualTo(BOT);
        assertThat(taken.history().get(0).reason()).isEqualTo(Reason.NOBODY_ANSWERED);
        assertThat(control.after(taken, routing.steps().get(0), giveUpAt).steps()).singleElement()
                .isInstanceOfSatisfying(Step.Send.class, s -> assertThat(s.text())
                        .isEqualTo(catalogue.away().nobodyAnswered()));

        var blocked = control.onDue(waiting, giveUpAt, DEFAULT_BEHAVIOUR);
        assertThat(blocked.steps()).singleElement().isInstanceOfSatisfying(Step.Alert.class,
                a -> assertThat(a.takeRefused()).isTrue());
        var alerted = stored(control, control.confirmed(blocked.state(), blocked.steps().get(0), giveUpAt, null));
        assertThat(control.onDue(alerted, giveUpAt + MINUTE, DEFAULT_BEHAVIOUR).steps()).isEmpty();
    }

    @Test
    void whereTheTakeIsBlockedTheTeamAlreadyAlertedIsNotAlertedAgain() {
        var control = control(WhenClosed.PASS, Optional.of(Duration.ofMinutes(30)), false);
        var waiting = handedOver(control, WEDNESDAY_10);
        var first = control.onDue(waiting, WEDNESDAY_10 + 10 * MINUTE, DEFAULT_BEHAVIOUR);
        var alerted = stored(control, control.confirmed(first.state(), first.steps().get(0), WEDNESDAY_10
                + 10 * MINUTE, null));
        var giveUp = control.onDue(alerted, WEDNESDAY_10 + 30 * MINUTE, DEFAULT_BEHAVIOUR);
        assertThat(giveUp.steps()).as("one alert per hand-over").isEmpty();
        var after = stored(control, giveUp.state());
        assertThat(after.followup().waiting().takeRefused()).isTrue();
        assertThat(after.followup().dueAt()).as("only the lapse is left").isEqualTo(after.expiresAt());
    }

    @Test
    void aHandoffThatLapsesBeforeItsAlertAlertsTheTeamAsItLapses() {
        // Saturday 15:00 in Paris, closed until Monday 09:00: control lapses on Sunday, before any open minute.
        var control = control(WhenClosed.PASS, Optional.empty(), false);
        long saturday15 = Instant.parse("2026-12-05T14:00:00Z").toEpochMilli();
        var waiting = handedOver(control, saturday15);
        assertThat(waiting.followup().dueAt()).as("the lapse comes first").isEqualTo(waiting.expiresAt());
        var lapse = control.onDue(waiting, waiting.expiresAt(), ROUTING);
        assertThat(lapse.state().ownerAppId()).isEqualTo(BOT);
        assertThat(lapse.steps()).singleElement().isInstanceOfSatisfying(Step.Alert.class,
                a -> assertThat(a.why()).isEqualTo(Step.Alert.Why.LAPSED));
    }

    @Test
    void aSatisfactionAnswerNobodyAskedForIsThankedButNotCounted() {
        var control = control(WhenClosed.PASS, Optional.empty(), true);
        var yes = new WebhookEvent.Message(new Envelope(PAGE, Channel.MESSAGING, USER, PAGE, WEDNESDAY_10), "m-yes",
                "Yes", Rules.SATISFIED, List.of(), List.of(), false, null);
        var plan = control.onEvent(ThreadState.initial(PAGE, USER, BOT).withLine(new ThreadState.Line(WEDNESDAY_10,
                Speaker.USER, "hi")), yes, ROUTING);
        assertThat(plan.state().history()).noneMatch(t -> t.kind() == TransitionKind.SURVEY_ANSWERED);
        assertThat(plan.steps()).singleElement().isInstanceOfSatisfying(Step.Send.class,
                s -> assertThat(s.text()).isEqualTo(catalogue.survey().thanks()));
    }

    @Test
    void aHandoffThatLapsedUnansweredMakesTheBotSaySorryBeforeItsNextAnswer() {
        var control = control(WhenClosed.PASS, Optional.empty(), false);
        var waiting = handedOver(control, WEDNESDAY_10);
        long lapse = waiting.expiresAt();
        var due = control.onDue(waiting, lapse, ROUTING);
        assertThat(due.steps()).as("never alerted: the team hears of it now").singleElement()
                .isInstanceOf(Step.Alert.class);
        var lapsed = stored(control, control.confirmed(due.state(), due.steps().get(0), lapse, null));
        assertThat(lapsed.ownerAppId()).isEqualTo(BOT);
        assertThat(lapsed.history()).extracting(ThreadState.Transition::kind, ThreadState.Transition::reason)
                .startsWith(org.assertj.core.groups.Tuple.tuple(TransitionKind.ALERTED, Reason.UNANSWERED),
                        org.assertj.core.groups.Tuple.tuple(TransitionKind.EXPIRED, Reason.UNANSWERED));
        var plan = control.onEvent(lapsed, message("hello?", lapse + MINUTE), ROUTING);
        assertThat(plan.steps()).hasSize(2).first().isEqualTo(new Step.Send(catalogue.away().sorryForSilence(),
                false));
        assertThat(plan.state().followup().apology()).isFalse();
    }

    @Test
    void afterDoneTheBotAsksWhetherTheProblemIsSolvedAndRecordsTheAnswer() {
        var control = control(WhenClosed.PASS, Optional.empty(), true);
        var held = handedOver(control, WEDNESDAY_10);
        var done = new WebhookEvent.PassThreadControl(new Envelope(PAGE, Channel.MESSAGING, USER, PAGE,
                WEDNESDAY_10 + 40 * MINUTE), BOT, INBOX, null);
        var plan = control.onEvent(held, done, ROUTING);
        assertThat(plan.steps()).singleElement().isEqualTo(new Step.Send(catalogue.survey().question(), false, true));
        var asked = stored(control, control.confirmed(plan.state(), plan.steps().get(0), WEDNESDAY_10 + 40 * MINUTE,
                null));
        assertThat(asked.followup().surveyed()).isTrue();

        var yes = new WebhookEvent.Message(new Envelope(PAGE, Channel.MESSAGING, USER, PAGE, WEDNESDAY_10
                + 41 * MINUTE), "m-yes", "Yes", Rules.SATISFIED, List.of(), List.of(), false, null);
        var answer = control.onEvent(asked, yes, ROUTING);
        assertThat(answer.state().followup().surveyed()).isFalse();
        assertThat(answer.state().history().get(0)).satisfies(t -> {
            assertThat(t.kind()).isEqualTo(TransitionKind.SURVEY_ANSWERED);
            assertThat(t.reason()).isEqualTo(Reason.SATISFIED);
        });
        assertThat(answer.steps()).singleElement().isInstanceOfSatisfying(Step.Send.class,
                s -> assertThat(s.text()).isEqualTo(catalogue.survey().thanks()));
    }

    /** The user asked for a person at {@code at} and Graph confirmed the pass; as stored. */
    private static ThreadState handedOver(ThreadControl control, long at) {
        var plan = control.onEvent(ThreadState.initial(PAGE, USER, BOT), ask(at), ROUTING);
        return stored(control, control.confirmed(plan.state(), plan.steps().get(0), at, null));
    }

    private static ThreadState stored(ThreadControl control, ThreadState s) {
        return control.scheduled(s);
    }

    private static WebhookEvent.Message ask(long at) {
        return message("I want to talk to a person", at);
    }

    private static WebhookEvent.Message message(String text, long at) {
        return new WebhookEvent.Message(new Envelope(PAGE, Channel.MESSAGING, USER, PAGE, at), "m" + at, text, null,
                List.of(), List.of(), false, null);
    }
}
