package dev.messengerhandover.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.messengerhandover.handover.event.Channel;
import dev.messengerhandover.handover.event.Delivery;
import dev.messengerhandover.handover.event.WebhookEvent;
import dev.messengerhandover.handover.event.WhatsAppRoles;

/**
 * WhatsApp's deliveries in the shapes Meta documents (the examples of its webhook reference pages: owner traffic with a
 * {@code conversation_context}, a standby echo, {@code messaging_handovers} with the deprecated app fields, the older
 * {@code control_passed} naming no roles), and what real deliveries carry besides: a user named by a business-scoped
 * id only, a handover without a sender, a failed status, types nobody documented. Nothing odd refuses the delivery.
 */
class WhatsAppParserTest {

    static final String NUMBER = "106540352242922";

    @Test
    void ownerTrafficWithAConversationContextIsTheUsersMessage() {
        var events = parse(change("messages", """
                {"messaging_product":"whatsapp",
                 "metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
                 "contacts":[{"profile":{"name":"Sheena"},"wa_id":"16505551234"}],
                 "messages":[{"from":"16505551234","id":"wamid.A","timestamp":"1750101000","type":"text",
                              "text":{"body":"Hi"}}],
                 "conversation_context":{"type":"summary","summary":{"text":"AI-generated summary"}}}"""));
        var m = (WebhookEvent.Message) events.getFirst();
        assertThat(m.text()).isEqualTo("Hi");
        assertThat(m.mid()).isEqualTo("wamid.A");
        assertThat(m.userId()).isEqualTo("16505551234");
        assertThat(m.envelope().channel()).isEqualTo(Channel.MESSAGING);
        assertThat(m.envelope().timestamp()).isEqualTo(1_750_101_000_000L);
        assertThat(m.isEcho()).isFalse();
    }

    @Test
    void aTapOnAReplyButtonCarriesItsIdAsThePayload() {
        var events = parse(change("messages", """
                {"messaging_product":"whatsapp","metadata":{"phone_number_id":"106540352242922"},
                 "messages":[{"context":{"from":"15550783881","id":"wamid.Q"},"from":"16505551234","id":"wamid.B",
                   "timestamp":"1750101000","type":"interactive",
                   "interactive":{"type":"button_reply","button_reply":{"id":"TALK_TO_PERSON",
                     "title":"Talk to a person"}}}]}"""));
        var m = (WebhookEvent.Message) events.getFirst();
        assertThat(m.quickReplyPayload()).isEqualTo("TALK_TO_PERSON");
        assertThat(m.text()).isEqualTo("Talk to a person");
    }

    @Test
    void aUserNamedByABusinessScopedIdOnlyIsThatId() {
        var events = parse(change("messages", """
                {"messaging_product":"whatsapp","metadata":{"phone_number_id":"106540352242922"},
                 "contacts":[{"profile":{"name":"Ana"},"user_id":"US.13491208655302741918"}],
                 "messages":[{"from_user_id":"US.13491208655302741918","id":"wamid.C","timestamp":"1750101000",
                              "type":"text","text":{"body":"hola"}}]}"""));
        assertThat(((WebhookEvent.Message) events.getFirst()).userId()).isEqualTo("US.13491208655302741918");
    }

    @Test
    void aStandbyEchoIsTheOwnersMessageToTheUser() {
        var events = parse(change("standby", """
                {"messaging_product":"whatsapp","metadata":{"phone_number_id":"106540352242922"},
                 "standby":{"message_echoes":[{"id":"wamid.B","timestamp":"1750101000",
                   "message":{"messaging_product":"whatsapp","to":"16505551234","type":"text",
                     "text":{"body":"Order shipped"}}}]}}"""));
        var echo = (WebhookEvent.Message) events.getFirst();
        assertThat(echo.isEcho()).isTrue();
        assertThat(echo.appId()).isNull();
        assertThat(echo.userId()).isEqualTo("16505551234");
        assertThat(echo.text()).isEqualTo("Order shipped");
        assertThat(echo.envelope().channel()).isEqualTo(Channel.STANDBY);
    }

    @Test
    void aStandbyCopyOfTheUsersMessageIsOnStandby() {
        var events = parse(change("standby", """
                {"messaging_product":"whatsapp","metadata":{"phone_number_id":"106540352242922"},
                 "standby":{"contacts":[{"wa_id":"16505551234"}],"messages":[{"from":"16505551234",
                   "id":"wamid.D","timestamp":"1750101000","type":"text","text":{"body":"anyone?"}}]}}"""));
        var m = (WebhookEvent.Message) events.getFirst();
        assertThat(m.envelope().channel()).isEqualTo(Channel.STANDBY);
        assertThat(m.isEcho()).isFalse();
    }

