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
        for (var bad : new String[] { "", "{}", "[1]", "{\"object\":\"page\",\"entry\":[1]}",
                "{\"object\":\"page\",\"entry\":[{\"messaging\":{}}]}", "{\"a\":1,\"a\":2}",
                // Ids key the thread in DynamoDB: none for the Page, or far longer than Messenger's, is no delivery.
                "{\"object\":\"page\",\"entry\":[{\"messaging\":[]}]}",
                "{\"object\":\"page\",\"entry\":[{\"id\":null,\"messaging\":[]}]}",
                "{\"object\":\"page\",\"entry\":[{\"id\":\"" + "1".repeat(129) + "\",\"messaging\":[]}]}",
                "{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"messaging\":[{\"sender\":{\"id\":\""
                        + "9".repeat(3000) + "\"},\"recipient\":{\"id\":\"1\"},\"message\":{\"text\":\"hi\"}}]}]}",
                "{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"messaging\":[{\"sender\":{\"id\":\"2\"},"
                        + "\"recipient\":{\"id\":\"1\"},\"message\":{\"mid\":\"" + "m".repeat(1025) + "\"}}]}]}" }) {
            assertThatThrownBy(() -> DeliveryParser.parse(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad).isInstanceOf(MalformedDeliveryException.class);
        }
    }
}
