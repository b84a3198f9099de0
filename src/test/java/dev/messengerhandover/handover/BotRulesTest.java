package dev.messengerhandover.handover;

import static dev.messengerhandover.handover.Routing.DEFAULT_BEHAVIOUR;
import static dev.messengerhandover.handover.Routing.ROUTING;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.messengerhandover.handover.BotAnswer.Message;
import dev.messengerhandover.handover.BotAnswer.Reply;
import dev.messengerhandover.handover.Rules.RequestPolicy;
import dev.messengerhandover.handover.event.Channel;
import dev.messengerhandover.handover.event.Envelope;
import dev.messengerhandover.handover.event.WebhookEvent;

/**
 * The rules with a bot of the team's own behind the default app: what reaches it (and what never does), how its
 * answer is fitted to the platform, a hand-over it decides, its failure, and a message it sends later.
 */
class BotRulesTest {

    static final String BOT = "1";
    static final String INBOX = "263902037430900";
    static final long NOW = 1_800_000_000_000L;

    private static ThreadControl control(Limits limits) throws IOException {
        try (var in = BotRulesTest.class.getClassLoader().getResourceAsStream("bot-catalogue.json")) {
            var catalogue = BotCatalogue.read(in);
            return new ThreadControl(new Rules(BOT, INBOX, "TALK_TO_PERSON", 2, true, RequestPolicy.PAGE_INBOX_ONLY,
                    Set.of("human_agent"), 0.8).with(limits, true), catalogue,
                    HumanIntentMatcher.forLanguages(catalogue.languages()));
        }
    }

    private static WebhookEvent.Message said(String text) {
        return new WebhookEvent.Message(new Envelope("p", Channel.MESSAGING, "u", "p", NOW), "m_1", text, null,
                List.of(), List.of(), false, null);
    }

    private static ThreadState wrote() {
        return ThreadState.initial("p", "u", BOT).withLine(new ThreadState.Line(NOW, Speaker.USER, "hi"));
    }

    @Test
    void theBotIsAskedWhatTheCatalogueWouldHaveAnsweredAfterATypingIndicator() throws IOException {
        var plan = control(Limits.MESSENGER).onEvent(ThreadState.initial("p", "u", BOT),
                said("what are your opening hours?"), ROUTING);
        assertThat(plan.steps()).satisfiesExactly(t -> assertThat(t).isInstanceOf(Step.Typing.class),
                a -> assertThat(a).isInstanceOfSatisfying(Step.AskBot.class, ask -> {
                    assertThat(ask.text()).isEqualTo("what are your opening hours?");
                    assertThat(ask.mid()).isEqualTo("m_1");
                    assertThat(ask.routing()).isEqualTo(ROUTING);
                }));
    }

    /**
     * A bot the time did not cover is asked by the redelivery; "typing..." goes with it unless this run showed it
     * (here: Graph did not take it, or did), so the user sees it before the answer that comes later.
     */
    @Test
    void aBotLeftForLaterKeepsItsTypingIndicatorUnlessItWasShown() throws IOException {
        var control = control(Limits.MESSENGER);
        var plan = control.onEvent(ThreadState.initial("p", "u", BOT), said("what are your opening hours?"), ROUTING);
        for (boolean shown : new boolean[] { false, true }) {
            var world = new Execution.World() {
                @Override
                public boolean hasTimeFor(Step step) {
                    return !(step instanceof Step.AskBot); // the time runs out before the bot
                }

                @Override
                public Execution.Result run(ThreadState state, Step step) {
                    return shown ? Execution.Result.Confirmed.DONE : new Execution.Result.NotTaken("typing_on");
                }

                @Override
                public OwnerAnswer ownerNow() {
                    return null;
                }

                @Override
                public long now() {
                    return NOW;
                }
            };
            var left = Execution.run(control, plan.state(), plan.steps(), world).left();
            if (shown) {
                assertThat(left).singleElement().isInstanceOf(Step.AskBot.class);
            } else {
                assertThat(left).satisfiesExactly(t -> assertThat(t).isInstanceOf(Step.Typing.class),
                        a -> assertThat(a).isInstanceOf(Step.AskBot.class));
            }
        }
    }

    @Test
    void askingForAPersonNeverReachesTheBotTheHandoverComesFirst() throws IOException {
        var control = control(Limits.MESSENGER);
        for (var words : List.of("can I talk to a real person", "je veux parler à un conseiller")) {
            var plan = control.onEvent(ThreadState.initial("p", "u", BOT), said(words), ROUTING);
            assertThat(plan.steps()).as(words).singleElement().isInstanceOf(Step.SendAndPass.class);
        }
        var tap = new WebhookEvent.Message(new Envelope("p", Channel.MESSAGING, "u", "p", NOW), "m_2",
                "Talk to a person", "TALK_TO_PERSON", List.of(), List.of(), false, null);
        assertThat(control.onEvent(ThreadState.initial("p", "u", BOT), tap, DEFAULT_BEHAVIOUR).steps())
                .noneMatch(Step.AskBot.class::isInstance);
    }

    @Test
    void longTextsAreSplitAtTheirSentencesWithinThePlatformsLimit() throws IOException {
        var sentence = "This sentence is exactly fifty characters long ok. ";
        var text = sentence.repeat(30).strip(); // 1529 characters
        var instagram = control(new Limits(1000, 13, 20)).botAnswered(wrote(),
                new BotAnswer(List.of(new Message(text, List.of())), null), ROUTING, NOW);
        var sends = instagram.steps().stream().map(Step.Send.class::cast).toList();
        assertThat(sends).hasSize(2).allSatisfy(s -> assertThat(s.text()).hasSizeLessThanOrEqualTo(1000)
                .endsWith("ok."));
        assertThat(sends.get(0).offerPerson()).as("the offer goes with the last piece only").isFalse();
        assertThat(sends.get(1).offerPerson()).isTrue();
        var messenger = control(Limits.MESSENGER).botAnswered(wrote(),
                new BotAnswer(List.of(new Message(text, List.of())), null), ROUTING, NOW);
        assertThat(messenger.steps()).hasSize(1);
    }

