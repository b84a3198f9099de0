package dev.messengerhandover.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.amazonaws.services.lambda.runtime.Context;

import io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler;

/**
 * The JVM variant's Lambda handler: Quarkus's own, with one difference. When start-up is refused (a missing secret, a
 * malformed setting or catalogue), Lambda's runtime reports the handler's exception in {@code /init/error}, which is
 * what the console and {@code aws lambda invoke} show: Quarkus says only "Quarkus manual initialization failed". This
 * handler says which setting and why, as the log does.
 */
// Not a RequestStreamHandler by type (Quarkus allows one handler class, its own): Lambda's Java runtime calls a
// handler method of this signature all the same.
public class LambdaHandler {

    private final QuarkusStreamHandler quarkus;

    public LambdaHandler() {
        try {
            quarkus = new QuarkusStreamHandler();
        } catch (RuntimeException | Error e) {
            throw new StartRefused(why(e), e);
        }
    }

    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        quarkus.handleRequest(input, output, context);
    }

    /** The deepest message in the causes: the setting and what is wrong with it. */
    static String why(Throwable e) {
        String message = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        return "the function refused to start: " + (message == null ? e.getClass().getName() : message.strip());
    }

    /** Start-up refused; its message is the reason. No stack trace of its own: the cause has it. */
    public static final class StartRefused extends RuntimeException {
        StartRefused(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }
}
