package dev.messengerhandover.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.messengerhandover.handover.event.Channel;
import dev.messengerhandover.handover.event.WebhookEvent;

class DeliveryParserTest {

    @Test
    void readsEveryEntryAndBothChannelsWithIdsAsStringsOrNumbers() {
        var body = """
                {"object":"page","entry":[
                  {"id":"111","time":1,"messaging":[
                    {"sender":{"id":"u1"},"recipient":{"id":"111"},"timestamp":10,
                     "message":{"mid":"m1","text":"hi","quick_reply":{"payload":"P"},
                       "nlp":{"intents":[{"name":"human_agent","confidence":0.9}],
                              "traits":{"wit$sentiment":[{"value":"negative","confidence":0.7}]}}}},
                    {"sender":{"id":"u1"},"recipient":{"id":"111"},"timestamp":11,
                     "pass_thread_control":{"new_owner_app_id":1000000000000001,"metadata":"x"}}]},
                  {"id":111,"time":2,"standby":[
                    {"sender":{"id":222},"recipient":{"id":"111"},"timestamp":12,"postback":{"title":"T"}},
                    {"sender":{"id":"111"},"recipient":{"id":"u2"},"timestamp":13,
                     "message":{"is_echo":true,"app_id":263902037430900,"mid":"m2","text":"agent"}}]}]}
                """;
        var d = DeliveryParser.parse(body.getBytes(StandardCharsets.UTF_8));
        assertThat(d.isMessaging()).isTrue();
        assertThat(d.events()).hasSize(4);
        var m = (WebhookEvent.Message) d.events().get(0);
        assertThat(m.quickReplyPayload()).isEqualTo("P");
        assertThat(m.nlp()).extracting(WebhookEvent.NlpSignal::name).contains("human_agent", "wit$sentiment");
        var pass = (WebhookEvent.PassThreadControl) d.events().get(1);
        assertThat(pass.newOwnerAppId()).isEqualTo("1000000000000001");
        assertThat(pass.previousOwnerAppId()).isNull();
        var postback = (WebhookEvent.Postback) d.events().get(2);
        assertThat(postback.envelope().channel()).isEqualTo(Channel.STANDBY);
        assertThat(postback.envelope().senderId()).isEqualTo("222");
        assertThat(postback.payload()).isNull();
        var echo = (WebhookEvent.Message) d.events().get(3);
        assertThat(echo.isEcho()).isTrue();
        assertThat(echo.appId()).isEqualTo("263902037430900");
        assertThat(echo.userId()).isEqualTo("u2");
    }

    @Test
    void appRolesAndUnknownKindsDoNotFail() {
        var body = """
                {"object":"page","entry":[{"id":"1","time":1,"messaging":[
                  {"recipient":{"id":"1"},"timestamp":1,"app_roles":{"123":["primary_receiver"]}},
                  {"sender":{"id":"u"},"recipient":{"id":"1"},"timestamp":2,"reaction":{"emoji":"x"}},
                  {"sender":{"id":"u"},"recipient":{"id":"1"},"timestamp":3,"game_play":{"score":1}}]}]}
                """;
        var d = DeliveryParser.parse(body.getBytes(StandardCharsets.UTF_8));
        assertThat(d.events().get(0)).isInstanceOf(WebhookEvent.AppRoles.class);
        assertThat(d.events().get(1)).isInstanceOf(WebhookEvent.Reaction.class);
        assertThat(d.events().get(2)).isInstanceOf(WebhookEvent.Unknown.class);
    }

