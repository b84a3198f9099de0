package dev.messengerhandover.dev.platform;

import static dev.messengerhandover.dev.platform.MessengerPlatform.MESSAGING;
import static dev.messengerhandover.dev.platform.MessengerPlatform.STANDBY;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.dev.platform.MessengerPlatform.Answer;
import dev.messengerhandover.dev.platform.MessengerPlatform.Done;
import dev.messengerhandover.dev.platform.MessengerPlatform.Event;
import dev.messengerhandover.dev.platform.MessengerPlatform.Mode;

/**
 * The platform model that the emulator and the tests' Graph stand-in share, against Conversation Routing as Meta
 * documents it, in both of a Page's modes: who hears what on which channel, what Graph refuses, how the Inbox takes,
 * passes back and releases, and the 24 h limits.
 */
class MessengerPlatformTest {

    static final String PAGE = "100000000000001";
    static final String TOKEN = "page-token";
    static final String BOT = "1000000000000001";
    static final String INBOX = MessengerPlatform.PAGE_INBOX_APP_ID;
    static final String OTHER = "300000000000003";
    static final Duration DAY = Duration.ofHours(24);

    final AtomicLong clock = new AtomicLong(1_800_000_000_000L);

    MessengerPlatform platform(Mode mode) {
        return new MessengerPlatform(PAGE, TOKEN, BOT, INBOX, Set.of(INBOX, OTHER), mode, clock::get, false);
    }

    @Test
    void withRoutingTheDefaultAppHearsAnIdleThreadOnMessagingTheInboxOnStandby() {
        var p = platform(Mode.ROUTING);
        var user = p.addUser("Alex").psid();
        assertThat(p.ownerOf(user)).as("a new thread is idle").isNull();
        var heard = p.userSends(user, "hi", null);
        assertThat(p.ownerOf(user)).as("the default app answers it").isEqualTo(BOT);
        assertThat(channelOf(heard, BOT)).isEqualTo(MESSAGING);
        assertThat(channelOf(heard, INBOX)).isEqualTo(STANDBY);
        assertThat(to(heard, BOT).body().path("message").path("text").asText()).isEqualTo("hi");
        var delivery = to(heard, BOT).delivery();
        assertThat(delivery.path("object").asText()).isEqualTo("page");
        assertThat(delivery.path("entry").get(0).path("id").asText()).isEqualTo(PAGE);
    }

    @Test
    void inDefaultBehaviourEveryAppHearsAnIdleThreadOnMessaging() {
        var p = platform(Mode.DEFAULT_BEHAVIOUR);
        var user = p.addUser("Alex").psid();
        var heard = p.userSends(user, "hi", null);
        assertThat(p.ownerOf(user)).isNull();
        assertThat(channelOf(heard, BOT)).isEqualTo(MESSAGING);
        assertThat(channelOf(heard, INBOX)).isEqualTo(MESSAGING);
    }

    @Test
    void aMessageCanCarryThePassWhereRoutingIsConfiguredOnly() {
        var routed = platform(Mode.ROUTING);
        var user = routed.addUser("Alex").psid();
        routed.userSends(user, "agent please", null);
        var handoff = graph(routed, "POST", "messages", sendAndPass(user, "handing you over", INBOX));
        assertThat(handoff.status()).isEqualTo(200);
        assertThat(routed.ownerOf(user)).isEqualTo(INBOX);
        assertThat(routed.thread(user).folder()).isEqualTo(MessengerPlatform.Folder.MAIN);
        assertThat(handoff.events()).anySatisfy(e -> {
            assertThat(e.appId()).isEqualTo(INBOX);
            assertThat(e.body().path("pass_thread_control").path("new_owner_app_id").asText()).isEqualTo(INBOX);
        });
        assertThat(to(handoff, BOT).body().path("message").path("is_echo").asBoolean()).as("the echo").isTrue();

        var plain = platform(Mode.DEFAULT_BEHAVIOUR);
        var other = plain.addUser("Sam").psid();
        plain.userSends(other, "agent please", null);
        assertError(graph(plain, "POST", "messages", sendAndPass(other, "handing you over", INBOX)), 100, 0);
        assertThat(plain.ownerOf(other)).isNull();
    }

    @Test
    void graphRefusesTheBotWhileAnotherAppControlsTheThread() {
        var p = platform(Mode.ROUTING);
        var user = handedOver(p);
        assertError(graph(p, "POST", "messages", send(user, "still here")), 10, 2018300);
        assertError(graph(p, "POST", "pass_thread_control", pass(user, INBOX, null)), 10, 2018300);
        assertError(graph(p, "POST", "release_thread_control", recipient(user)), 100, 2018151);
        assertThat(p.ownerOf(user)).isEqualTo(INBOX);
    }

    @Test
    void outsideTheMessagingWindowGraphRefusesWith2018278() {
        var p = platform(Mode.ROUTING);
        var user = p.addUser("Alex").psid();
        p.userSends(user, "hi", null);
        clock.addAndGet(DAY.toMillis());
        assertError(graph(p, "POST", "messages", send(user, "hello again")), 10, 2018278);
        var tagged = send(user, "typed by a person");
        tagged.put("messaging_type", "MESSAGE_TAG").put("tag", "HUMAN_AGENT");
        assertError(graph(p, "POST", "messages", tagged), 10, 2018065);
    }

