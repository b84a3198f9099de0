package dev.messengerhandover.graph;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import dev.messengerhandover.graph.GraphModels.ControlRequest;
import dev.messengerhandover.graph.GraphModels.FeatureStatusResponse;
import dev.messengerhandover.graph.GraphModels.PassRequest;
import dev.messengerhandover.graph.GraphModels.SendRequest;
import dev.messengerhandover.graph.GraphModels.SendResponse;
import dev.messengerhandover.graph.GraphModels.SenderAction;
import dev.messengerhandover.graph.GraphModels.SuccessResponse;
import dev.messengerhandover.graph.GraphModels.ThreadOwnerResponse;
import dev.messengerhandover.graph.GraphModels.WhatsAppControlAnswer;
import dev.messengerhandover.graph.GraphModels.WhatsAppMessage;
import dev.messengerhandover.graph.GraphModels.WhatsAppSent;
import dev.messengerhandover.graph.GraphModels.WhatsAppThreadControl;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;

/**
 * The Graph API calls of the Page's default app, on {@code /{version}/{node}}: the Page's id (or {@code me}, the Page
 * the token belongs to). The token travels as a bearer header so that it never appears in a URL or an access log; the
 * {@code appsecret_proof} is a query parameter, as Graph wants it. Every call answers a {@link Uni}, so that the
 * caller can cut it off when the delivery's time runs out (cancelling resets the request). Use {@link GraphClient},
 * which adds that and the retries.
 */
@RegisterRestClient(configKey = "graph-api")
@Path("/{version}/{node}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface GraphApi {

    @POST
    @Path("/messages")
    Uni<SendResponse> send(@PathParam("version") String version, @PathParam("node") String node,
            @HeaderParam("Authorization") String bearer, @QueryParam("appsecret_proof") String proof,
            SendRequest body);

    @POST
    @Path("/messages")
    Uni<SendResponse> senderAction(@PathParam("version") String version, @PathParam("node") String node,
            @HeaderParam("Authorization") String bearer, @QueryParam("appsecret_proof") String proof,
            SenderAction body);

    @POST
    @Path("/pass_thread_control")
    Uni<SuccessResponse> passThreadControl(@PathParam("version") String version, @PathParam("node") String node,
            @HeaderParam("Authorization") String bearer, @QueryParam("appsecret_proof") String proof,
            PassRequest body);

    @POST
    @Path("/take_thread_control")
    Uni<SuccessResponse> takeThreadControl(@PathParam("version") String version, @PathParam("node") String node,
            @HeaderParam("Authorization") String bearer, @QueryParam("appsecret_proof") String proof,
            ControlRequest body);

    @GET
    @Path("/thread_owner")
    Uni<ThreadOwnerResponse> threadOwner(@PathParam("version") String version, @PathParam("node") String node,
            @HeaderParam("Authorization") String bearer, @QueryParam("appsecret_proof") String proof,
            @QueryParam("recipient") String psid);

    /** {@code GET /{node}?fields=messaging_feature_status}: the Page's routing, probed once per Page and instance. */
    @GET
    Uni<FeatureStatusResponse> featureStatus(@PathParam("version") String version, @PathParam("node") String node,
            @HeaderParam("Authorization") String bearer, @QueryParam("appsecret_proof") String proof,
            @QueryParam("fields") String fields);

    /** WhatsApp: {@code node} is the phone number id. */
    @POST
    @Path("/messages")
    Uni<WhatsAppSent> whatsAppSend(@PathParam("version") String version, @PathParam("node") String node,
            @HeaderParam("Authorization") String bearer, @QueryParam("appsecret_proof") String proof,
            WhatsAppMessage body);

    /** WhatsApp's thread control: pass, release, take. */
    @POST
    @Path("/thread_control")
    Uni<WhatsAppControlAnswer> whatsAppThreadControl(@PathParam("version") String version,
            @PathParam("node") String node, @HeaderParam("Authorization") String bearer,
            @QueryParam("appsecret_proof") String proof, WhatsAppThreadControl body);

    @ClientExceptionMapper
    static RuntimeException toGraphException(Response response) {
        if (response.getStatus() < 400) {
            return null;
        }
        String body = null;
        try {
            body = response.readEntity(String.class);
        } catch (RuntimeException unreadable) {
            // keep the status
        }
        return GraphException.fromResponse(response.getStatus(), body);
    }
}
