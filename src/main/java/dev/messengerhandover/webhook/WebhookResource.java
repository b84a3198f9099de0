package dev.messengerhandover.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.config.MessengerConfig;
import dev.messengerhandover.handover.event.Delivery;
import dev.messengerhandover.http.ApiError;
import dev.messengerhandover.retry.Deadline;
import dev.messengerhandover.thread.DeliveryHandler;

/** Messenger's webhook: the subscription handshake and signed deliveries. */
@Path("/webhook")
public class WebhookResource {

    private static final Logger LOG = Logger.getLogger(WebhookResource.class);

    private final MessengerConfig messenger;
    private final HandoverConfig handover;
    private final SignatureVerifier signatures;
    private final DeliveryHandler deliveries;

    public WebhookResource(MessengerConfig messenger, HandoverConfig handover, DeliveryHandler deliveries) {
        this.messenger = messenger;
        this.handover = handover;
        this.signatures = new SignatureVerifier(messenger.appSecret());
        this.deliveries = deliveries;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public Response verify(@QueryParam("hub.mode") String mode, @QueryParam("hub.verify_token") String token,
            @QueryParam("hub.challenge") String challenge) {
        if (mode == null || token == null || challenge == null) {
            return ApiError.of(400, "hub.mode, hub.verify_token and hub.challenge are required");
        }
        boolean tokenMatches = MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                messenger.verifyToken().getBytes(StandardCharsets.UTF_8));
        if (!"subscribe".equals(mode) || !tokenMatches) {
            LOG.warn("webhook verification refused: wrong mode or token");
            return ApiError.of(403, "verification refused");
        }
        return Response.ok(challenge, MediaType.TEXT_PLAIN).build();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(@HeaderParam(SignatureVerifier.HEADER) String signature,
            @jakarta.ws.rs.core.Context com.amazonaws.services.lambda.runtime.Context lambda, byte[] body) {
        // The delivery's time starts now: Messenger's 20 s are running, and Lambda's time-out is, too.
        var deadline = Deadline.forInvocation(handover.deliveryBudget(), lambda == null ? 0
                : lambda.getRemainingTimeInMillis());
        if (body != null && body.length > handover.maxBodyBytes()) {
            return ApiError.of(413, "body larger than " + handover.maxBodyBytes() + " bytes");
        }
        // Over the bytes exactly as received: Meta signs its own escaping of the JSON, never a re-serialisation.
        if (!signatures.isValid(body, signature)) {
            LOG.warnf("delivery refused: %s X-Hub-Signature-256", signature == null ? "missing" : "wrong");
            return ApiError.of(401, signature == null ? "missing X-Hub-Signature-256" : "invalid signature");
        }
        Delivery delivery;
        try {
            delivery = DeliveryParser.parse(body);
        } catch (MalformedDeliveryException e) {
            LOG.warnf("malformed delivery refused: %s", e.getMessage());
            return ApiError.of(400, e.getMessage());
        }
        if (!delivery.isMessaging()) {
            LOG.infof("ignoring delivery for object %s", delivery.object());
            return Response.ok("{\"status\":\"ignored\"}").build();
        }
        int handled = deliveries.handle(delivery, deadline);
        return Response.ok("{\"status\":\"ok\",\"events\":" + delivery.events().size() + ",\"applied\":" + handled + "}")
                .build();
    }
}
