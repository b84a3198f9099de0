package dev.messengerhandover.handover;

import java.util.List;

import dev.messengerhandover.handover.event.WebhookEvent.Attachment;
import dev.messengerhandover.handover.event.WebhookEvent.NlpSignal;

/** A Graph API call the rules ask for. The state changes it implies are applied only once Graph confirms it. */
public sealed interface Step {

    /**
     * A message to the user (Send API, {@code messaging_type: RESPONSE}); {@code replies} are quick replies of the
     * bot's own, already within the platform's limits; {@code offerPerson} adds the "Talk to a person" reply after them,
     * {@code survey} the answers to the satisfaction question instead.
     */
    record Send(String text, boolean offerPerson, boolean survey, List<BotAnswer.Reply> replies) implements Step {
        public Send {
            replies = replies == null ? List.of() : List.copyOf(replies);
        }

        public Send(String text, boolean offerPerson, boolean survey) {
            this(text, offerPerson, survey, List.of());
        }

        public Send(String text, boolean offerPerson) {
            this(text, offerPerson, false, List.of());
        }
    }

    /**
     * "The bot is typing" ({@code sender_action: typing_on}) before a bot that may take a while answers: a courtesy,
     * best effort (a failure changes nothing).
     */
    record Typing() implements Step {
    }

    /**
     * The user's event, to the bot behind the default app (not the catalogue): its answer becomes messages or a
     * hand-over ({@code ThreadControl.botAnswered}), its failure the catalogue's fallback ({@code botFailed}).
     * {@code routing} is the Page's when the rules decided, for a hand-over the bot asks for.
     */
    record AskBot(String mid, String text, String payload, List<Attachment> attachments, List<NlpSignal> nlp,
            long at, Routing routing) implements Step {
        public AskBot {
            attachments = attachments == null ? List.of() : List.copyOf(attachments);
            nlp = nlp == null ? List.of() : List.copyOf(nlp);
        }
    }

    /**
     * The hand-over notice and the pass in one Send API call ({@code thread_control: pass}), where Conversation
     * Routing is configured. {@code metadata} is the agent's context, for the separate pass should Graph refuse this.
     */
    record SendAndPass(String text, String targetAppId, Reason reason, String metadata) implements Step {
    }

    /** {@code pass_thread_control} to {@code targetAppId}, with the agent's context in {@code metadata}. */
    record Pass(String targetAppId, Reason reason, String metadata) implements Step {
    }

    /** {@code take_thread_control}: the bot takes the thread back. */
    record Take(Reason reason) implements Step {
    }

    /**
     * The team is told (an SNS message) about the hand-over made at {@code handedOverAt} that nobody answered:
     * {@code why} it is told now; {@code lastUserLine} is what the user said last.
     */
    record Alert(long handedOverAt, Reason reason, String lastUserLine, Why why) implements Step {
        public enum Why {
            /** The wait passed {@code notify-after}. */
            UNANSWERED,
            /** The bot could not take the thread back to give up on the wait (Graph refused, or blocks takes). */
            TAKE_REFUSED,
            /** Control lapsed before anybody answered, or was alerted: the user is the bot's again. */
            LAPSED
        }

        public boolean takeRefused() {
            return why == Why.TAKE_REFUSED;
        }
    }

    /**
     * {@code take_thread_control} of a hand-over nobody answered; once Graph confirms, the bot tells the user
     * ({@code text}) as its own step.
     */
    record GiveUp(String text) implements Step {
    }

    /** {@code thread_owner}: ask Graph who owns the thread, when what we hear contradicts what we stored. */
    record LookupOwner(Reason why) implements Step {
    }

    /** Whether the call changes something for the user, so that it must not run twice for one event. */
    default boolean hasEffect() {
        return switch (this) {
            case Send send -> true;
            case Typing typing -> true;
            case AskBot ask -> true;
            case SendAndPass handoff -> true;
            case Pass pass -> true;
            case Take take -> true;
            case Alert alert -> true;
            case GiveUp giveUp -> true;
            case LookupOwner lookup -> false;
        };
    }

    /** The Graph call's name, for logs. */
    default String call() {
        return switch (this) {
            case Send send -> "messages";
            case Typing typing -> "typing_on";
            case AskBot ask -> "bot";
            case SendAndPass handoff -> "messages+pass";
            case Pass pass -> "pass_thread_control";
            case Take take -> "take_thread_control";
            case Alert alert -> "alert";
            case GiveUp giveUp -> "take_thread_control(give up)";
            case LookupOwner lookup -> "thread_owner";
        };
    }
}
