package dev.messengerhandover.dev.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.account.Accounts;
import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.dev.platform.MessengerPlatform;
import dev.messengerhandover.dev.platform.MessengerPlatform.Done;
import dev.messengerhandover.dev.platform.MessengerPlatform.Mode;
import dev.messengerhandover.dev.platform.SnsTopic;
import dev.messengerhandover.thread.RoutingModes;
import dev.messengerhandover.thread.Sweep;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The emulated platform's own HTTP server: the page at {@code /emulator}, its actions under {@code /emulator/api}, and
 * Graph under {@code /emulator/graph/{version}/{me or page id}/...}.
 *
 * <p>Not a JAX-RS resource of the function, on purpose: in dev mode the function runs behind Quarkus's Lambda mock
 * event server, which hands it one request at a time, as Lambda does. A Graph call made while handling a delivery
 * could never be answered by the same function. The platform is a separate party, so it gets its own port.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
public class EmulatorServer {

    private static final Logger LOG = Logger.getLogger(EmulatorServer.class);

    private final Emulator emulator;
    private final ObjectMapper json;
    private final int port;
    private final Sweep sweep;
    private final SnsTopic alerts;
    private final String adminKey;
    private final Accounts accounts;
    private final RoutingModes routings;
    private HttpServer server;
    private Vertx vertx;

    public EmulatorServer(Emulator emulator, ObjectMapper json, EmulatorConfig config, Sweep sweep,
            HandoverConfig handover, Accounts accounts, RoutingModes routings) {
        this.emulator = emulator;
        this.accounts = accounts;
        this.routings = routings;
        this.json = json;
        this.port = config.port();
        this.sweep = sweep;
        this.alerts = new SnsTopic(handover.alerts().topicArn().orElse("arn:aws:sns:us-east-1:000000000000:alerts"));
        this.adminKey = handover.adminApiKey().orElse("");
    }

    void start(@Observes StartupEvent start, Vertx vertx) {
        this.vertx = vertx;
        var router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(1 << 20));
        router.get("/").handler(ctx -> ctx.redirect("/emulator"));
        router.get("/emulator").handler(ctx -> asset(ctx, "index.html", "text/html"));
        router.get("/emulator/emulator.js").handler(ctx -> asset(ctx, "emulator.js", "text/javascript"));
        router.get("/emulator/emulator.css").handler(ctx -> asset(ctx, "emulator.css", "text/css"));
        router.get("/emulator/api/state").handler(ctx -> send(ctx, 200, emulator.page().snapshot()));
        router.get("/emulator/api/changes").handler(this::changes);

        router.post("/emulator/api/users").handler(ctx -> {
            var account = body(ctx).path("account").asText(emulator.page().pageId());
            String psid;
            try {
                psid = emulator.page().addUser(body(ctx).path("name").asText(""), account);
            } catch (IllegalArgumentException unknown) {
                send(ctx, 400, json.createObjectNode().put("error", unknown.getMessage()));
                return;
            }
            emulator.changed();
            send(ctx, 200, json.createObjectNode().put("psid", psid));
        });
        router.post("/emulator/api/users/:psid/messages").handler(ctx -> act(ctx,
                () -> emulator.page().userSends(ctx.pathParam("psid"), text(ctx, "text"), text(ctx, "payload"))));
        router.post("/emulator/api/users/:psid/postbacks").handler(ctx -> act(ctx,
                () -> emulator.page().userTaps(ctx.pathParam("psid"), text(ctx, "title"), text(ctx, "payload"))));
        // One text from each account's latest user at once: Meta batches them, an entry per account in a delivery.
        router.post("/emulator/api/every-account").handler(ctx -> act(ctx,
                () -> emulator.page().everyAccountSays(text(ctx, "text"))));
        router.post("/emulator/api/inbox/:psid/open").handler(ctx -> {
            emulator.page().agentOpens(ctx.pathParam("psid"));
            emulator.changed();
            ctx.response().setStatusCode(204).end();
        });
        router.post("/emulator/api/inbox/:psid/replies").handler(ctx -> act(ctx,
                () -> emulator.page().agentReplies(ctx.pathParam("psid"), text(ctx, "text"))));
        // Done as a pass back (a webhook to the bot) or as a release (the thread is idle, no webhook).
        router.post("/emulator/api/inbox/:psid/done").handler(ctx -> act(ctx,
                () -> emulator.page().agentDone(ctx.pathParam("psid"),
                        "release".equals(text(ctx, "how")) ? Done.RELEASE : Done.PASS_BACK)));
        router.post("/emulator/api/inbox/:psid/move-to-inbox").handler(ctx -> act(ctx,
                () -> emulator.page().moveToInbox(ctx.pathParam("psid"))));

