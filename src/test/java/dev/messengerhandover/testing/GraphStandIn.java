package dev.messengerhandover.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * An HTTP stand-in for the Graph API's Messenger endpoints. It speaks Graph's wire format (paths, JSON bodies, the
 * {@code {"error":{...}}} shape and status codes), keeps thread ownership per user as the platform does for the Page
 * token's caller (the Primary Receiver), records every call, and can be told to fail, hang or slow down.
 */
public final class GraphStandIn implements AutoCloseable {

    public static final String INBOX_APP_ID = "263902037430900";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IDLE = "";

    /** One request as Graph received it, and the status it answered. */
    public record Call(String method, String endpoint, String query, String authorization, JsonNode body, int status) {
        public String psid() {
            if (body != null && body.has("recipient")) {
                return body.path("recipient").path("id").asText();
            }
            return query != null && query.startsWith("recipient=") ? query.substring("recipient=".length()) : null;
        }

        public boolean ok() {
            return status == 200;
        }
    }

    /** A scripted failure for the next matching call. */
    public record Fault(String endpoint, int status, String body, long delayMillis, boolean reset, boolean applyFirst) {
    }

    private final LocalHttpServer server;
    private final String token;
    private final String primaryAppId;
    private final Set<String> secondaryAppIds;
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();
    private final AtomicLong messageIds = new AtomicLong();
    private volatile long latencyMillis;

    public GraphStandIn(String token, String primaryAppId, Set<String> secondaryAppIds) {
        this.token = token;
        this.primaryAppId = primaryAppId;
        this.secondaryAppIds = Set.copyOf(secondaryAppIds);
        server = new LocalHttpServer("graph-stand-in", "/", this::handle);
    }

