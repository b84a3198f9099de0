package dev.messengerhandover.graph;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
import io.smallrye.mutiny.Uni;

/**
 * The one way this function talks to Graph: the Page's node, token and {@code appsecret_proof} ({@link PageAccess}), the
 * API version, and retries of transient failures with jittered exponential back-off, all inside the delivery's
 * {@link Deadline}: no call starts with less than {@link #MIN_CALL_MILLIS} left, each is cut off when the time runs
 * out, and a call the time did not let finish is {@link OutOfTime}, never a refusal.
 */
@ApplicationScoped
public class GraphClient {

    private static final Logger LOG = Logger.getLogger(GraphClient.class);
    static final int MAX_ATTEMPTS = 4;
    /** The least time a call is started with: Graph answers in a few hundred milliseconds when it is well. */
    public static final long MIN_CALL_MILLIS = 1_000;
    /** The longest one attempt may take: the client's connect (2 s) and read (4 s) time-outs. */
    static final long CALL_MILLIS = 6_000;
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

    /**
     * WhatsApp: a message to {@code waId} from the phone number; with {@code replies}, reply buttons under it (at most
     * three). Returns its {@code wamid}.
     */
    public String whatsAppSend(PageAccess number, String waId, String text, List<QuickReply> replies,
            Deadline deadline) {
        var body = replies.isEmpty() ? GraphModels.WhatsAppMessage.text(waId, text)
                : GraphModels.WhatsAppMessage.buttons(waId, text, replies);
        return call("whatsapp messages", deadline, () -> api.whatsAppSend(version, number.node(), number.bearer(),
                number.appsecretProof(), body)).messageId();
    }

    /** WhatsApp's {@code thread_control}: {@code pass} (to the escalation partner), {@code release}, {@code take}. */
    public void whatsAppThreadControl(PageAccess number, String waId, String action, String metadata,
            Deadline deadline) {
        var body = GraphModels.WhatsAppThreadControl.of(waId, action, metadata);
        call("whatsapp thread_control " + action, deadline, () -> api.whatsAppThreadControl(version, number.node(),
                number.bearer(), number.appsecretProof(), body));
    }

    /** "Typing..." for the user while a bot thinks ({@code sender_action: typing_on}); no message is sent. */
    public void typing(PageAccess page, String psid, Deadline deadline) {
        var body = new GraphModels.SenderAction(new Recipient(psid), "typing_on");
        call("typing_on", deadline,
                () -> api.senderAction(version, page.node(), page.bearer(), page.appsecretProof(), body));
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

    <T> T call(String what, Deadline deadline, Supplier<Uni<T>> request) {
        for (int attempt = 1;; attempt++) {
            long left = deadline.remainingMillis();
            if (left < MIN_CALL_MILLIS) {
                throw new OutOfTime(what + ": " + left + " ms left, not enough for a call");
            }
            // Graph's own time-outs (connect, read) hold when there is time; the time left caps them when not.
            long cap = Math.min(left, CALL_MILLIS);
            GraphException failure;
            // Waited for on this thread (no timer thread of Mutiny's); cancelling the future resets the request.
            var answer = request.get().subscribeAsCompletionStage();
            try {
                return answer.get(cap, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                answer.cancel(true);
                if (cap < CALL_MILLIS) {
                    throw new OutOfTime(what + ": no answer in the " + cap + " ms left");
                }
                failure = GraphException.network(new java.net.SocketTimeoutException("no answer in " + cap + " ms"));
            } catch (ExecutionException e) {
                failure = switch (e.getCause()) {
                    case GraphException graph -> graph;
                    case ProcessingException processing -> GraphException.network(processing.getCause() != null
                            ? processing.getCause() : processing);
                    case null -> GraphException.network(e);
                    default -> GraphException.network(e.getCause());
                };
            } catch (InterruptedException e) {
                answer.cancel(true);
                Thread.currentThread().interrupt();
                throw new OutOfTime(what + ": interrupted");
            }
            if (!failure.isTransient() || attempt >= MAX_ATTEMPTS) {
                throw failure;
            }
            LOG.infof("graph %s attempt %d failed: %s", what, attempt, failure.summary());
            // A pause is taken only if a call still fits after it. Without one: an error Graph answered stands (Graph
            // did not act, and the rules go on from it); a call that got no answer is of unknown outcome, left for
            // the redelivery.
            if (!(failure.isRateLimit() ? RATE_LIMIT : BLIP).await(attempt, deadline.less(MIN_CALL_MILLIS))) {
                if (failure.status() > 0) {
                    throw failure;
                }
                throw new OutOfTime(what + ": no time left to try again after " + failure.summary());
            }
        }
    }

    /**
     * The delivery's time ran out before Graph answered, or before a call could start or be tried again: whether the
     * call went through is unknown. Not a refusal: the step is left for the redelivery, which tries it again.
     */
    public static final class OutOfTime extends RuntimeException {
        public OutOfTime(String message) {
            super(message, null, false, false);
        }
    }
}
