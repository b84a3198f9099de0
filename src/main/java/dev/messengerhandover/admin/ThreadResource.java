package dev.messengerhandover.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.messengerhandover.account.Accounts;
import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.http.ApiError;
import dev.messengerhandover.retry.Deadline;
import dev.messengerhandover.thread.ThreadService;

/**
 * The operator API: look at a thread, take it back for the bot. {@code pageId} is the account's id: a Page, or an
 * Instagram account. Behind the {@link OperatorKey}.
 */
@Path("/threads/{pageId}/{userId}")
@Produces(MediaType.APPLICATION_JSON)
public class ThreadResource {

    private final HandoverConfig config;
    private final ThreadService threads;
    private final Accounts accounts;
    private final OperatorKey key;

    public ThreadResource(HandoverConfig config, ThreadService threads, Accounts accounts, OperatorKey key) {
        this.config = config;
        this.threads = threads;
        this.accounts = accounts;
        this.key = key;
    }

    @GET
    public Response show(@PathParam("pageId") String pageId, @PathParam("userId") String userId,
            @HeaderParam(OperatorKey.HEADER) String apiKey) {
        var refused = key.refuse(apiKey);
        if (refused != null) {
            return refused;
        }
        var account = accounts.byId(pageId);
        if (account.isEmpty()) {
            return ApiError.of(404, "no such account");
        }
        var stored = threads.find(account.get(), pageId, userId);
        if (!stored.exists()) {
            return ApiError.of(404, "no such thread");
        }
        return Response.ok(ThreadView.of(stored.state(), account.get().control(), threads.now()))
                .build();
    }

    @POST
    @Path("/take")
    public Response take(@PathParam("pageId") String pageId, @PathParam("userId") String userId,
            @HeaderParam(OperatorKey.HEADER) String apiKey) {
        var refused = key.refuse(apiKey);
        if (refused != null) {
            return refused;
        }
        var account = accounts.byId(pageId);
        if (account.isEmpty()) {
            return ApiError.of(404, "no such account");
        }
        var control = account.get().control();
        var result = threads.takeBack(account.get(), pageId, userId, Deadline.in(config.deliveryBudget()));
        var view = ThreadView.of(result.state(), control, threads.now(), result.refused());
        boolean bot = control.rules().botAppId().equals(result.state().ownerAppId());
        return Response.status(result.refused() != null || !bot ? 409 : 200).entity(view).build();
    }
}