    public String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
    }

    // --- what tests look at ----------------------------------------------------------------------------------------

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public List<Call> calls(String psid) {
        return calls().stream().filter(c -> psid.equals(c.psid())).toList();
    }

    public List<Call> calls(String psid, String endpoint) {
        return calls(psid).stream().filter(c -> c.endpoint().equals(endpoint)).toList();
    }

    /**
     * Every call made for this user, in order, as {@code status METHOD endpoint body-or-query} with the user's id
     * written {@code {user}}: two users with equal lists got the same effects from Graph.
     */
    public List<String> effects(String psid) {
        return calls(psid).stream().map(c -> c.status() + " " + c.method() + " " + c.endpoint() + " "
                + (c.body() != null ? c.body().toString() : c.query()).replace(psid, "{user}")).toList();
    }

    /** Texts of the messages Graph accepted for this user, in order. */
    public List<String> sentTexts(String psid) {
        return calls(psid, "messages").stream().filter(Call::ok)
                .map(c -> c.body().path("message").path("text").asText()).toList();
    }

    /** The owning app for this user, {@code null} when idle. New threads start with the Primary Receiver. */
    public String ownerOf(String psid) {
        var owner = owners.getOrDefault(psid, primaryAppId);
        return IDLE.equals(owner) ? null : owner;
    }

    public void setOwner(String psid, String appId) {
        owners.put(psid, appId == null ? IDLE : appId);
    }

    public void latency(long millis) {
        latencyMillis = millis;
    }

    public void reset() {
        synchronized (calls) {
            calls.clear();
        }
        faults.clear();
        owners.clear();
        latencyMillis = 0;
    }

    /** The next call to {@code endpoint} answers {@code status} with Graph's error body. */
    public void failNext(String endpoint, int status, int code, boolean isTransient) {
        faults.add(new Fault(endpoint, status, error(code, 0, isTransient ? "(#" + code + ") Temporary failure"
                : "(#" + code + ") Invalid parameter", isTransient), 0, false, false));
    }

    public void fail(Fault fault) {
        faults.add(fault);
    }

    /** The next call to {@code endpoint} takes {@code millis} before answering normally. */
    public void hangNext(String endpoint, long millis) {
        faults.add(new Fault(endpoint, 0, null, millis, false, false));
    }

    /** The next call to {@code endpoint} has its connection cut without an answer. */
    public void resetNext(String endpoint) {
        faults.add(new Fault(endpoint, 0, null, 0, true, false));
    }

    // --- Graph ------------------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var uri = exchange.getRequestURI();
            var parts = uri.getPath().split("/");
            // /{version}/me/{endpoint}
            var endpoint = parts.length == 4 && "me".equals(parts[2]) ? parts[3] : uri.getPath();
            JsonNode body = null;
            try (InputStream in = exchange.getRequestBody()) {
                var bytes = in.readAllBytes();
                if (bytes.length > 0) {
                    try {
                        body = JSON.readTree(bytes);
                    } catch (IOException notJson) {
                        body = JSON.getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8));
                    }
                }
            }
            var auth = exchange.getRequestHeaders().getFirst("Authorization");
            var fault = takeFault(endpoint);
            long delay = latencyMillis + (fault != null ? fault.delayMillis() : 0);
            if (delay > 0) {
                sleep(delay);
            }
            Answer answer;
            if (fault != null && fault.reset()) {
                record(exchange.getRequestMethod(), endpoint, uri, auth, body, -1);
                return; // closing without a status line: the client sees the connection cut
            }
            if (fault != null && fault.status() > 0) {
                if (fault.applyFirst()) {
                    answer(exchange.getRequestMethod(), endpoint, uri, auth, body);
                }
                answer = new Answer(fault.status(), fault.body());
            } else {
                answer = answer(exchange.getRequestMethod(), endpoint, uri, auth, body);
            }
            record(exchange.getRequestMethod(), endpoint, uri, auth, body, answer.status());
            var bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private record Answer(int status, String body) {
    }

    private synchronized Answer answer(String method, String endpoint, URI uri, String auth, JsonNode body) {
        if (auth == null || !auth.equals("Bearer " + token)) {
            return new Answer(400, oauthError());
        }
        var psid = body != null ? body.path("recipient").path("id").asText(null) : null;
        switch (method + " " + endpoint) {
            case "POST messages": {
                if (psid == null) {
                    return badParameter("(#100) The parameter recipient is required");
                }
                var message = body.path("message");
                if (!message.hasNonNull("text") && !message.hasNonNull("attachment")) {
                    return badParameter("(#100) Must send either message or sender action");
                }
                if (message.path("text").asText("").length() > 2000) {
                    return badParameter("(#100) Length of param message[text] must be less than or equal to 2000");
                }
                if (!primaryAppId.equals(ownerOf(psid)) && ownerOf(psid) != null) {
                    return new Answer(400, error(10, 2018300,
                            "(#10) This app cannot send while another app controls the thread", false));
                }
                return new Answer(200, "{\"recipient_id\":\"" + psid + "\",\"message_id\":\"m_"
                        + messageIds.incrementAndGet() + "_" + UUID.randomUUID() + "\"}");
            }
            case "POST pass_thread_control": {
                if (psid == null) {
                    return badParameter("(#100) The parameter recipient is required");
                }
                var target = body.path("target_app_id").asText(null);
                if (target == null || !secondaryAppIds.contains(target) && !primaryAppId.equals(target)) {
                    return badParameter("(#100) Param target_app_id must be an app connected to the page");
                }
                var owner = ownerOf(psid);
                if (owner != null && !primaryAppId.equals(owner)) {
                    return new Answer(400, error(10, 2018300,
                            "(#10) Cannot pass thread control: the app is not the thread owner", false));
                }
                owners.put(psid, target);
                return success();
            }
            case "POST take_thread_control": {
                if (psid == null) {
                    return badParameter("(#100) The parameter recipient is required");
                }
                owners.put(psid, primaryAppId);
                return success();
            }
            case "POST release_thread_control": {
                if (psid == null) {
                    return badParameter("(#100) The parameter recipient is required");
                }
                owners.put(psid, IDLE);
                return success();
            }
            case "POST request_thread_control":
                return new Answer(400, error(10, 0, "(#10) The Primary Receiver cannot request thread control",
                        false));
            case "GET thread_owner": {
                var query = uri.getQuery();
                if (query == null || !query.startsWith("recipient=")) {
                    return badParameter("(#100) The parameter recipient is required");
                }
                var owner = ownerOf(query.substring("recipient=".length()));
                return new Answer(200, owner == null ? "{\"data\":[]}"
                        : "{\"data\":[{\"thread_owner\":{\"app_id\":\"" + owner + "\"}}]}");
            }
            case "GET secondary_receivers": {
                var data = JSON.createArrayNode();
                secondaryAppIds.forEach(id -> data.addObject().put("id", id).put("name",
                        INBOX_APP_ID.equals(id) ? "Page Inbox" : "App " + id));
                return new Answer(200, "{\"data\":" + data + "}");
            }
            default:
                return new Answer(400, error(100, 33, "Unsupported " + method + " request: " + endpoint, false));
        }
    }

    private Fault takeFault(String endpoint) {
        for (var it = faults.iterator(); it.hasNext();) {
            var f = it.next();
            if (f.endpoint() == null || f.endpoint().equals(endpoint)) {
                if (faults.removeFirstOccurrence(f)) {
                    return f;
                }
            }
        }
        return null;
    }

    private void record(String method, String endpoint, URI uri, String auth, JsonNode body, int status) {
        synchronized (calls) {
            calls.add(new Call(method, endpoint, uri.getQuery(), auth, body, status));
        }
    }

    public static String error(int code, int subcode, String message, boolean isTransient) {
        ObjectNode e = JSON.createObjectNode();
        var inner = e.putObject("error");
        inner.put("message", message).put("type", "OAuthException").put("code", code);
        if (subcode != 0) {
            inner.put("error_subcode", subcode);
        }
        if (isTransient) {
            inner.put("is_transient", true);
        }
        inner.put("fbtrace_id", "A" + Long.toHexString(System.nanoTime()));
        return e.toString();
    }

    private static Answer badParameter(String message) {
        return new Answer(400, error(100, 0, message, false));
    }

    private static String oauthError() {
        return error(190, 0, "Invalid OAuth access token - Cannot parse access token", false);
    }

    private static Answer success() {
        return new Answer(200, "{\"success\":true}");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For assertions over many users: the owner the stand-in recorded for each. */
    public Map<String, String> owners() {
        return Map.copyOf(owners);
    }

    static Predicate<Call> endpoint(String name) {
        return c -> c.endpoint().equals(name);
    }
}
