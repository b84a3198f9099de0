package dev.messengerhandover.account;

import static dev.messengerhandover.testing.Messenger.entryOf;
import static dev.messengerhandover.testing.Messenger.newUser;
import static dev.messengerhandover.testing.Messenger.post;
import static dev.messengerhandover.testing.Messenger.textTo;
import static dev.messengerhandover.testing.Platform.ADMIN_KEY;
import static dev.messengerhandover.testing.Platform.APP_SECRET;
import static dev.messengerhandover.testing.Platform.INSTAGRAM_ID;
import static dev.messengerhandover.testing.Platform.PAGE_ID;
import static dev.messengerhandover.testing.Platform.PAGE_TOKEN;
import static dev.messengerhandover.testing.Platform.SECOND_PAGE_ID;
import static dev.messengerhandover.testing.Platform.SECOND_PAGE_TOKEN;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.graph.PageAccess;
import dev.messengerhandover.testing.AccountsProfile;
import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.Messenger;
import dev.messengerhandover.testing.Platform;
import dev.messengerhandover.testing.Table;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * One deployment, one Meta app, one webhook, serving two Pages and the Instagram account linked to the first
 * ({@code messenger.pages}): each account's events with its own token, path and settings, {@code appsecret_proof} on
 * every call (the stand-in checks it), Instagram's own Inbox, limits and event kinds, accounts not served here
 * acknowledged and skipped, and one account's revoked token costing that account alone.
 */
@QuarkusTest
@TestProfile(ManyAccountsTest.ManyAccounts.class)
public class ManyAccountsTest {

    public static class ManyAccounts extends AccountsProfile {
        public ManyAccounts() {
            super("accounts", "many");
        }
    }

    static final String INSTAGRAM_INBOX = "1217981644879628";

    GraphStandIn graph = Platform.graph();

    @AfterEach
    void tokensBack() {
        graph.token(SECOND_PAGE_ID, SECOND_PAGE_TOKEN);
    }

    /**
     * The documented move from one Page (its token) to {@code messenger.pages}: threads the single-Page setup indexed
     * as {@code me} are still found, alerted on time and listed in their Page's queue.
     */
    @Test
    void threadsOfTheOneTokenSetupBeforeTheMoveAreStillSweptAndListed() {
        Messenger.resetClock();
        var user = newUser();
        post(Messenger.delivery(List.of(entryOf(PAGE_ID, "messaging", textTo(PAGE_ID, user, "I want a human")))))
                .then().statusCode(200);
        long handedOver = Messenger.now();
        Table.indexAsMe(PAGE_ID, user, "waiting");
        sweep.run(Messenger.at(handedOver + java.time.Duration.ofMinutes(11).toMillis()));
        assertThat(Platform.sns().published()).filteredOn(p -> p.message().contains("User: " + user + "\n"))
                .hasSize(1);
        assertThat(Table.item(PAGE_ID, user).get("queue").s()).isEqualTo(PAGE_ID + "#waiting");
        assertThat(given().header("X-Api-Key", ADMIN_KEY).queryParam("state", "waiting").queryParam("limit", 100)
                .get("/threads/{page}", PAGE_ID).then().statusCode(200).extract().jsonPath()
                .getList("threads.userId", String.class)).contains(user);
    }

    @jakarta.inject.Inject
    dev.messengerhandover.thread.Sweep sweep;

