package dev.messengerhandover.dev;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Dev mode: Quarkus's Lambda mock event server answers the function's {@code /next} long poll on a worker of its own
 * Vert.x, which waits as long as no delivery comes, and that Vert.x warns, with a stack trace, once the wait passes an
 * hour ("has been blocked for 3600899 ms"). Waiting for work is what a Lambda poll loop does: those warnings, and only
 * those, are dropped. Every other blocked-thread warning is still logged.
 */
@LoggingFilter(name = "lambda-long-poll")
public final class LambdaLongPollFilter implements Filter {

    static final String CHECKER = "io.vertx.core.impl.BlockedThreadChecker";
    static final String MOCK_EVENT_SERVER = "io.quarkus.amazon.lambda.runtime.MockEventServer";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!CHECKER.equals(record.getLoggerName()) || record.getThrown() == null) {
            return true;
        }
        for (var frame : record.getThrown().getStackTrace()) {
            if (frame.getClassName().startsWith(MOCK_EVENT_SERVER)) {
                return false;
            }
        }
        return true;
    }
}
