package dev.messengerhandover.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.messengerhandover.account.Accounts;
import dev.messengerhandover.handover.ThreadState.Queue;
import dev.messengerhandover.http.ApiError;
import dev.messengerhandover.thread.ThreadService;

/**
 * {@code GET /threads/{accountId}?state=waiting|with-agent|bot}: an account's threads in one queue, oldest first, a
 * page at a time ({@code limit}, and {@code next} from the previous page), from the queue index: never a scan.
 * Behind the {@link OperatorKey}.
 */
@Path("/threads/{accountId}")
@Produces(MediaType.APPLICATION_JSON)
public class QueueResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;

    private final Accounts accounts;
    private final ThreadService threads;
    private final OperatorKey key;

    public QueueResource(Accounts accounts, ThreadService threads, OperatorKey key) {
        this.accounts = accounts;
        this.threads = threads;
        this.key = key;
    }

    @GET
    public Response list(@PathParam("accountId") String accountId, @QueryParam("state") String state,
            @QueryParam("limit") String limit, @QueryParam("next") String next,
            @HeaderParam(OperatorKey.HEADER) String apiKey) {
        var refused = key.refuse(apiKey);
        if (refused != null) {
            return refused;
        }
        var account = accounts.byId(accountId);
        if (account.isEmpty()) {
            return ApiError.of(404, "no such account");
        }
        var queue = state == null ? java.util.Optional.<Queue>empty() : Queue.fromWire(state);
        if (queue.isEmpty()) {
            return ApiError.of(400, "state must be waiting, with-agent or bot");
        }
        int size;
        try {
            size = limit == null ? DEFAULT_LIMIT : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 1 || size > MAX_LIMIT) {
            return ApiError.of(400, "limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        long now = threads.now();
        try {
            var page = threads.queue(account.get(), accountId, queue.get(), size, next, now);
            var control = account.get().control();
            var entries = page.threads().stream().map(t -> QueueView.Entry.of(t.state(), control, now)).toList();
            return Response.ok(new QueueView(accountId, queue.get().wire(), entries, page.next())).build();
        } catch (ThreadService.NotAPage badToken) {
            return ApiError.of(400, badToken.getMessage());
        }
    }
}
