package dev.messengerhandover.handover;

import static dev.messengerhandover.handover.Routing.DEFAULT_BEHAVIOUR;
import static dev.messengerhandover.handover.Routing.ROUTING;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.messengerhandover.handover.Rules.RequestPolicy;
import dev.messengerhandover.handover.event.Channel;
import dev.messengerhandover.handover.event.Envelope;
import dev.messengerhandover.handover.event.WebhookEvent;

/** The rules alone: no Quarkus, no I/O. Both routings where they differ. */
class ThreadControlTest {

    static final String BOT = "1";
    static final String INBOX = "263902037430900";
    static final String OTHER = "3";
    static final String PAGE = "p";
    static final String USER = "u";
    static final long HOUR = 3_600_000L;

    ThreadControl control;
    long clock = 1_000;

    @BeforeEach
    void setUp() throws IOException {
        try (var in = getClass().getClassLoader().getResourceAsStream("bot-catalogue.json")) {
            control = new ThreadControl(new Rules(BOT, INBOX, "TALK_TO_PERSON", 2, true,
                    RequestPolicy.PAGE_INBOX_ONLY, Set.of("human_agent"), 0.8), BotCatalogue.read(in),
                    new HumanIntentMatcher());
        }
    }

    @Test
    void whereRoutingIsConfiguredTheNoticeCarriesThePass() {
        var plan = control.onEvent(ThreadState.initial(PAGE, USER, BOT), message(Channel.MESSAGING, "agent please"),
                ROUTING);
        assertThat(plan.steps()).singleElement().isInstanceOfSatisfying(Step.SendAndPass.class, s -> {
            assertThat(s.text()).isEqualTo(control.catalogue().handoffNotice());
            assertThat(s.targetAppId()).isEqualTo(INBOX);
            assertThat(s.metadata()).startsWith("reason=asked_in_words").contains("agent please");
        });
        assertThat(plan.state().ownerAppId()).as("nothing changes before Graph confirms").isEqualTo(BOT);

        var after = control.confirmed(plan.state(), plan.steps().get(0), 5_000, null);
        assertThat(after.ownerAppId()).isEqualTo(INBOX);
        assertThat(after.expiresAt()).isEqualTo(5_000 + 24 * HOUR);
        assertThat(after.transcript()).last().extracting(ThreadState.Line::who).isEqualTo(Speaker.BOT);
        assertThat(after.history().get(0).kind()).isEqualTo(TransitionKind.PASSED);
    }

    @Test
    void inDefaultBehaviourTheNoticeComesFirstThenTheSeparatePass() {
        var plan = control.onEvent(ThreadState.initial(PAGE, USER, BOT), message(Channel.MESSAGING, "agent please"),
                DEFAULT_BEHAVIOUR);
        assertThat(plan.steps()).hasSize(2);
        assertThat(plan.steps().get(0)).isInstanceOfSatisfying(Step.Send.class,
                s -> assertThat(s.offerPerson()).isFalse());
        assertThat(plan.steps().get(1)).isInstanceOfSatisfying(Step.Pass.class,
                p -> assertThat(p.targetAppId()).isEqualTo(INBOX));
    }

    @Test
    void whenGraphRefusesThreadControlOnTheSendTheNoticeAndThePassGoSeparately() {
        var handoff = new Step.SendAndPass("notice", INBOX, Reason.USER_ASKED, "reason=user_asked; context");
        var plan = control.refused(owned(BOT), handoff, 9, OwnerAnswer.owner(BOT, 0), Refusal.OTHER, "HTTP 400");
        assertThat(plan.steps()).satisfiesExactly(
                s -> assertThat(s).isEqualTo(new Step.Send("notice", false)),
                s -> assertThat(s).isEqualTo(new Step.Pass(INBOX, Reason.USER_ASKED, "reason=user_asked; context")));
    }

