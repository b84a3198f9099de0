package dev.messengerhandover.http;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** The one error shape every endpoint answers with: {@code {"error":"..."}}, short, never a stack trace. */
public final class ApiError {

    private ApiError() {
    }

    public static Response of(int status, String message) {
        var quoted = new String(JsonStringEncoder.getInstance().quoteAsString(message));
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity("{\"error\":\"" + quoted + "\"}")
                .build();
    }
}