    @Test
    void controlExpiresAfter24HoursOfInactivityAndTheThreadIsIdle() {
        var p = platform(Mode.ROUTING);
        var user = handedOver(p);
        long expires = p.thread(user).expiresAt();
        assertThat(expires).isEqualTo(clock.get() + DAY.toMillis());
        var owner = graph(p, "GET", "thread_owner", null, Map.of("recipient", user));
        assertThat(owner.body().path("data").get(0).path("thread_owner").path("app_id").asText()).isEqualTo(INBOX);
        assertThat(owner.body().path("data").get(0).path("thread_owner").path("expiration").asLong())
                .isEqualTo(expires / 1000);
        clock.addAndGet(DAY.toMillis());
        assertThat(p.ownerOf(user)).isNull();
        assertThat(graph(p, "GET", "thread_owner", null, Map.of("recipient", user)).body().path("data")).isEmpty();
    }

    @Test
    void inDefaultBehaviourThreadOwnerDoesNotNameAnotherAppAndTakeIsBlocked() {
        var p = platform(Mode.DEFAULT_BEHAVIOUR);
        var user = p.addUser("Alex").psid();
        p.userSends(user, "hi", null);
        assertThat(graph(p, "POST", "pass_thread_control", pass(user, INBOX, "reason=user_asked")).status())
                .as("a pass works on an idle thread").isEqualTo(200);
        var owner = graph(p, "GET", "thread_owner", null, Map.of("recipient", user)).body().path("data").get(0);
        assertThat(owner.path("thread_owner").has("app_id")).isFalse();
        assertThat(owner.path("thread_owner").path("expiration").asLong()).isPositive();
        assertError(graph(p, "POST", "take_thread_control", recipient(user)), 27, 2018464);
    }

    @Test
    void theInboxTakesControlByAnsweringWhereRoutingIsConfigured() {
        var p = platform(Mode.ROUTING);
        var user = p.addUser("Alex").psid();
        p.userSends(user, "hi", null);
        var reply = p.agentReplies(user, "Hi, Jo here");
        assertThat(p.ownerOf(user)).isEqualTo(INBOX);
        assertThat(reply.events()).anySatisfy(e -> {
            assertThat(e.appId()).isEqualTo(BOT);
            assertThat(e.body().path("take_thread_control").path("new_owner_app_id").asText()).isEqualTo(INBOX);
        });
        var echo = reply.events().stream().filter(e -> e.appId().equals(BOT) && e.kind().equals("echo")).findFirst()
                .orElseThrow();
        assertThat(echo.channel()).isEqualTo(STANDBY);
        assertThat(echo.body().path("message").path("app_id").asText()).isEqualTo(INBOX);
    }

    @Test
    void movingToTheMainFolderTakesWithRoutingAndAsksInDefaultBehaviour() {
        var routed = platform(Mode.ROUTING);
        var a = routed.addUser("Alex").psid();
        routed.userSends(a, "hi", null);
        var moved = routed.moveToMain(a);
        assertThat(routed.ownerOf(a)).isEqualTo(INBOX);
        assertThat(to(moved, BOT).body().has("take_thread_control")).isTrue();

        var plain = platform(Mode.DEFAULT_BEHAVIOUR);
        var b = plain.addUser("Sam").psid();
        plain.userSends(b, "hi", null);
        plain.setOwner(b, BOT);
        var asked = plain.moveToMain(b);
        assertThat(plain.ownerOf(b)).as("the owner decides").isEqualTo(BOT);
        assertThat(to(asked, BOT).body().path("request_thread_control").path("requested_owner_app_id").asText())
                .isEqualTo(INBOX);
    }

    @Test
    void doneEitherPassesBackWithAWebhookOrReleasesWithout() {
        var p = platform(Mode.ROUTING);
        var passed = handedOver(p);
        var back = p.agentDone(passed, Done.PASS_BACK);
        assertThat(p.ownerOf(passed)).isEqualTo(BOT);
        assertThat(to(back, BOT).body().path("pass_thread_control").path("previous_owner_app_id").asText())
                .isEqualTo(INBOX);
        assertThat(channelOf(back, BOT)).isEqualTo(MESSAGING);

        var released = handedOver(p);
        var release = p.agentDone(released, Done.RELEASE);
        assertThat(p.ownerOf(released)).isNull();
        assertThat(release.events()).as("no webhook says so").isEmpty();
        assertThat(p.thread(released).folder()).isEqualTo(MessengerPlatform.Folder.DONE);
        assertThat(channelOf(p.userSends(released, "one more thing", null), BOT)).isEqualTo(MESSAGING);
    }

    @Test
    void theFeatureStatusSaysWhetherRoutingIsConfigured() {
        for (var mode : Mode.values()) {
            var status = graph(platform(mode), "GET", null, null, Map.of("fields", "messaging_feature_status"));
            assertThat(status.body().path("messaging_feature_status").path("hop_v2").asBoolean())
                    .isEqualTo(mode == Mode.ROUTING);
            assertThat(status.body().path("id").asText()).isEqualTo(PAGE);
        }
    }

