package dev.messengerhandover.http;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.messengerhandover.store.StorageException;
import dev.messengerhandover.thread.ThreadBusyException;
import dev.messengerhandover.thread.WorkLeftException;

/**
 * Failures that escape a resource. Our storage failing is a 500, a thread busy past the budget and work the budget
 * did not cover a 503, so that Messenger redelivers (every event is safe to apply again); anything unexpected is a 500 with a short message, the
 * details only in the log.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response storage(StorageException e) {
        LOG.errorf(e, "storage unavailable, asking for redelivery: %s", e.getMessage());
        return ApiError.of(500, "storage unavailable, retry later");
    }

    /** Not a failure: the thread was busy for the whole budget. Messenger's redelivery will find it free. */
    @ServerExceptionMapper
    public Response busy(ThreadBusyException e) {
        LOG.warnf("thread busy, asking for redelivery: %s", e.getMessage());
        return ApiError.of(503, "thread busy, retry later");
    }

    /** Not a failure either: the time ran out with steps left, which are stored; the redelivery finishes them. */
    @ServerExceptionMapper
    public Response unfinished(WorkLeftException e) {
        LOG.warnf("work left, asking for redelivery: %s", e.getMessage());
        return ApiError.of(503, UNFINISHED);
    }

    /** What a delivery whose time ran out with work left is answered. */
    public static final String UNFINISHED = "unfinished in time, retry later";

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return ApiError.of(status, status == 404 ? "not found"
                : status == 405 ? "method not allowed"
                : status == 415 ? "unsupported media type"
                : status < 500 ? "bad request" : "internal error");
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("unexpected failure", e);
        return ApiError.of(500, "internal error");
    }
}
