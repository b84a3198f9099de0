package dev.messengerhandover.webhook;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.http.ApiError;
import dev.messengerhandover.retry.Deadline;
import dev.messengerhandover.thread.BotMessages;

/**
 * {@code POST /bot/{accountId}/{userId}/messages}: an HTTP bot answering later, signed with its secret
 * ({@code X-Handover-Signature-256}, as the function signs its calls to it). 200 when sent, 409 with the reason when
 * the bot may not talk now (another app holds the thread, the window is closed, no such thread), 401 for a wrong
 * signature, 404 where the account has no HTTP bot.
 */
@Path("/bot/{accountId}/{userId}/messages")
public class BotMessagesResource {

    public static final String SIGNATURE = "X-Handover-Signature-256";
    private static final Logger LOG = Logger.getLogger(BotMessagesResource.class);

    private final BotMessages messages;
    private final HandoverConfig config;

    public BotMessagesResource(BotMessages messages, HandoverConfig config) {
        this.messages = messages;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response post(@PathParam("accountId") String accountId, @PathParam("userId") String userId,
            @HeaderParam(SIGNATURE) String signature, @HeaderParam("Idempotency-Key") String idempotencyKey,
            @jakarta.ws.rs.core.Context com.amazonaws.services.lambda.runtime.Context lambda, byte[] body) {
        var deadline = Deadline.forInvocation(config.deliveryBudget(), lambda == null ? 0
                : lambda.getRemainingTimeInMillis());
        if (!messages.takesMessages(accountId)) {
            return ApiError.of(404, "not found");
        }
        if (body == null || body.length > config.maxBodyBytes()) {
            return ApiError.of(body == null ? 400 : 413, body == null ? "empty body" : "body too large");
        }
        // Over the raw bytes, in constant time, before anything is read: as Meta's signatures are checked.
        if (!messages.signedByItsBot(accountId, body, signature)) {
            LOG.warnf("bot message for %s refused: %s %s", accountId, signature == null ? "missing" : "wrong",
                    SIGNATURE);
            return ApiError.of(401, signature == null ? "missing " + SIGNATURE : "invalid signature");
        }
        return switch (messages.receive(accountId, userId, body, idempotencyKey, deadline)) {
            case BotMessages.Outcome.Sent sent -> Response.ok("{\"status\":\"sent\"}").build();
            case BotMessages.Outcome.Refused refused -> ApiError.of(409, refused.why());
            case BotMessages.Outcome.Malformed malformed -> ApiError.of(400, malformed.why());
        };
    }
}