    @Test
    void aDeliveryWithEntriesOfTwoPagesAnswersEachWithItsOwnTokenPathAndProof() {
        var shopUser = newUser();
        var cafeUser = newUser();
        post(Messenger.delivery(List.of(entryOf(PAGE_ID, "messaging", textTo(PAGE_ID, shopUser, "opening hours?")),
                entryOf(SECOND_PAGE_ID, "messaging", textTo(SECOND_PAGE_ID, cafeUser, "opening hours?")))))
                .then().statusCode(200);

        var shop = graph.calls(shopUser, "messages");
        var cafe = graph.calls(cafeUser, "messages");
        assertThat(shop).singleElement().satisfies(c -> {
            assertThat(c.ok()).isTrue();
            assertThat(c.authorization()).isEqualTo("Bearer " + PAGE_TOKEN);
            assertThat(c.appsecretProof()).isEqualTo(PageAccess.proof(PAGE_TOKEN, APP_SECRET));
        });
        assertThat(cafe).singleElement().satisfies(c -> {
            assertThat(c.ok()).isTrue();
            assertThat(c.authorization()).isEqualTo("Bearer " + SECOND_PAGE_TOKEN);
            assertThat(c.appsecretProof()).isEqualTo(PageAccess.proof(SECOND_PAGE_TOKEN, APP_SECRET));
        });
        assertThat(graph.calls()).filteredOn(c -> shopUser.equals(c.psid()) || cafeUser.equals(c.psid()))
                .allSatisfy(c -> assertThat(c.node()).isIn(PAGE_ID, SECOND_PAGE_ID));
        assertThat(thread(PAGE_ID, shopUser).getString("owner.role")).isEqualTo("bot");
        assertThat(thread(SECOND_PAGE_ID, cafeUser).getString("owner.role")).isEqualTo("bot");
    }

