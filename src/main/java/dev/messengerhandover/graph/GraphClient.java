package dev.messengerhandover.graph;

import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import dev.messengerhandover.config.MessengerConfig;
import dev.messengerhandover.graph.GraphModels.ControlRequest;
import dev.messengerhandover.graph.GraphModels.FeatureStatusResponse;
import dev.messengerhandover.graph.GraphModels.OutgoingMessage;
import dev.messengerhandover.graph.GraphModels.PassRequest;
import dev.messengerhandover.graph.GraphModels.QuickReply;
import dev.messengerhandover.graph.GraphModels.Recipient;
import dev.messengerhandover.graph.GraphModels.SendRequest;
import dev.messengerhandover.graph.GraphModels.ThreadControlParam;
import dev.messengerhandover.graph.GraphModels.ThreadOwner;
import dev.messengerhandover.retry.Backoff;
import dev.messengerhandover.retry.Deadline;

/**
 * The one way this function talks to Graph: the Page's node, token and {@code appsecret_proof} ({@link PageAccess}), the
 * API version, and retries of transient failures with jittered exponential back-off that never outlive the delivery's
 * {@link Deadline}.
 */
@ApplicationScoped
public class GraphClient {

    private static final Logger LOG = Logger.getLogger(GraphClient.class);
    static final int MAX_ATTEMPTS = 4;
    private static final Backoff BLIP = new Backoff(150, 2_400);
    /** Rate limits clear slower than blips: start further out. */
    private static final Backoff RATE_LIMIT = new Backoff(800, 12_800);

    private final GraphApi api;
    private final String version;

    public GraphClient(@RestClient GraphApi api, MessengerConfig config) {
        this.api = api;
        this.version = config.graphApiVersion();
    }

    /** Send API answer to the user, with quick replies when given. Returns the message id. */
    public String send(PageAccess page, String psid, String text, List<QuickReply> quickReplies, Deadline deadline) {
        var body = new SendRequest(new Recipient(psid), "RESPONSE", new OutgoingMessage(text, quickReplies), null);
        return call("messages", deadline,
                () -> api.send(version, page.node(), page.bearer(), page.appsecretProof(), body)).messageId();
    }

    /**
     * A message that passes the thread to {@code targetAppId} once it is sent ({@code thread_control}), where
     * Conversation Routing is configured: the hand-over notice and the pass in one round trip.
     */
    public String sendAndPass(PageAccess page, String psid, String text, String targetAppId, Deadline deadline) {
        var body = new SendRequest(new Recipient(psid), "RESPONSE", new OutgoingMessage(text, List.of()),
                ThreadControlParam.pass(targetAppId));
        return call("messages+pass", deadline,
                () -> api.send(version, page.node(), page.bearer(), page.appsecretProof(), body)).messageId();
    }

    public void passThreadControl(PageAccess page, String psid, String targetAppId, String metadata,
            Deadline deadline) {
        var body = new PassRequest(new Recipient(psid), targetAppId, metadata);
        call("pass_thread_control", deadline,
                () -> api.passThreadControl(version, page.node(), page.bearer(), page.appsecretProof(), body));
    }

    public void takeThreadControl(PageAccess page, String psid, String metadata, Deadline deadline) {
        var body = new ControlRequest(new Recipient(psid), metadata);
        call("take_thread_control", deadline,
                () -> api.takeThreadControl(version, page.node(), page.bearer(), page.appsecretProof(), body));
    }

    /** Who owns the thread now: idle, or an app with its control's expiration. */
    public ThreadOwner threadOwner(PageAccess page, String psid, Deadline deadline) {
        return call("thread_owner", deadline,
                () -> api.threadOwner(version, page.node(), page.bearer(), page.appsecretProof(), psid)).owner();
    }

    /** The Page's messaging features: whether Conversation Routing is configured. */
    public FeatureStatusResponse featureStatus(PageAccess page, Deadline deadline) {
        return call("messaging_feature_status", deadline, () -> api.featureStatus(version, page.node(),
                page.bearer(), page.appsecretProof(), "messaging_feature_status"));
    }

    <T> T call(String what, Deadline deadline, Supplier<T> request) {
        for (int attempt = 1;; attempt++) {
            GraphException failure;
            try {
                return request.get();
            } catch (GraphException e) {
                failure = e;
            } catch (ProcessingException e) {
                failure = GraphException.network(e.getCause() != null ? e.getCause() : e);
            }
            if (!failure.isTransient() || attempt >= MAX_ATTEMPTS) {
                throw failure;
            }
            LOG.infof("graph %s attempt %d failed: %s", what, attempt, failure.summary());
            if (!(failure.isRateLimit() ? RATE_LIMIT : BLIP).await(attempt, deadline)) {
                throw failure;
            }
        }
    }
}