    @Test
    void aRefusedHandoffWhoseTargetOwnsTheThreadAfterAllWentThrough() {
        var handoff = new Step.SendAndPass("notice", INBOX, Reason.USER_ASKED, "m");
        var plan = control.refused(owned(BOT), handoff, 9, OwnerAnswer.owner(INBOX, 0), Refusal.OTHER, "timeout");
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.state().ownerAppId()).isEqualTo(INBOX);
    }

    @Test
    void anotherAppControllingTheThreadIsAFailedPassNotARetry() {
        var handoff = new Step.SendAndPass("notice", INBOX, Reason.USER_ASKED, "m");
        var plan = control.refused(owned(BOT), handoff, 9, OwnerAnswer.owner(OTHER, 0), Refusal.ANOTHER_APP_CONTROLS,
                "(#10) another app");
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.state().ownerAppId()).isEqualTo(OTHER);
        assertThat(plan.state().history()).extracting(ThreadState.Transition::kind)
                .containsExactly(TransitionKind.PASS_FAILED, TransitionKind.RESYNC);
        assertThat(ThreadControl.ownerMattersWhenRefused(handoff, Refusal.ANOTHER_APP_CONTROLS)).isTrue();
        assertThat(ThreadControl.ownerMattersWhenRefused(handoff, Refusal.OUTSIDE_WINDOW)).isFalse();
    }

    @Test
    void aFailedPassKeepsTheBotAndApologises() {
        var pass = new Step.Pass(INBOX, Reason.USER_ASKED, "m");
        var plan = control.refused(heard(owned(BOT), 5), pass, 9, null, Refusal.OTHER, "HTTP 400");
        assertThat(plan.state().ownerAppId()).isEqualTo(BOT);
        assertThat(plan.steps()).singleElement().isInstanceOf(Step.Send.class);
        assertThat(plan.state().history().get(0).detail()).isEqualTo("HTTP 400");
    }

    @Test
    void standbyNeverAnswers() {
        var inbox = owned(INBOX);
        var plan = control.onEvent(inbox, message(Channel.STANDBY, "agent please"), ROUTING);
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.state().transcript()).extracting(ThreadState.Line::text).contains("agent please");
    }

    @Test
    void standbyWhileTheBotOwnsAsksGraphOnlyWithoutEffects() {
        var plan = control.onEvent(owned(BOT), message(Channel.STANDBY, "hello"), ROUTING);
        assertThat(plan.steps()).singleElement().isInstanceOf(Step.LookupOwner.class);
        assertThat(plan.hasEffects()).isFalse();
    }

    @Test
    void doneAsAPassReturnsTheThreadAndWelcomesBack() {
        var inbox = heard(owned(INBOX), 60_000);
        var done = new WebhookEvent.PassThreadControl(env(Channel.MESSAGING, 61_000), BOT, INBOX, null);
        var plan = control.onEvent(inbox, done, ROUTING);
        assertThat(plan.state().ownerAppId()).isEqualTo(BOT);
        assertThat(plan.state().history().get(0).kind()).isEqualTo(TransitionKind.RETURNED);
        assertThat(plan.state().history().get(0).heldMillis()).isEqualTo(60_000);
        assertThat(plan.steps()).singleElement().isInstanceOf(Step.Send.class);
    }

    @Test
    void doneAsAReleaseIsNoticedOnTheNextMessageWhichTheBotAnswersWithoutWelcomeBack() {
        var plan = control.onEvent(owned(INBOX), message(Channel.MESSAGING, "what about returns?"), ROUTING);
        assertThat(plan.state().ownerAppId()).isEqualTo(BOT);
        assertThat(plan.state().history().get(0).kind()).isEqualTo(TransitionKind.RELEASED);
        assertThat(plan.steps()).singleElement().isInstanceOfSatisfying(Step.Send.class,
                s -> assertThat(s.text()).startsWith("You can return any item"));
    }

    @Test
    void inDefaultBehaviourMessagingSaysNothingAndTheBotStaysSilentWhileTheInboxHoldsTheThread() {
        var event = message(Channel.MESSAGING, "what are your opening hours?");
        var held = owned(INBOX);
        assertThat(control.needsOwnerCheck(held, event, DEFAULT_BEHAVIOUR)).isTrue();
        assertThat(control.needsOwnerCheck(held, event, ROUTING)).isFalse();
        var plan = control.onEvent(held, event, DEFAULT_BEHAVIOUR);
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.state().ownerAppId()).isEqualTo(INBOX);

        var stillHeld = control.ownerChecked(held, OwnerAnswer.owner(null, 99 * HOUR), clock);
        assertThat(stillHeld.ownerAppId()).as("not named to us, still the Inbox's").isEqualTo(INBOX);
        assertThat(stillHeld.expiresAt()).isEqualTo(99 * HOUR);

        var released = control.ownerChecked(held, OwnerAnswer.idleThread(), clock);
        assertThat(released.ownerAppId()).isEqualTo(BOT);
        assertThat(released.history().get(0).kind()).isEqualTo(TransitionKind.RELEASED);
        assertThat(control.onEvent(released, event, DEFAULT_BEHAVIOUR).steps()).singleElement()
                .isInstanceOf(Step.Send.class);
    }

    @Test
    void anExpiredHoldIsIdleAndTheBotAnswers() {
        var held = owned(INBOX).withExpiry(10 * HOUR);
        for (var routing : Routing.values()) {
            var event = new WebhookEvent.Message(env(Channel.MESSAGING, 10 * HOUR), "m" + routing, "hours?", null,
                    List.of(), List.of(), false, null);
            assertThat(control.needsOwnerCheck(held, event, routing)).isFalse();
            var plan = control.onEvent(held, event, routing);
            assertThat(plan.state().ownerAppId()).isEqualTo(BOT);
            assertThat(plan.state().history().get(0).kind()).isEqualTo(TransitionKind.EXPIRED);
            assertThat(plan.steps()).singleElement().isInstanceOf(Step.Send.class);
        }
        assertThat(control.expired(held, 10 * HOUR - 1)).isFalse();
        assertThat(control.expired(held, 10 * HOUR)).isTrue();
    }

    @Test
    void aUserMessageWhileTheInboxHoldsKeepsItsControlAlive() {
        var held = owned(INBOX).withExpiry(2 * HOUR);
        var plan = control.onEvent(held, new WebhookEvent.Message(env(Channel.STANDBY, HOUR), "m", "still there?",
                null, List.of(), List.of(), false, null), ROUTING);
        assertThat(plan.state().expiresAt()).isEqualTo(HOUR + 24 * HOUR);
    }

    @Test
    void anAgentReplyWhileTheBotHoldsTheThreadMeansTheInboxHasItNoPassOfOurs() {
        var echo = new WebhookEvent.Message(new Envelope(PAGE, Channel.MESSAGING, PAGE, USER, clock += 1000), "m",
                "Hi, Sam here", null, List.of(), List.of(), true, INBOX);
        for (var routing : Routing.values()) {
            var plan = control.onEvent(owned(BOT), echo, routing);
            assertThat(plan.steps()).isEmpty();
            assertThat(plan.state().ownerAppId()).isEqualTo(INBOX);
            assertThat(plan.state().reason()).isEqualTo(Reason.AGENT_REPLIED);
            assertThat(control.onEvent(plan.state(), message(Channel.MESSAGING, "thanks"), DEFAULT_BEHAVIOUR).steps())
                    .as("and never a bot message after it").isEmpty();
        }
    }

    @Test
    void noWelcomeBackOutsideTheMessagingWindowRecordedInstead() {
        var inbox = heard(owned(INBOX), 1_000);
        var done = new WebhookEvent.PassThreadControl(env(Channel.MESSAGING, 1_000 + 25 * HOUR), BOT, INBOX, null);
        var plan = control.onEvent(inbox, done, ROUTING);
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.state().ownerAppId()).isEqualTo(BOT);
        assertThat(plan.state().history().get(0).kind()).isEqualTo(TransitionKind.MESSAGE_SKIPPED);
        assertThat(plan.state().history().get(0).reason()).isEqualTo(Reason.OUTSIDE_WINDOW);
        assertThat(ThreadControl.windowOpen(inbox, 1_000 + 24 * HOUR - 1)).isTrue();
        assertThat(ThreadControl.windowOpen(inbox, 1_000 + 24 * HOUR)).isFalse();
    }

    @Test
    void aBlockedTakeIsRecordedWithItsReason() {
        var plan = control.refused(owned(INBOX), new Step.Take(Reason.OPERATOR), 9, null, Refusal.TAKE_NOT_SUPPORTED,
                "(#27) take not available");
        assertThat(plan.state().ownerAppId()).isEqualTo(INBOX);
        assertThat(plan.state().history().get(0).kind()).isEqualTo(TransitionKind.TAKE_FAILED);
        assertThat(plan.state().history().get(0).reason()).isEqualTo(Reason.TAKE_NOT_SUPPORTED);
        assertThat(ThreadControl.ownerMattersWhenRefused(new Step.Take(Reason.OPERATOR), Refusal.TAKE_NOT_SUPPORTED))
                .isFalse();
    }

    @Test
    void aMoveWeAlreadyKnewOfIsRememberedSoThatALateCopyIsNoNews() {
        var take = new WebhookEvent.TakeThreadControl(env(Channel.MESSAGING, 2_000), BOT, INBOX, null);
        var pass = new WebhookEvent.PassThreadControl(env(Channel.MESSAGING, 2_000), INBOX, OTHER, null);
        for (var event : List.<WebhookEvent>of(take, pass)) {
            var plan = control.onEvent(owned(INBOX), event, ROUTING);
            assertThat(plan.steps()).isEmpty();
            assertThat(plan.state()).isEqualTo(owned(INBOX));
            assertThat(plan.changed()).as("written with its key").isTrue();
        }
    }

    @Test
    void requestPolicy() {
        var fromInbox = control.onEvent(owned(BOT),
                new WebhookEvent.RequestThreadControl(env(Channel.MESSAGING, 2_000), INBOX, null), DEFAULT_BEHAVIOUR);
        assertThat(fromInbox.steps()).singleElement().isInstanceOf(Step.Pass.class);
        var fromOther = control.onEvent(owned(BOT),
                new WebhookEvent.RequestThreadControl(env(Channel.MESSAGING, 2_000), OTHER, null), DEFAULT_BEHAVIOUR);
        assertThat(fromOther.steps()).isEmpty();
        assertThat(fromOther.state().history().get(0).kind()).isEqualTo(TransitionKind.REQUEST_DECLINED);
        assertThat(RequestPolicy.ANY_APP.allows(OTHER, INBOX)).isTrue();
        assertThat(RequestPolicy.ANY_SECONDARY.allows(OTHER, INBOX)).as("the old name still works").isTrue();
        assertThat(RequestPolicy.NEVER.allows(INBOX, INBOX)).isFalse();
    }

    @Test
    void fallbacksCountUpAndResetOnAnAnswer() {
        var s = owned(BOT);
        s = control.onEvent(s, message(Channel.MESSAGING, "qwerty"), ROUTING).state();
        assertThat(s.fallbacks()).isEqualTo(1);
        var second = control.onEvent(s, message(Channel.MESSAGING, "asdf"), ROUTING);
        assertThat(((Step.Send) second.steps().get(0)).text()).isEqualTo(control.catalogue().offerPerson());
        var answered = control.onEvent(second.state(), message(Channel.MESSAGING, "refund"), ROUTING);
        assertThat(answered.state().fallbacks()).isZero();
    }

    @Test
    void metadataKeepsTheNewestMessagesUnderTheLimit() {
        var s = owned(BOT);
        for (int i = 0; i < 12; i++) {
            s = s.withLine(new ThreadState.Line(i, Speaker.USER, "message " + i + " " + "x".repeat(280)));
        }
        var metadata = control.metadata(s, Reason.USER_ASKED);
        assertThat(metadata).hasSizeLessThan(ThreadControl.METADATA_LIMIT).startsWith("reason=user_asked")
                .contains("message 11").doesNotContain("message 0 ");
    }

    @Test
    void historyAndTranscriptAreBounded() {
        var s = owned(BOT);
        for (int i = 0; i < 100; i++) {
            s = s.withLine(new ThreadState.Line(i, Speaker.USER, "l" + i)).withTransition(
                    new ThreadState.Transition(i, TransitionKind.PASSED, null, null, Reason.DEFAULT, null, null));
        }
        assertThat(s.transcript()).hasSize(ThreadState.MAX_TRANSCRIPT).last().extracting(ThreadState.Line::text)
                .isEqualTo("l99");
        assertThat(s.history()).hasSize(ThreadState.MAX_HISTORY).first().extracting(ThreadState.Transition::at)
                .isEqualTo(99L);
    }

    @Test
    void nlpSignalsWithoutNameOrValueAreNoSignal() {
        var nameless = new WebhookEvent.NlpSignal("intent", null, null, 0.99);
        var event = new WebhookEvent.Message(env(Channel.MESSAGING, clock += 1000), "m" + clock, "hello", null,
                List.of(), List.of(nameless), false, null);
        var plan = control.onEvent(ThreadState.initial(PAGE, USER, BOT), event, ROUTING);
        assertThat(plan.steps()).noneMatch(Step.Pass.class::isInstance).noneMatch(Step.SendAndPass.class::isInstance);
    }

    private ThreadState owned(String owner) {
        return new ThreadState(PAGE, USER, owner, 1_000, Reason.DEFAULT, 0, 0, 0, List.of(), List.of());
    }

    /** The user wrote at {@code at}. */
    private static ThreadState heard(ThreadState s, long at) {
        return s.withLine(new ThreadState.Line(at, Speaker.USER, "hello"));
    }

    private WebhookEvent.Message message(Channel channel, String text) {
        return new WebhookEvent.Message(env(channel, clock += 1000), "m" + clock, text, null, List.of(), List.of(),
                false, null);
    }

    private static Envelope env(Channel channel, long at) {
        return new Envelope(PAGE, channel, USER, PAGE, at);
    }
}
