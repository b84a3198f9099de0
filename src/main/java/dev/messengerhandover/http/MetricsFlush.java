package dev.messengerhandover.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

import dev.messengerhandover.metrics.HandoverMetrics;
import dev.messengerhandover.metrics.Measurements;

/**
 * Ends every request by writing its metrics, before the answer leaves (Lambda freezes the function after it), and
 * counts each webhook delivery by what it was answered.
 */
@Provider
public class MetricsFlush implements ContainerResponseFilter {

    private final HandoverMetrics metrics;

    public MetricsFlush(HandoverMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if ("POST".equals(request.getMethod()) && "webhook".equals(request.getUriInfo().getPath().replace("/", ""))) {
            metrics.add(Measurements.delivery(outcome(response)));
        }
        metrics.flush();
    }

    static String outcome(ContainerResponseContext response) {
        int status = response.getStatus();
        if (status == 200) {
            var entity = response.getEntity();
            return entity instanceof String s && s.contains("\"ignored\"") ? "ignored" : "ok";
        }
        if (status == 503) {
            var entity = response.getEntity();
            return entity instanceof String s && s.contains(ErrorMappers.UNFINISHED) ? "unfinished" : "busy";
        }
        return status >= 500 ? "storage_error" : "rejected";
    }
}
