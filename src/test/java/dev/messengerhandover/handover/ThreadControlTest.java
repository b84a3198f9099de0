package dev.messengerhandover.handover;

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

/** The rules alone: no Quarkus, no I/O. */
class ThreadControlTest {

    static final String BOT = "1";
    static final String INBOX = "263902037430900";
    static final String OTHER = "3";
    static final String PAGE = "p";
    static final String USER = "u";

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
    void aHandoffTellsTheUserThenPassesAndChangesNothingBeforeGraphConfirms() {
        var plan = control.onEvent(ThreadState.initial(PAGE, USER, BOT), message(Channel.MESSAGING, "agent please"));
        assertThat(plan.steps()).hasSize(2);
        assertThat(plan.steps().get(0)).isInstanceOfSatisfying(Step.Send.class,
                s -> assertThat(s.offerPerson()).isFalse());
        assertThat(plan.steps().get(1)).isInstanceOfSatisfying(Step.Pass.class,
                p -> assertThat(p.targetAppId()).isEqualTo(INBOX));
        assertThat(plan.state().ownerAppId()).isEqualTo(BOT);

        var after = control.confirmed(plan.state(), plan.steps().get(1), 5_000, null);
        assertThat(after.ownerAppId()).isEqualTo(INBOX);
        assertThat(after.since()).isEqualTo(5_000);
        assertThat(after.history().get(0).kind()).isEqualTo(TransitionKind.PASSED);
    }

    @Test
    void standbyNeverAnswers() {
        var inbox = owned(INBOX);
        var plan = control.onEvent(inbox, message(Channel.STANDBY, "agent please"));
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.state().transcript()).extracting(ThreadState.Line::text).contains("agent please");
    }

    @Test
    void standbyWhileTheBotOwnsAsksGraphOnlyWithoutEffects() {
        var plan = control.onEvent(owned(BOT), message(Channel.STANDBY, "hello"));
        assertThat(plan.steps()).singleElement().isInstanceOf(Step.LookupOwner.class);
        assertThat(plan.hasEffects()).isFalse();
    }

    @Test
    void doneReturnsTheThreadAndWelcomesBack() {
        var inbox = owned(INBOX);
        var done = new WebhookEvent.PassThreadControl(env(Channel.MESSAGING, 61_000), BOT, INBOX, null);
        var plan = control.onEvent(inbox, done);
        assertThat(plan.state().ownerAppId()).isEqualTo(BOT);
        assertThat(plan.state().history().get(0).heldMillis()).isEqualTo(60_000);
        assertThat(plan.steps()).singleElement().isInstanceOf(Step.Send.class);
    }

    @Test
    void aMoveWeAlreadyKnewOfIsRememberedSoThatALateCopyIsNoNews() {
        var take = new WebhookEvent.TakeThreadControl(env(Channel.MESSAGING, 2_000), BOT, INBOX, null);
        var pass = new WebhookEvent.PassThreadControl(env(Channel.MESSAGING, 2_000), INBOX, OTHER, null);
        for (var event : List.<WebhookEvent>of(take, pass)) {
            var plan = control.onEvent(owned(INBOX), event);
            assertThat(plan.steps()).isEmpty();
            assertThat(plan.state()).isEqualTo(owned(INBOX));
            assertThat(plan.changed()).as("written with its key").isTrue();
        }
    }

    @Test
    void requestPolicy() {
        var fromInbox = control.onEvent(owned(BOT),
                new WebhookEvent.RequestThreadControl(env(Channel.MESSAGING, 2_000), INBOX, null));
        assertThat(fromInbox.steps()).singleElement().isInstanceOf(Step.Pass.class);
        var fromOther = control.onEvent(owned(BOT),
                new WebhookEvent.RequestThreadControl(env(Channel.MESSAGING, 2_000), OTHER, null));
        assertThat(fromOther.steps()).isEmpty();
        assertThat(fromOther.state().history().get(0).kind()).isEqualTo(TransitionKind.REQUEST_DECLINED);
        assertThat(RequestPolicy.ANY_SECONDARY.allows(OTHER, INBOX)).isTrue();
        assertThat(RequestPolicy.NEVER.allows(INBOX, INBOX)).isFalse();
    }

    @Test
    void fallbacksCountUpAndResetOnAnAnswer() {
        var s = owned(BOT);
        s = control.onEvent(s, message(Channel.MESSAGING, "qwerty")).state();
        assertThat(s.fallbacks()).isEqualTo(1);
        var second = control.onEvent(s, message(Channel.MESSAGING, "asdf"));
        assertThat(((Step.Send) second.steps().get(0)).text()).isEqualTo(control.catalogue().offerPerson());
        var answered = control.onEvent(second.state(), message(Channel.MESSAGING, "refund"));
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
    void aFailedPassKeepsTheBotAndApologises() {
        var pass = new Step.Pass(INBOX, Reason.USER_ASKED, "m");
        var plan = control.refused(owned(BOT), pass, 9, null, "HTTP 400");
        assertThat(plan.state().ownerAppId()).isEqualTo(BOT);
        assertThat(plan.steps()).singleElement().isInstanceOf(Step.Send.class);
    }

    @Test
    void historyAndTranscriptAreBounded() {
        var s = owned(BOT);
        for (int i = 0; i < 100; i++) {
            s = s.withLine(new ThreadState.Line(i, Speaker.USER, "l" + i))
                    .withTransition(new ThreadState.Transition(i, TransitionKind.PASSED, null, null, Reason.DEFAULT, null, null));
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
        var plan = control.onEvent(ThreadState.initial(PAGE, USER, BOT), event);
        assertThat(plan.steps()).noneMatch(Step.Pass.class::isInstance);
    }

    private ThreadState owned(String owner) {
        return new ThreadState(PAGE, USER, owner, 1_000, Reason.DEFAULT, 0, List.of(), List.of());
    }

    private WebhookEvent.Message message(Channel channel, String text) {
        return new WebhookEvent.Message(env(channel, clock += 1000), "m" + clock, text, null, List.of(), List.of(),
                false, null);
    }

    private static Envelope env(Channel channel, long at) {
        return new Envelope(PAGE, channel, USER, PAGE, at);
    }
}
