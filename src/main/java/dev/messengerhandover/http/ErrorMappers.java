package dev.messengerhandover.http;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.messengerhandover.store.StorageException;

/**
 * Failures that escape a resource. Our storage failing is a 500 so that Messenger redelivers (every event is safe to
 * apply again); anything unexpected is a 500 with a short message, the details only in the log.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response storage(StorageException e) {
        LOG.errorf(e, "storage unavailable, asking for redelivery: %s", e.getMessage());
        return ApiError.of(500, "storage unavailable, retry later");
    }

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