    @Test
    void quickRepliesAreCutToThePlatformsAndTheOfferOfAPersonTakesARemainingPlace() throws IOException {
        var many = IntStream.range(0, 20).mapToObj(i -> new Reply("An option with a long title " + i, "P" + i))
                .toList();
        var plan = control(Limits.MESSENGER).botAnswered(wrote(),
                new BotAnswer(List.of(new Message("Pick one", many)), null), ROUTING, NOW);
        var send = (Step.Send) plan.steps().get(0);
        assertThat(send.replies()).hasSize(13).allSatisfy(r -> assertThat(r.title()).hasSize(20).endsWith("…"));
        assertThat(send.offerPerson()).as("no room left for the offer").isFalse();

        var whatsApp = control(new Limits(4096, 1024, 3, 20, false, false)).botAnswered(wrote(), new BotAnswer(List.of(
                new Message("Pick one", many.subList(0, 2))), null), ROUTING, NOW);
        var two = (Step.Send) whatsApp.steps().get(0);
        assertThat(two.replies()).hasSize(2);
        assertThat(two.offerPerson()).as("a third place: the offer").isTrue();
    }

    @Test
    void anEmptyAnswerIsNoMessage() throws IOException {
        var plan = control(Limits.MESSENGER).botAnswered(wrote(), new BotAnswer(List.of(new Message("  ", List.of(
                new Reply("Yes", "Y"))), new Message(null, List.of())), null), ROUTING, NOW);
        assertThat(plan.steps()).isEmpty();
    }

    @Test
    void aHandoverTheBotDecidesGoesTheUsersWayAfterItsWords() throws IOException {
        var plan = control(Limits.MESSENGER).botAnswered(wrote(), new BotAnswer(List.of(
                new Message("Let me find someone for you.", List.of())), "refund over the limit"), ROUTING, NOW);
        assertThat(plan.steps()).satisfiesExactly(
                s -> assertThat(s).isInstanceOfSatisfying(Step.Send.class, send -> {
                    assertThat(send.text()).isEqualTo("Let me find someone for you.");
                    assertThat(send.offerPerson()).as("no offer while handing over").isFalse();
                }),
                s -> assertThat(s).isInstanceOfSatisfying(Step.SendAndPass.class, pass -> {
                    assertThat(pass.reason()).isEqualTo(Reason.BOT_DECIDED);
                    assertThat(pass.targetAppId()).isEqualTo(INBOX);
                }));
        var separate = control(Limits.MESSENGER).botAnswered(wrote(), new BotAnswer(List.of(), "x"),
                DEFAULT_BEHAVIOUR, NOW);
        assertThat(separate.steps()).satisfiesExactly(s -> assertThat(s).isInstanceOf(Step.Send.class),
                s -> assertThat(s).isInstanceOfSatisfying(Step.Pass.class,
                        p -> assertThat(p.reason()).isEqualTo(Reason.BOT_DECIDED)));
    }

    @Test
    void aBotThatFailsLeavesTheCataloguesFallbackAndTheOfferOfAPerson() throws IOException {
        var control = control(Limits.MESSENGER);
        for (var failure : BotFailure.values()) {
            var plan = control.botFailed(wrote(), failure, NOW);
            assertThat(plan.steps()).singleElement().isInstanceOfSatisfying(Step.Send.class, s -> {
                assertThat(s.text()).isEqualTo(control.catalogue().fallback());
                assertThat(s.offerPerson()).isTrue();
            });
            assertThat(plan.state().history().get(0)).satisfies(t -> {
                assertThat(t.kind()).isEqualTo(TransitionKind.BOT_FAILED);
                assertThat(t.detail()).isEqualTo(failure.wire());
            });
        }
    }

    @Test
    void aLateBotMayTalkOnlyWhileItHoldsTheThreadInsideTheWindow() throws IOException {
        var control = control(Limits.MESSENGER);
        assertThat(control.botMaySend(wrote(), true, NOW + 1000)).isNull();
        assertThat(control.botMaySend(wrote(), false, NOW)).startsWith("unknown thread");
        var held = wrote().withOwner(INBOX, NOW, Reason.USER_ASKED, NOW + 24 * 3_600_000L, new ThreadState.Transition(
                NOW, TransitionKind.PASSED, BOT, INBOX, Reason.USER_ASKED, null, null));
        assertThat(control.botMaySend(held, true, NOW + 1000)).contains("page_inbox");
        assertThat(control.botMaySend(wrote(), true, NOW + 25 * 3_600_000L)).contains("window");
    }

    @Test
    void outsideTheWindowTheBotIsNotAskedAtAll() throws IOException {
        var late = new WebhookEvent.Message(new Envelope("p", Channel.MESSAGING, "u", "p", NOW), "m_9", "hello?",
                null, List.of(), List.of(), false, null);
        var plan = control(Limits.MESSENGER).onEvent(ThreadState.initial("p", "u", BOT), late, ROUTING, NOW,
                NOW + 25 * 3_600_000L);
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.state().history().get(0).kind()).isEqualTo(TransitionKind.MESSAGE_SKIPPED);
    }
}