    @Test
    void graphChecksTheTokenTheUserAndTheParametersAsGraphDoes() {
        var p = platform(Mode.ROUTING);
        var user = p.addUser("Alex").psid();
        p.userSends(user, "hi", null);
        assertError(p.graph("POST", "me", "messages", "wrong", send(user, "x"), Map.of()), 190, 0);
        assertError(p.graph("POST", "me", "messages", null, send(user, "x"), Map.of()), 190, 0);
        assertError(graph(p, "POST", "messages", send("123", "x")), 100, 2018001);
        assertError(graph(p, "POST", "messages", send(user, "x".repeat(2001))), 100, 0);
        assertError(graph(p, "POST", "pass_thread_control", pass(user, "999", null)), 100, 0);
        assertError(graph(p, "POST", "pass_thread_control", pass(user, INBOX, "m".repeat(1001))), 100, 0);
        assertError(graph(p, "POST", "request_thread_control", recipient(user)), 10, 0);
        assertError(graph(p, "POST", "unknown_edge", recipient(user)), 100, 33);
        assertError(p.graph("POST", "999", "messages", TOKEN, send(user, "x"), Map.of()), 100, 33);
        assertThat(p.graph("POST", PAGE, "messages", TOKEN, send(user, "by Page id"), Map.of()).status())
                .isEqualTo(200);
    }

    /**
     * "Typing…" ({@code sender_action}) by the app that may act, in the window: Graph answers the recipient, the user
     * keeps nothing and no app hears of it. Not with a message, not an unknown action, not by an app another one
     * keeps out, not outside the window.
     */
    @Test
    void aSenderActionShowsNothingAndTellsNoOne() {
        var p = platform(Mode.ROUTING);
        var user = p.addUser("Alex").psid();
        p.userSends(user, "hi", null);
        int lines = p.thread(user).lines().size();
        var typing = graph(p, "POST", "messages", recipient(user).put("sender_action", "typing_on"));
        assertThat(typing.status()).isEqualTo(200);
        assertThat(typing.body().path("recipient_id").asText()).isEqualTo(user);
        assertThat(typing.body().has("message_id")).isFalse();
        assertThat(typing.events()).isEmpty();
        assertThat(p.thread(user).lines()).hasSize(lines);

        assertError(graph(p, "POST", "messages", send(user, "hi").put("sender_action", "typing_on")), 100, 0);
        assertError(graph(p, "POST", "messages", recipient(user).put("sender_action", "dance")), 100, 0);
        var held = handedOver(p);
        assertError(graph(p, "POST", "messages", recipient(held).put("sender_action", "typing_on")), 10, 2018300);
        clock.addAndGet(DAY.toMillis() + 1);
        assertError(graph(p, "POST", "messages", recipient(user).put("sender_action", "typing_on")), 10, 2018278);
    }

    private String handedOver(MessengerPlatform p) {
        var user = p.addUser("User").psid();
        p.userSends(user, "agent please", null);
        assertThat(graph(p, "POST", "messages", sendAndPass(user, "handing you over", INBOX)).status())
                .isEqualTo(200);
        return user;
    }

    private static Answer graph(MessengerPlatform p, String method, String edge, JsonNode body) {
        return p.graph(method, "me", edge, TOKEN, body, Map.of());
    }

    private static Answer graph(MessengerPlatform p, String method, String edge, JsonNode body,
            Map<String, String> query) {
        return p.graph(method, "me", edge, TOKEN, body, query);
    }

    private static Event to(Answer answer, String app) {
        return answer.events().stream().filter(e -> e.appId().equals(app)).findFirst().orElseThrow();
    }

    private static String channelOf(Answer answer, String app) {
        return to(answer, app).channel();
    }

    static ObjectNode recipient(String user) {
        var body = JsonNodeFactory.instance.objectNode();
        body.putObject("recipient").put("id", user);
        return body;
    }

    static ObjectNode send(String user, String text) {
        var body = recipient(user).put("messaging_type", "RESPONSE");
        body.putObject("message").put("text", text);
        return body;
    }

    static ObjectNode sendAndPass(String user, String text, String target) {
        var body = send(user, text);
        body.putObject("thread_control").put("control_type", "pass").put("app_id", target);
        return body;
    }

    static ObjectNode pass(String user, String target, String metadata) {
        var body = recipient(user).put("target_app_id", target);
        if (metadata != null) {
            body.put("metadata", metadata);
        }
        return body;
    }

    static void assertError(Answer answer, int code, int subcode) {
        assertThat(answer.status()).isEqualTo(400);
        var error = answer.body().path("error");
        assertThat(error.path("code").asInt()).as(error.toString()).isEqualTo(code);
        assertThat(error.path("error_subcode").asInt()).as(error.toString()).isEqualTo(subcode);
        assertThat(error.path("type").asText()).isEqualTo("OAuthException");
        assertThat(error.path("fbtrace_id").asText()).isNotBlank();
    }
}