    @Test
    void refusesWhatIsNotADelivery() {
        for (var bad : new String[] { "", "{}", "[1]", "{\"a\":1,\"a\":2}", "{\"object\":\"page\"}",
                "{\"object\":\"page\",\"entry\":{}}", "{\"entry\":[]}", "{\"object\":\"page\",\"entry\":[]} x" }) {
            assertThatThrownBy(() -> DeliveryParser.parse(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad).isInstanceOf(MalformedDeliveryException.class);
        }
    }

    /**
     * One odd entry or event is not a reason to refuse a delivery (Meta would retry it, then drop every event in it):
     * it becomes an unknown event saying what was odd, and the others are read.
     */
    @Test
    void anOddEntryOrEventIsSetAsideAndTheRestIsRead() {
        var good = "{\"sender\":{\"id\":\"2\"},\"recipient\":{\"id\":\"1\"},\"timestamp\":5,"
                + "\"message\":{\"mid\":\"m_ok\",\"text\":\"hi\"}}";
        for (var odd : new String[] { "1", "{\"messaging\":[]}", "{\"id\":null,\"messaging\":[]}",
                "{\"id\":\"" + "1".repeat(129) + "\",\"messaging\":[]}",
                "{\"id\":\"1\",\"messaging\":{}}", "{\"id\":\"1\",\"messaging\":[7]}",
                "{\"id\":\"1\",\"messaging\":[{\"sender\":{\"id\":\"" + "9".repeat(3000) + "\"},"
                        + "\"recipient\":{\"id\":\"1\"},\"message\":{\"text\":\"hi\"}}]}",
                "{\"id\":\"1\",\"messaging\":[{\"sender\":{\"id\":\"2\"},\"recipient\":{\"id\":\"1\"},"
                        + "\"message\":{\"mid\":\"" + "m".repeat(1025) + "\"}}]}",
                "{\"id\":\"1\",\"messaging\":[{\"sender\":{\"id\":\"2\"},\"recipient\":{\"id\":\"1\"},"
                        + "\"message\":{\"text\":{\"nested\":true}}}]}" }) {
            var body = "{\"object\":\"page\",\"entry\":[" + odd + ",{\"id\":\"1\",\"messaging\":[" + good + "]}]}";
            var d = DeliveryParser.parse(body.getBytes(StandardCharsets.UTF_8));
            assertThat(d.events()).as(odd).hasSize(2);
            assertThat(d.events().get(0)).as(odd).isInstanceOfSatisfying(WebhookEvent.Unknown.class,
                    u -> assertThat(u.fields()).startsWith("malformed: "));
            assertThat(d.events().get(1)).isInstanceOfSatisfying(WebhookEvent.Message.class,
                    m -> assertThat(m.mid()).isEqualTo("m_ok"));
        }
    }

    /** Shapes Meta documents in which an event has no {@code sender.id}, and Instagram's self messaging. */
    @Test
    void eventsWithoutASenderAndTheAccountsOwnAreReadAsWhatTheyAre() {
        var body = """
                {"object":"page","entry":[{"id":"111","time":1,"messaging":[
                  {"recipient":{"id":"111"},"timestamp":1,
                   "policy_enforcement":{"action":"block","reason":"The bot violated our Platform Policies"}},
                  {"recipient":{"id":"111"},"timestamp":2,"optin":{"type":"one_time_notif_req","ref":"r",
                   "user_ref":"UR1"}},
                  {"sender":{"user_ref":"guest-1"},"recipient":{"id":"111"},"timestamp":3,
                   "message":{"mid":"m_guest","text":"hello from the chat plugin"}}]}]}
                """;
        var d = DeliveryParser.parse(body.getBytes(StandardCharsets.UTF_8));
        assertThat(d.events().get(0)).isInstanceOfSatisfying(WebhookEvent.PolicyEnforcement.class,
                p -> assertThat(p.action()).isEqualTo("block"));
        assertThat(d.events()).allSatisfy(e -> assertThat(e.userId()).isNull());

        var instagram = """
                {"object":"instagram","entry":[{"id":"178","time":1,"messaging":[
                  {"sender":{"id":"178"},"recipient":{"id":"178"},"timestamp":1,
                   "message":{"mid":"m_self","text":"testing my bot","is_self":true}},
                  {"sender":{"id":"178"},"recipient":{"id":"555"},"timestamp":2,
                   "postback":{"mid":"m_pb","title":"Get Started","payload":"GET_STARTED"}},
                  {"sender":{"id":"178"},"recipient":{"id":"555"},"timestamp":3,
                   "message":{"mid":"m_echo","text":"agent here","is_echo":true}}]}]}
                """;
        var ig = DeliveryParser.parse(instagram.getBytes(StandardCharsets.UTF_8));
        assertThat(ig.events().get(0)).isInstanceOf(WebhookEvent.SelfMessage.class);
        assertThat(ig.events().get(1)).isInstanceOf(WebhookEvent.SelfMessage.class);
        assertThat(ig.events().subList(0, 2)).allSatisfy(e -> assertThat(e.userId()).isNull());
        // An Instagram echo: is_echo alone, no app_id; the user is the recipient.
        assertThat(ig.events().get(2)).isInstanceOfSatisfying(WebhookEvent.Message.class, m -> {
            assertThat(m.isEcho()).isTrue();
            assertThat(m.appId()).isNull();
            assertThat(m.userId()).isEqualTo("555");
        });
    }

    /** Two events without a message id in the same millisecond are two events, unless they say the same. */
    @Test
    void eventsWithoutAMessageIdAreKeyedByWhatTheySay() {
        var body = """
                {"object":"page","entry":[{"id":"1","time":1,"messaging":[
                  {"sender":{"id":"u"},"recipient":{"id":"1"},"timestamp":7,
                   "request_thread_control":{"requested_owner_app_id":"263902037430900","metadata":"a"}},
                  {"sender":{"id":"u"},"recipient":{"id":"1"},"timestamp":7,
                   "request_thread_control":{"requested_owner_app_id":"300000000000003","metadata":"a"}},
                  {"sender":{"id":"u"},"recipient":{"id":"1"},"timestamp":7,
                   "request_thread_control":{"requested_owner_app_id":"263902037430900","metadata":"a"}},
                  {"sender":{"id":"u"},"recipient":{"id":"1"},"timestamp":7,
                   "pass_thread_control":{"new_owner_app_id":"1","metadata":"x"}},
                  {"sender":{"id":"u"},"recipient":{"id":"1"},"timestamp":7,
                   "pass_thread_control":{"new_owner_app_id":"2","metadata":"x"}}]}]}
                """;
        var keys = DeliveryParser.parse(body.getBytes(StandardCharsets.UTF_8)).events().stream()
                .map(WebhookEvent::key).toList();
        assertThat(keys.get(0)).isNotEqualTo(keys.get(1)).isEqualTo(keys.get(2)).startsWith("RequestThreadControl:");
        assertThat(keys.get(3)).isNotEqualTo(keys.get(4)).startsWith("PassThreadControl:MESSAGING:u:1:7:");
    }
}
