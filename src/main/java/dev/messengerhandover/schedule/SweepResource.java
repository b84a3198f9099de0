package dev.messengerhandover.schedule;

import java.time.Clock;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.http.ApiError;
import dev.messengerhandover.retry.Deadline;
import dev.messengerhandover.thread.Sweep;

/**
 * {@code POST /internal/sweep}: the EventBridge schedule's way in. It invokes the function directly with a constant
 * HTTP-shaped event ({@code events/scheduled-sweep.json}); the HTTP API has no route for this path, and a request
 * API Gateway forwards always carries its {@code apiId}, so one that does is refused as if the path did not exist.
 */
@Path("/internal/sweep")
public class SweepResource {

    private static final Logger LOG = Logger.getLogger(SweepResource.class);

    private final Sweep sweep;
    private final APIGatewayV2HTTPEvent event;
    private final com.amazonaws.services.lambda.runtime.Context lambda;
    private final Clock clock;
    private final HandoverConfig config;

    public SweepResource(Sweep sweep, APIGatewayV2HTTPEvent event, com.amazonaws.services.lambda.runtime.Context lambda,
            Clock clock, HandoverConfig config) {
        this.sweep = sweep;
        this.event = event;
        this.lambda = lambda;
        this.clock = clock;
        this.config = config;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Response run() {
        if (!fromTheSchedule()) {
            return ApiError.of(404, "not found");
        }
        var r = sweep.run(clock.millis(), Deadline.forInvocation(config.deliveryBudget(), lambda == null ? 0
                : lambda.getRemainingTimeInMillis()));
        return Response.ok("{\"visited\":" + r.visited() + ",\"alerted\":" + r.alerted() + ",\"gaveUp\":" + r.gaveUp()
                + ",\"lapsed\":" + r.lapsed() + ",\"offered\":" + r.offered() + ",\"left\":" + r.left() + "}").build();
    }

    /** Invoked directly, not through API Gateway; a request whose event cannot be read is refused. */
    private boolean fromTheSchedule() {
        try {
            var context = event.getRequestContext();
            if (context != null && context.getApiId() == null) {
                return true;
            }
            LOG.warn("sweep refused: the request came through API Gateway");
        } catch (RuntimeException e) {
            LOG.warnf("sweep refused: no Lambda event (%s)", e.getClass().getSimpleName());
        }
        return false;
    }
}