    @Test
    void controlPassedAndTakenNameRolesAndTheDeprecatedAppFieldsAreIgnored() {
        var events = parse(change("messaging_handovers", """
                {"messaging_product":"whatsapp","sender":{"phone_number":"16505551234"},
                 "recipient":{"phone_number_id":"106540352242922","display_phone_number":"15550783881"},
                 "type":"control_passed","timestamp":"1750101000",
                 "control_passed":{"previous_owner_role":"escalation","new_owner_role":"customer_service",
                   "previous_owner_app_id":"400000000000006","previous_owner_app_role":"meta_business_agent",
                   "metadata":"done","conversation_context":{"type":"summary","summary":{"text":"..."}}}}"""),
                change("messaging_handovers", """
                {"messaging_product":"whatsapp","sender":{"phone_number":"16505551234"},
                 "recipient":{"phone_number_id":"106540352242922"},"type":"control_taken","timestamp":"1750101001",
                 "control_taken":{"previous_owner_role":"customer_service","new_owner_role":"escalation",
                   "metadata":"Control taken via service message"}}"""));
        var passed = (WebhookEvent.PassThreadControl) events.get(0);
        assertThat(passed.newOwnerAppId()).isEqualTo(WhatsAppRoles.PRIMARY);
        assertThat(passed.previousOwnerAppId()).isEqualTo(WhatsAppRoles.ESCALATION);
        assertThat(passed.metadata()).isEqualTo("done");
        assertThat(passed.userId()).isEqualTo("16505551234");
        var taken = (WebhookEvent.TakeThreadControl) events.get(1);
        assertThat(taken.newOwnerAppId()).isEqualTo(WhatsAppRoles.ESCALATION);
        assertThat(taken.previousOwnerAppId()).isEqualTo(WhatsAppRoles.PRIMARY);
    }

    @Test
    void theOlderControlPassedNamingNoRolesMeansTheReceiverOwnsTheThread() {
        var events = parse(change("messaging_handovers", """
                {"messaging_product":"whatsapp","sender":{"phone_number":"16505551234"},
                 "recipient":{"phone_number_id":"106540352242922"},"type":"control_passed","timestamp":"1750101000",
                 "control_passed":{"metadata":"back to you"}}"""));
        assertThat(((WebhookEvent.PassThreadControl) events.getFirst()).newOwnerAppId())
                .isEqualTo(WhatsAppRoles.PRIMARY);
    }

    @Test
    void oddHandoversAndUnknownTypesAreKeptOutOfTheWayWithoutRefusingTheDelivery() {
        var events = parse(change("messaging_handovers", """
                {"messaging_product":"whatsapp","recipient":{"phone_number_id":"106540352242922"},
                 "type":"control_passed","timestamp":"1750101000","control_passed":{}}"""),
                change("messaging_handovers", """
                {"messaging_product":"whatsapp","sender":{"phone_number":"16505551234"},
                 "recipient":{"phone_number_id":"106540352242922"},"type":"control_requested",
                 "timestamp":"1750101000"}"""),
                change("messages", """
                {"messaging_product":"whatsapp","metadata":{"phone_number_id":"106540352242922"},
                 "messages":[{"from":"16505551234","id":"wamid.E","timestamp":"1750101000","type":"order"}]}"""),
                change("account_update", "{\"phone_number\":\"15550783881\"}"),
                change("messages", """
                {"messaging_product":"whatsapp","metadata":{"phone_number_id":"106540352242922"},
                 "messages":[{"from":"16505551234","id":"wamid.F","timestamp":"soon","type":"text",
                              "text":{"body":"x"}}]}"""),
                change("messages", """
                {"messaging_product":"whatsapp","metadata":{"phone_number_id":"106540352242922"},
                 "messages":[{"from":"16505551234","id":"wamid.G","timestamp":"1750101000","type":"text",
                              "text":{"body":"still read"}}]}"""));
        assertThat(events).hasSize(6);
        assertThat(events.subList(0, 5)).allMatch(e -> e instanceof WebhookEvent.Unknown);
        assertThat(((WebhookEvent.Message) events.get(5)).text()).isEqualTo("still read");
    }

    @Test
    void statusesAreReadWithTheErrorOfAFailedOne() {
        var events = parse(change("messages", """
                {"messaging_product":"whatsapp","metadata":{"phone_number_id":"106540352242922"},
                 "statuses":[{"id":"wamid.H","status":"delivered","timestamp":"1750101000",
                   "recipient_id":"16505551234","pricing":{"billable":false,"pricing_model":"PMP"}},
                  {"id":"wamid.I","status":"failed","timestamp":"1750101001","recipient_id":"16505551234",
                   "errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message",
                     "error_data":{"details":"Message failed to send because more than 24 hours have passed"}}]}]}"""));
        var delivered = (WebhookEvent.Status) events.get(0);
        assertThat(delivered.status()).isEqualTo("delivered");
        var failed = (WebhookEvent.Status) events.get(1);
        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.errorCode()).isEqualTo(131047);
        assertThat(failed.mid()).isEqualTo("wamid.I");
    }

    private static String change(String field, String value) {
        return "{\"value\":" + value + ",\"field\":\"" + field + "\"}";
    }

    private static List<WebhookEvent> parse(String... changes) {
        var body = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"102290129340398\",\"changes\":["
                + String.join(",", changes) + "]}]}";
        Delivery d = DeliveryParser.parse(body.getBytes(StandardCharsets.UTF_8));
        assertThat(d.events()).allSatisfy(e -> assertThat(e.envelope().pageId()).isIn(NUMBER, null));
        return d.events();
    }
}