        router.post("/emulator/api/mode").handler(ctx -> {
            var mode = text(ctx, "mode");
            if (!"routing".equals(mode) && !"default-behaviour".equals(mode)) {
                send(ctx, 400, json.createObjectNode().put("error", "mode is routing or default-behaviour"));
                return;
            }
            emulator.page().mode("routing".equals(mode) ? Mode.ROUTING : Mode.DEFAULT_BEHAVIOUR);
            emulator.changed();
            // A Page admin changed the default app: the function asks each account's routing again now, once (its
            // own re-check waits handover.routing-recheck). Off the event loop: the probes come back to this server.
            vertx.executeBlocking(() -> {
                accounts.all().forEach(routings::probe);
                return null;
            }).onComplete(r -> {
                if (r.failed()) {
                    LOG.warnf("routing probe after the switch failed: %s", r.cause().toString());
                }
                send(ctx, 200, emulator.page().snapshot());
            });
        });
        // The clock: jump forward (control expires after 24 h, the messaging window closes, the team comes back), or
        // on to a time of day; then the sweep runs, as the schedule would have meanwhile.
        router.post("/emulator/api/clock").handler(ctx -> {
            var request = body(ctx);
            if (request.hasNonNull("timeOfDay")) {
                java.time.LocalTime time;
                java.time.ZoneId zone;
                java.time.DayOfWeek day;
                try {
                    time = java.time.LocalTime.parse(request.path("timeOfDay").asText());
                    zone = java.time.ZoneId.of(request.path("zone").asText("UTC"));
                    day = day(request.path("day").asText(""));
                } catch (java.time.DateTimeException | IllegalArgumentException bad) {
                    send(ctx, 400, json.createObjectNode().put("error",
                            "timeOfDay: HH:MM, zone: an IANA zone id, day: Mon to Sun or left out for any day"));
                    return;
                }
                emulator.page().advanceTo(day, time, zone);
            } else {
                long minutes = request.path("minutes").asLong(0);
                if (minutes <= 0 || minutes > 7 * 24 * 60) {
                    send(ctx, 400, json.createObjectNode().put("error", "minutes: 1 to 10080"));
                    return;
                }
                emulator.page().advance(java.time.Duration.ofMinutes(minutes));
            }
            emulator.changed();
            sweepNow(ctx);
        });
        // Where the function's alerts go in dev mode (handover.aws.sns-endpoint): SNS's Publish, shown on the timeline.
        router.post("/emulator/sns").handler(ctx -> {
            var answer = alerts.handle(ctx.request().getHeader("Authorization"), ctx.body().asString());
            if (answer.status() == 200) {
                var published = alerts.published().getLast();
                emulator.page().alert(published.subject(), published.message());
                emulator.changed();
            }
            ctx.response().setStatusCode(answer.status()).putHeader("Content-Type", "text/xml").end(answer.body());
        });
        // The function's queues of an account, as its operator API gives them; a call that failed is an error
        // (502, naming the call and the function's answer), never an empty queue.
        router.get("/emulator/api/queue").handler(ctx -> {
            var account = ctx.request().getParam("account", emulator.page().pageId());
            vertx.executeBlocking(() -> {
                var queues = json.createObjectNode().put("account", account);
                for (var state : java.util.List.of("waiting", "with-agent")) {
                    var answer = emulator.queue(account, state, adminKey);
                    if (!answer.ok()) {
                        return json.createObjectNode().put("account", account).put("error", answer.error());
                    }
                    queues.set(state, answer.body().path("threads"));
                }
                return queues;
            }).onComplete(r -> {
                var body = r.succeeded() ? r.result()
                        : json.createObjectNode().put("error", "the queue could not be read: " + r.cause());
                send(ctx, body.has("error") ? 502 : 200, body);
            });
        });

        router.routeWithRegex("/emulator/graph/v[0-9.]+/([0-9a-z_]+)(?:/([a-z_]+))?").handler(this::graph);
        router.route().last().handler(ctx -> send(ctx, 404, json.createObjectNode().put("error", "not found")));

