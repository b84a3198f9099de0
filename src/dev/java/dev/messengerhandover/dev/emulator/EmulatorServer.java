package dev.messengerhandover.dev.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.account.AccountKind;
import dev.messengerhandover.account.Accounts;
import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.dev.bots.Wire;
import dev.messengerhandover.dev.platform.MessengerPlatform;
import dev.messengerhandover.dev.platform.MessengerPlatform.Done;
import dev.messengerhandover.dev.platform.MessengerPlatform.Mode;
import dev.messengerhandover.dev.platform.SnsTopic;
import dev.messengerhandover.dev.platform.WhatsAppPlatform;
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
 * The emulated platform's own HTTP server: the page at {@code /emulator}, its actions under {@code /emulator/api},
 * Graph under {@code /emulator/graph/{version}/{me, page id or phone number id}/...}, and the AWS services and bots the
 * function calls in dev mode: SNS ({@code /emulator/sns}), Secrets Manager's Pages secret
 * ({@code /emulator/secretsmanager}), a team's HTTP bot ({@code /emulator/bot/{account}}), Lex V2's runtime
 * ({@code /bots/...}) and Bedrock's ({@code /model/...}) at the paths AWS serves them on.
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

    // Early: the function reads its Pages secret from here as it starts (the accounts are built at start-up).
    void start(@Observes @Priority(10) StartupEvent start, Vertx vertx) {
        this.vertx = vertx;
        var router = Router.router(vertx);
        router.route().handler(BodyHandler.create().setBodyLimit(1 << 20));
        router.get("/").handler(ctx -> ctx.redirect("/emulator"));
        router.get("/emulator").handler(ctx -> asset(ctx, "index.html", "text/html"));
        router.get("/emulator/emulator.js").handler(ctx -> asset(ctx, "emulator.js", "text/javascript"));
        router.get("/emulator/emulator.css").handler(ctx -> asset(ctx, "emulator.css", "text/css"));
        router.get("/emulator/api/state").handler(ctx -> send(ctx, 200, state()));
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
                accounts.all().stream().filter(a -> a.kind() != AccountKind.WHATSAPP).forEach(routings::probe);
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

        // WhatsApp: a user's phone, and the helpdesk (the number's escalation partner).
        router.post("/emulator/api/whatsapp/users").handler(ctx -> {
            String waId;
            try {
                waId = emulator.page().addWhatsAppUser(body(ctx).path("name").asText(""), text(ctx, "number"));
            } catch (IllegalArgumentException unknown) {
                send(ctx, 400, json.createObjectNode().put("error", unknown.getMessage()));
                return;
            }
            emulator.changed();
            send(ctx, 200, json.createObjectNode().put("waId", waId));
        });
        router.post("/emulator/api/whatsapp/users/:waId/messages").handler(ctx -> act(ctx,
                () -> emulator.page().whatsAppUserSends(ctx.pathParam("waId"), text(ctx, "text"))));
        router.post("/emulator/api/whatsapp/users/:waId/taps").handler(ctx -> act(ctx,
                () -> emulator.page().whatsAppUserTaps(ctx.pathParam("waId"), text(ctx, "messageId"),
                        text(ctx, "buttonId"))));
        router.post("/emulator/api/whatsapp/helpdesk/:waId/replies").handler(ctx -> act(ctx,
                () -> emulator.page().helpdeskReplies(ctx.pathParam("waId"), text(ctx, "text"))));
        router.post("/emulator/api/whatsapp/helpdesk/:waId/done").handler(ctx -> act(ctx,
                () -> emulator.page().helpdeskDone(ctx.pathParam("waId"), "release".equals(text(ctx, "how"))
                        ? WhatsAppPlatform.Done.RELEASE : WhatsAppPlatform.Done.PASS_BACK)));

        // Each account's bot: its kind goes into the Pages secret, which the function reads again; its behaviour is
        // the emulated backend's, from its next call.
        router.post("/emulator/api/bots/:account").handler(this::switchBot);
        // The Pages secret, as Secrets Manager's GetSecretValue gives it.
        router.post("/emulator/secretsmanager").handler(this::secret);
        // The bots' backends, as the function calls them (each answers on the timeline).
        router.post("/emulator/bot/:account").handler(ctx -> {
            var account = ctx.pathParam("account");
            bot(ctx, (bots, request) -> bots.http(account, request));
        });
        router.postWithRegex("/bots/.+").handler(ctx -> bot(ctx, EmulatedBots::lex));
        router.postWithRegex("/model/.+").handler(ctx -> bot(ctx, EmulatedBots::bedrock));

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
        emulator.listening("http://localhost:" + server.actualPort());
        LOG.infof("Messenger Platform emulator: http://localhost:%d/emulator (webhook deliveries to %s)",
                server.actualPort(), emulator.webhook());
    }

    /** The page's state, with each account's bot. */
    private ObjectNode state() {
        var state = emulator.page().snapshot();
        var bots = emulator.bots();
        if (bots.isPresent()) {
            state.set("bots", bots.get().snapshot().put("switchable", true));
        } else {
            state.putObject("bots").put("switchable", false).put("why", NOT_SWITCHABLE).putArray("accounts");
        }
        return state;
    }

    static final String NOT_SWITCHABLE = "The function reads its Pages from its own settings (messenger.pages or one"
            + " Page's token): their bots are set when it starts. Dev mode's Pages come from the emulator"
            + " (emulator.pages, as the Pages secret): there, the page switches them.";

    /**
     * A bot switched: its kind goes into the Pages secret and the function reads the secret again (a new instance
     * reads it as it starts), or its behaviour changes, from the backend's next call. Answers the page's state.
     */
    private void switchBot(RoutingContext ctx) {
        var bots = emulator.bots().orElse(null);
        if (bots == null) {
            send(ctx, 409, json.createObjectNode().put("error", NOT_SWITCHABLE));
            return;
        }
        var account = ctx.pathParam("account");
        var kindText = text(ctx, "kind");
        var behaviourText = text(ctx, "behaviour");
        var kind = kindText == null ? null : EmulatedBots.Kind.of(kindText);
        var behaviour = behaviourText == null ? null : EmulatedBots.Behaviour.of(behaviourText);
        if ((kindText != null && kind == null) || (behaviourText != null && behaviour == null)
                || (kind == null && behaviour == null)) {
            send(ctx, 400, json.createObjectNode().put("error", "kind: catalogue, http, lex or bedrock; behaviour:"
                    + " answers, slow, hangs, fails, throttled, malformed or person"));
            return;
        }
        if (bots.kindOf(account) == null) {
            send(ctx, 404, json.createObjectNode().put("error", "no account " + account));
            return;
        }
        if (behaviour != null) {
            bots.behaviour(account, behaviour);
            emulator.page().platformNote(bots.name(account) + "'s bot: " + behaviour.label + ", from its next call",
                    null);
        }
        var previous = bots.kindOf(account);
        if (kind == null || kind == previous) {
            emulator.changed();
            send(ctx, 200, state());
            return;
        }
        bots.kind(account, kind);
        emulator.page().platformNote(bots.name(account) + "'s bot: " + kind.label + ", in the Pages secret", null);
        emulator.changed();
        // Off the event loop: the function reads the secret from this server.
        vertx.executeBlocking(() -> {
            accounts.reload();
            return null;
        }).onComplete(r -> {
            if (r.failed()) {
                bots.kind(account, previous);
                LOG.warnf("the function did not take the Pages secret: %s", r.cause().toString());
                emulator.page().platformNote("the function refused the Pages secret: " + r.cause().getMessage(),
                        null);
                emulator.changed();
                send(ctx, 502, json.createObjectNode().put("error", "the function refused the Pages secret: "
                        + r.cause().getMessage()));
                return;
            }
            send(ctx, 200, state());
        });
    }

    /** Secrets Manager's {@code GetSecretValue} of the Pages secret, signed for {@code secretsmanager}. */
    private void secret(RoutingContext ctx) {
        var bots = emulator.bots().orElse(null);
        var authorization = ctx.request().getHeader("Authorization");
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")
                || !authorization.contains("/secretsmanager/aws4_request")) {
            awsJson(ctx, 400, json.createObjectNode().put("__type", "MissingAuthenticationTokenException")
                    .put("message", "Missing Authentication Token"));
            return;
        }
        if (!"secretsmanager.GetSecretValue".equals(ctx.request().getHeader("X-Amz-Target"))) {
            awsJson(ctx, 400, json.createObjectNode().put("__type", "UnknownOperationException"));
            return;
        }
        var id = text(ctx, "SecretId");
        if (bots == null || !bots.secretName().equals(id)) {
            awsJson(ctx, 400, json.createObjectNode().put("__type", "ResourceNotFoundException")
                    .put("message", "Secrets Manager can't find the specified secret."));
            return;
        }
        var answer = json.createObjectNode().put("ARN", "arn:aws:secretsmanager:us-east-1:000000000000:secret:"
                + id + "-AbCdEf").put("Name", id).put("SecretString", bots.secretString())
                .put("VersionId", java.util.UUID.randomUUID().toString())
                .put("CreatedDate", emulator.page().now() / 1000.0);
        answer.putArray("VersionStages").add("AWSCURRENT");
        emulator.page().platformNote("the function read the Pages secret", json.createObjectNode().put("secret", id)
                .put("bots", bots.summary()));
        emulator.changed();
        awsJson(ctx, 200, answer);
    }

    private static void awsJson(RoutingContext ctx, int status, ObjectNode body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/x-amz-json-1.1")
                .end(body.toString());
    }

    /** How long a backend that hangs keeps the call open when the function never lets go: longer than any delivery. */
    static final long HANG_AT_MOST_MILLIS = 30_000;

    /**
     * One call to a bot's backend: answered by the account's model (off the event loop: the AWS models check
     * signatures), after the behaviour's delay, or never for a bot that hangs, until the function stops waiting.
     */
    private void bot(RoutingContext ctx,
            java.util.function.BiFunction<EmulatedBots, Wire.Request, EmulatedBots.Served> call) {
        var bots = emulator.bots().orElse(null);
        if (bots == null) {
            send(ctx, 404, json.createObjectNode().put("error", "no bots here: " + NOT_SWITCHABLE));
            return;
        }
        long started = System.nanoTime();
        var request = wire(ctx);
        vertx.executeBlocking(() -> call.apply(bots, request), false).onComplete(r -> {
            if (r.failed()) {
                LOG.warnf("bot backend failed: %s", r.cause().toString());
                send(ctx, 500, json.createObjectNode().put("error", "the emulated backend failed: " + r.cause()));
                return;
            }
            var served = r.result();
            emulator.changed();
            if (served.hangs()) {
                var over = new java.util.concurrent.atomic.AtomicBoolean();
                ctx.response().closeHandler(closed -> {
                    if (over.compareAndSet(false, true)) {
                        bots.gaveUp(served, (System.nanoTime() - started) / 1_000_000);
                        emulator.changed();
                    }
                });
                vertx.setTimer(HANG_AT_MOST_MILLIS, t -> {
                    if (over.compareAndSet(false, true)) {
                        bots.gaveUp(served, (System.nanoTime() - started) / 1_000_000);
                        emulator.changed();
                        ctx.response().setStatusCode(504).end();
                    }
                });
                return;
            }
            Runnable answer = () -> {
                if (ctx.response().closed() || ctx.response().ended()) {
                    bots.gaveUp(served, (System.nanoTime() - started) / 1_000_000);
                } else {
                    var response = served.response();
                    ctx.response().setStatusCode(response.status());
                    response.headers().forEach(ctx.response()::putHeader);
                    ctx.response().end(io.vertx.core.buffer.Buffer.buffer(response.body()));
                    bots.answered(served, (System.nanoTime() - started) / 1_000_000);
                }
                emulator.changed();
            };
            if (served.delayMillis() > 0) {
                vertx.setTimer(served.delayMillis(), t -> answer.run());
            } else {
                answer.run();
            }
        });
    }

    /** A request as the models take it: the raw path (signatures cover it), every header, the body's bytes. */
    private static Wire.Request wire(RoutingContext ctx) {
        var headers = new java.util.LinkedHashMap<String, java.util.List<String>>();
        ctx.request().headers().names().forEach(n -> headers.put(n, ctx.request().headers().getAll(n)));
        var buffer = ctx.body().buffer();
        return new Wire.Request(ctx.request().method().name(), ctx.request().path(), headers,
                buffer == null ? new byte[0] : buffer.getBytes());
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
