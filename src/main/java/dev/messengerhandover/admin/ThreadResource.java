package dev.messengerhandover.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.http.ApiError;
import dev.messengerhandover.retry.Deadline;
import dev.messengerhandover.thread.ThreadService;

/**
 * The operator API: look at a thread, take it back for the bot. Off (404) unless {@code handover.admin-api-key} is set;
 * every call needs that key in {@code X-Api-Key}.
 */
@Path("/threads/{pageId}/{userId}")
@Produces(MediaType.APPLICATION_JSON)
public class ThreadResource {

    private final HandoverConfig config;
    private final ThreadService threads;

    public ThreadResource(HandoverConfig config, ThreadService threads) {
        this.config = config;
        this.threads = threads;
    }

    @GET
    public Response show(@PathParam("pageId") String pageId, @PathParam("userId") String userId,
            @HeaderParam("X-Api-Key") String apiKey) {
        var refused = refuse(apiKey);
        if (refused != null) {
            return refused;
        }
        var stored = threads.find(pageId, userId);
        if (!stored.exists()) {
            return ApiError.of(404, "no such thread");
        }
        return Response.ok(ThreadView.of(stored.state(), threads.control(), System.currentTimeMillis())).build();
    }

    @POST
    @Path("/take")
    public Response take(@PathParam("pageId") String pageId, @PathParam("userId") String userId,
            @HeaderParam("X-Api-Key") String apiKey) {
        var refused = refuse(apiKey);
        if (refused != null) {
            return refused;
        }
        var result = threads.takeBack(pageId, userId, Deadline.in(config.deliveryBudget()));
        var view = ThreadView.of(result.state(), threads.control(), System.currentTimeMillis(), result.refused());
        boolean bot = threads.control().rules().botAppId().equals(result.state().ownerAppId());
        return Response.status(result.refused() != null || !bot ? 409 : 200).entity(view).build();
    }

    private Response refuse(String apiKey) {
        var expected = config.adminApiKey().filter(k -> !k.isBlank());
        if (expected.isEmpty()) {
            return ApiError.of(404, "not found");
        }
        if (apiKey == null || !MessageDigest.isEqual(apiKey.getBytes(StandardCharsets.UTF_8),
                expected.get().getBytes(StandardCharsets.UTF_8))) {
            return ApiError.of(401, "missing or wrong X-Api-Key");
        }
        return null;
    }
}