        var listening = new java.util.concurrent.CompletableFuture<HttpServer>();
        vertx.createHttpServer().requestHandler(router).listen(port, "localhost").onComplete(result -> {
            if (result.succeeded()) {
                listening.complete(result.result());
            } else {
                listening.completeExceptionally(result.cause());
            }
        });
        server = listening.join();
        LOG.infof("Messenger Platform emulator: http://localhost:%d/emulator (webhook deliveries to %s)",
                server.actualPort(), emulator.webhook());
    }

    /**
     * The sweep at the platform's time, off the event loop: its Graph and SNS calls come back to this server. The
     * timeline says that it ran and what it did, "nothing due" too.
     */
    private void sweepNow(RoutingContext ctx) {
        long now = emulator.page().now();
        vertx.executeBlocking(() -> sweep.run(now)).onComplete(r -> {
            var answer = json.createObjectNode().put("now", now);
            if (r.succeeded()) {
                var s = r.result();
                answer.putObject("sweep").put("visited", s.visited()).put("alerted", s.alerted())
                        .put("gaveUp", s.gaveUp()).put("lapsed", s.lapsed()).put("offered", s.offered())
                        .put("left", s.left());
                emulator.page().swept(describe(s), true);
            } else {
                LOG.warnf("sweep failed: %s", r.cause().toString());
                answer.put("sweepError", r.cause().getMessage());
                emulator.page().swept("sweep failed: " + r.cause().getMessage(), false);
            }
            emulator.changed();
            send(ctx, 200, answer);
        });
    }

    /** What a sweep did, in a few words: "nothing due", or the threads due and what became of them. */
    static String describe(Sweep.Result s) {
        if (s.visited() == 0 && s.left() == 0) {
            return "sweep: nothing due";
        }
        var did = new java.util.ArrayList<String>();
        if (s.alerted() > 0) {
            did.add("the team alerted about " + s.alerted());
        }
        if (s.gaveUp() > 0) {
            did.add("gave up on " + s.gaveUp() + " (the bot took " + (s.gaveUp() == 1 ? "it" : "them") + " back)");
        }
        if (s.lapsed() > 0) {
            did.add(s.lapsed() + " lapsed (control expired)");
        }
        if (s.offered() > 0) {
            did.add("offered a person to " + s.offered());
        }
        if (s.left() > 0) {
            did.add(s.left() + " left for the next run");
        }
        return "sweep: " + s.visited() + (s.visited() == 1 ? " thread" : " threads") + " due"
                + (did.isEmpty() ? ", nothing changed" : ": " + String.join(", ", did));
    }

    /** "Mon" (or "monday") to "Sun"; empty: any day. */
    static java.time.DayOfWeek day(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        var prefix = text.strip().toUpperCase(java.util.Locale.ROOT);
        for (var d : java.time.DayOfWeek.values()) {
            if (prefix.length() >= 3 && d.name().startsWith(prefix)) {
                return d;
            }
        }
        throw new IllegalArgumentException("day: " + text);
    }

    void stop(@Observes ShutdownEvent stop) {
        if (server != null) {
            server.close();
        }
    }

    /** The port the page and the emulated Graph listen on. */
    public int port() {
        return server.actualPort();
    }

    /** Graph as the function calls it; the token as a bearer header or an {@code access_token} parameter. */
    private void graph(RoutingContext ctx) {
        var node = ctx.pathParam("param0");
        var edge = ctx.pathParam("param1");
        var authorization = ctx.request().getHeader("Authorization");
        var token = authorization != null && authorization.startsWith("Bearer ")
                ? authorization.substring("Bearer ".length())
                : ctx.request().getParam("access_token");
        JsonNode body = null;
        if (ctx.request().method().name().equals("POST")) {
            try {
                var raw = ctx.body().asString();
                body = raw == null || raw.isBlank() ? json.createObjectNode() : json.readTree(raw);
            } catch (IOException notJson) {
                var refused = MessengerPlatform.graphError(100, 0, "(#100) The request body is not valid JSON");
                send(ctx, refused.status(), refused.body());
                return;
            }
        }
        var method = ctx.request().method().name();
        var query = new java.util.HashMap<String, String>();
        ctx.queryParams().forEach(e -> query.put(e.getKey(), e.getValue()));
        query.remove("access_token");
        JsonNode request = body;
        act(ctx, () -> emulator.page().graph(method, node, edge == null || edge.isEmpty() ? null : edge, token,
                request, query));
    }

    /** Server-sent events: the state's version, once now and once per change. The page falls back to polling. */
    private void changes(RoutingContext ctx) {
        var response = ctx.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache");
        var subscription = emulator.changes().subscribe().with(
                version -> response.write("data: " + version + "\n\n"), failure -> response.end());
        response.closeHandler(closed -> subscription.cancel());
    }

    private void act(RoutingContext ctx, Supplier<EmulatedPage.Outcome> action) {
        var outcome = emulator.act(action);
        send(ctx, outcome.status(), outcome.body());
    }

    private JsonNode body(RoutingContext ctx) {
        try {
            var raw = ctx.body().asString();
            return raw == null || raw.isBlank() ? json.createObjectNode() : json.readTree(raw);
        } catch (IOException notJson) {
            return json.createObjectNode();
        }
    }

    private String text(RoutingContext ctx, String field) {
        var node = body(ctx).get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static void send(RoutingContext ctx, int status, ObjectNode body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
    }

    private static void asset(RoutingContext ctx, String name, String type) {
        try (InputStream in = EmulatorServer.class.getResourceAsStream(name)) {
            if (in == null) {
                ctx.response().setStatusCode(404).end();
                return;
            }
            ctx.response().putHeader("Content-Type", type + ";charset=UTF-8").putHeader("Cache-Control", "no-cache")
                    .end(io.vertx.core.buffer.Buffer.buffer(in.readAllBytes()));
        } catch (IOException e) {
            ctx.response().setStatusCode(500).end();
        }
    }
}