    @Test
    void instagramDirectMessagesGoThroughTheLinkedPageToTheInstagramInbox() {
        var igsid = "8" + newUser().substring(1);
        instagram(textTo(INSTAGRAM_ID, igsid, "hi"));
        instagram(textTo(INSTAGRAM_ID, igsid, "I want to talk to a person"));

        var calls = graph.calls(igsid);
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.node()).isEqualTo(PAGE_ID);
            assertThat(c.authorization()).isEqualTo("Bearer " + PAGE_TOKEN);
        });
        assertThat(graph.passes(igsid)).singleElement().satisfies(c -> assertThat(c.passedTo())
                .isEqualTo(INSTAGRAM_INBOX));
        assertThat(graph.sentTexts(igsid)).allSatisfy(t -> assertThat(t).hasSizeLessThanOrEqualTo(1000));
        var thread = thread(INSTAGRAM_ID, igsid);
        assertThat(thread.getString("pageId")).isEqualTo(INSTAGRAM_ID);
        assertThat(thread.getString("owner.appId")).isEqualTo(INSTAGRAM_INBOX);
        assertThat(graph.ownerOf(igsid)).isEqualTo(INSTAGRAM_INBOX);
    }

    @Test
    void instagramOnlyEventsParseAndNeverMakeTheBotAnswer() {
        var igsid = "8" + newUser().substring(1);
        instagram(textTo(INSTAGRAM_ID, igsid, "hello"));
        int before = graph.calls(igsid).size();
        var deleted = Messenger.event(igsid, INSTAGRAM_ID);
        deleted.putObject("message").put("mid", "m_" + UUID.randomUUID()).put("is_deleted", true);
        var unsupported = Messenger.event(igsid, INSTAGRAM_ID);
        unsupported.putObject("message").put("mid", "m_" + UUID.randomUUID()).put("is_unsupported", true);
        var storyReply = textTo(INSTAGRAM_ID, igsid, "love this one!");
        ((ObjectNode) storyReply.get("message")).putObject("reply_to").putObject("story").put("id", "1")
                .put("url", "https://lookaside.example/story");
        var mention = Messenger.event(igsid, INSTAGRAM_ID);
        mention.putObject("message").put("mid", "m_" + UUID.randomUUID()).putArray("attachments").addObject()
                .put("type", "story_mention").putObject("payload").put("url", "https://lookaside.example/m");
        var reaction = Messenger.event(igsid, INSTAGRAM_ID);
        reaction.putObject("reaction").put("mid", "m_1").put("action", "react").put("reaction", "love")
                .put("emoji", "❤️");
        instagram(deleted, unsupported, storyReply, mention, reaction);

        assertThat(graph.calls(igsid)).hasSize(before);
        assertThat(thread(INSTAGRAM_ID, igsid).getList("transcript.text", String.class))
                .contains("[story reply] love this one!");
    }

    @Test
    void anEntryForAnAccountNotServedHereIsAcknowledgedAndTheOthersAreHandled() {
        var stranger = newUser();
        var shopUser = newUser();
        post(Messenger.delivery(List.of(entryOf("999999999999999", "messaging",
                textTo("999999999999999", stranger, "hi")), entryOf(PAGE_ID, "messaging", textTo(PAGE_ID, shopUser,
                        "hi"))))).then().statusCode(200);
        assertThat(graph.calls(stranger)).isEmpty();
        assertThat(graph.calls(shopUser, "messages")).hasSize(1);
        given().header("X-Api-Key", ADMIN_KEY).get("/threads/{p}/{u}", "999999999999999", stranger)
                .then().statusCode(404);
    }

    @Test
    void oneAccountsRevokedTokenCostsThatAccountAloneAndIsReportedWithoutTheToken() {
        graph.token(SECOND_PAGE_ID, "rotated-elsewhere"); // the Café's token no longer works
        var shopUser = newUser();
        var cafeUser = newUser();
        post(Messenger.delivery(List.of(entryOf(SECOND_PAGE_ID, "messaging", textTo(SECOND_PAGE_ID, cafeUser,
                "hours?")), entryOf(PAGE_ID, "messaging", textTo(PAGE_ID, shopUser, "hours?"))))).then().statusCode(200);

        assertThat(graph.calls(cafeUser, "messages")).singleElement().satisfies(c -> assertThat(c.status())
                .isEqualTo(400));
        assertThat(graph.sentTexts(shopUser)).hasSize(1);
        var accounts = given().header("X-Api-Key", ADMIN_KEY).get("/accounts").then().statusCode(200).extract();
        assertThat(accounts.asString()).doesNotContain(PAGE_TOKEN, SECOND_PAGE_TOKEN, APP_SECRET);
        var json = accounts.jsonPath();
        assertThat(json.getList("id", String.class)).containsExactly(PAGE_ID, SECOND_PAGE_ID, INSTAGRAM_ID,
                Platform.WHATSAPP_NUMBER_ID);
        assertThat(json.getList("platform", String.class)).containsExactly("messenger", "messenger", "instagram",
                "whatsapp");
        assertThat(json.getString("find { it.id == '" + SECOND_PAGE_ID + "' }.lastGraphError.summary"))
                .contains("code 190");
    }

    @Test
    void eachPageKeepsItsOwnSettings() {
        for (var page : List.of(PAGE_ID, SECOND_PAGE_ID)) {
            var user = newUser();
            Messenger.post(Messenger.delivery(List.of(entryOf(page, "messaging", textTo(page, user,
                    "I want a human"))))).then().statusCode(200);
            graph.setOwner(user, Platform.APP_ID);
            var done = Messenger.passThreadControl(user, Platform.APP_ID, GraphStandIn.INBOX_APP_ID, null);
            ((ObjectNode) done.get("recipient")).put("id", page);
            post(Messenger.delivery(List.of(entryOf(page, "messaging", done)))).then().statusCode(200);
            var welcomed = graph.sentTexts(user).stream().anyMatch(t -> t.startsWith("Thanks for your patience"));
            assertThat(welcomed).as("welcome back on %s", page).isEqualTo(page.equals(PAGE_ID));
        }
    }

    private static void instagram(ObjectNode... events) {
        post(Messenger.delivery("instagram", List.of(entryOf(INSTAGRAM_ID, "messaging", events))))
                .then().statusCode(200);
    }

    private static JsonPath thread(String account, String user) {
        return given().header("X-Api-Key", ADMIN_KEY).get("/threads/{p}/{u}", account, user).then()
                .statusCode(200).extract().jsonPath();
    }
}
