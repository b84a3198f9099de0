package dev.messengerhandover.handover.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.messengerhandover.handover.event.WebhookEvent.AppRoles;
import dev.messengerhandover.handover.event.WebhookEvent.DeliveryReceipt;
import dev.messengerhandover.handover.event.WebhookEvent.Message;
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
     * The keys are stored in every thread item to recognise redeliveries: these exact strings are what items written
     * by earlier versions hold, so a change here would apply stored events a second time.
     */
    @Test
    void keysAreTheStoredWireFormat() {
        assertThat(new Message(USER, "m_1", "hi", null, List.of(), List.of(), false, null).key()).isEqualTo("mid:m_1");
        assertThat(new Message(USER, null, "hi", null, List.of(), List.of(), false, null).key())
                .isEqualTo("Message:MESSAGING:u:p:42");
        assertThat(new Postback(USER, "m_2", "Returns", "P").key()).isEqualTo("postback:m_2");
        assertThat(new Postback(USER, null, "Returns", "P").key()).isEqualTo("Postback:MESSAGING:u:p:42");
        assertThat(new PassThreadControl(USER, "1", "2", null).key()).isEqualTo("PassThreadControl:MESSAGING:u:p:42");
        assertThat(new TakeThreadControl(USER, "1", "2", null).key()).isEqualTo("TakeThreadControl:MESSAGING:u:p:42");
        assertThat(new RequestThreadControl(USER, "2", null).key())
                .isEqualTo("RequestThreadControl:MESSAGING:u:p:42");
        var standby = new Envelope("p", Channel.STANDBY, "u", "p", 7);
        assertThat(new PassThreadControl(standby, "1", null, null).key()).isEqualTo("PassThreadControl:STANDBY:u:p:7");
        assertThat(new Read(USER, 1).key()).isEqualTo("Read:MESSAGING:u:p:42");
        assertThat(new DeliveryReceipt(USER, List.of(), 1).key()).isEqualTo("DeliveryReceipt:MESSAGING:u:p:42");
        assertThat(new AppRoles(USER, Map.of()).key()).isEqualTo("AppRoles:MESSAGING:u:p:42");
        assertThat(new Referral(USER, "r", "s").key()).isEqualTo("Referral:MESSAGING:u:p:42");
        assertThat(new Optin(USER, "r").key()).isEqualTo("Optin:MESSAGING:u:p:42");
        assertThat(new Unknown(USER, "reaction").key()).isEqualTo("Unknown:MESSAGING:u:p:42");
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
