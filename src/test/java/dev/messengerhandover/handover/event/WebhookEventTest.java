package dev.messengerhandover.handover.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.messengerhandover.handover.event.WebhookEvent.AppRoles;
import dev.messengerhandover.handover.event.WebhookEvent.DeliveryReceipt;
import dev.messengerhandover.handover.event.WebhookEvent.Message;
import dev.messengerhandover.handover.event.WebhookEvent.MessageDeleted;
import dev.messengerhandover.handover.event.WebhookEvent.Optin;
import dev.messengerhandover.handover.event.WebhookEvent.PassThreadControl;
import dev.messengerhandover.handover.event.WebhookEvent.Postback;
import dev.messengerhandover.handover.event.WebhookEvent.Read;
import dev.messengerhandover.handover.event.WebhookEvent.Referral;
import dev.messengerhandover.handover.event.WebhookEvent.RequestThreadControl;
import dev.messengerhandover.handover.event.WebhookEvent.TakeThreadControl;
import dev.messengerhandover.handover.event.WebhookEvent.Unknown;

class WebhookEventTest {

    private static final Envelope USER = new Envelope("p", Channel.MESSAGING, "u", "p", 42);

    /**
     * The keys are stored in every thread item to recognise redeliveries: a message id where there is one, else the
     * kind's wire prefix, channel, parties and time, and a digest of what the event says.
     */
    @Test
    void keysAreTheStoredWireFormat() {
        assertThat(new Message(USER, "m_1", "hi", null, List.of(), List.of(), false, null).key()).isEqualTo("mid:m_1");
        assertThat(new Postback(USER, "m_2", "Returns", "P").key()).isEqualTo("postback:m_2");
        assertThat(new MessageDeleted(USER, "m_3").key()).isEqualTo("deleted:m_3");
        assertThat(new MessageDeleted(USER, null).key()).isEqualTo("MessageDeleted:MESSAGING:u:p:42");
        var standby = new Envelope("p", Channel.STANDBY, "u", "p", 7);
        assertThat(new PassThreadControl(standby, "1", null, null).key())
                .matches("PassThreadControl:STANDBY:u:p:7:[0-9a-f]{16}");
        for (var event : List.<WebhookEvent>of(new Message(USER, null, "hi", null, List.of(), List.of(), false, null),
                new Postback(USER, null, "Returns", "P"), new PassThreadControl(USER, "1", "2", null),
                new TakeThreadControl(USER, "1", "2", null), new RequestThreadControl(USER, "2", null),
                new Read(USER, 1), new DeliveryReceipt(USER, List.of(), 1), new AppRoles(USER, Map.of()),
                new Referral(USER, "r", "s"), new Optin(USER, "r"), new Unknown(USER, "reaction"))) {
            var prefix = switch (event) {
                case Message m -> "Message";
                case Postback p -> "Postback";
                case PassThreadControl p -> "PassThreadControl";
                case TakeThreadControl t -> "TakeThreadControl";
                case RequestThreadControl r -> "RequestThreadControl";
                case Read r -> "Read";
                case DeliveryReceipt d -> "DeliveryReceipt";
                case AppRoles a -> "AppRoles";
                case Referral r -> "Referral";
                case Optin o -> "Optin";
                default -> "Unknown";
            };
            assertThat(event.key()).as(event.kind()).matches(prefix + ":MESSAGING:u:p:42:[0-9a-f]{16}");
        }
    }

    /** Copies of an event share its key; events that differ in anything Meta sends do not, in the same millisecond. */
    @Test
    void keysTellApartWhatMakesTwoEventsDifferent() {
        assertThat(new RequestThreadControl(USER, "263902037430900", "m").key())
                .isEqualTo(new RequestThreadControl(USER, "263902037430900", "m").key())
                .isNotEqualTo(new RequestThreadControl(USER, "300000000000003", "m").key())
                .isNotEqualTo(new RequestThreadControl(USER, "263902037430900", "n").key());
        assertThat(new PassThreadControl(USER, "1", "2", "x").key())
                .isNotEqualTo(new PassThreadControl(USER, "2", "1", "x").key());
        assertThat(new Postback(USER, null, "Yes", "SATISFACTION_YES").key())
                .isNotEqualTo(new Postback(USER, null, "No", "SATISFACTION_NO").key());
        // Fields are told apart by their lengths too: ("ab", "c") is not ("a", "bc").
        assertThat(new Referral(USER, "ab", "c").key()).isNotEqualTo(new Referral(USER, "a", "bc").key());
    }

    @Test
    void theUserOfAnEchoIsItsRecipient() {
        var echo = new Envelope("p", Channel.MESSAGING, "p", "u", 1);
        assertThat(new Message(echo, "m", "x", null, List.of(), List.of(), true, "263902037430900").userId())
                .isEqualTo("u");
        assertThat(new Message(USER, "m", "x", null, List.of(), List.of(), false, null).userId()).isEqualTo("u");
        assertThat(new AppRoles(USER, Map.of()).userId()).isNull();
    }
}
