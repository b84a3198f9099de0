package dev.messengerhandover.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

class LambdaLongPollFilterTest {

    final LambdaLongPollFilter filter = new LambdaLongPollFilter();

    @Test
    void theMockEventServersWaitIsDroppedEveryOtherBlockedThreadIsKept() {
        assertThat(filter.isLoggable(blocked("io.quarkus.amazon.lambda.runtime.MockEventServer", "nextEvent")))
                .isFalse();
        assertThat(filter.isLoggable(blocked("dev.messengerhandover.thread.ThreadService", "apply"))).isTrue();
        var other = new LogRecord(Level.WARNING, "something else");
        other.setLoggerName("dev.messengerhandover.webhook.WebhookResource");
        assertThat(filter.isLoggable(other)).isTrue();
        var withoutTrace = new LogRecord(Level.WARNING, "Thread blocked");
        withoutTrace.setLoggerName(LambdaLongPollFilter.CHECKER);
        assertThat(filter.isLoggable(withoutTrace)).isTrue();
    }

    private static LogRecord blocked(String className, String method) {
        var record = new LogRecord(Level.WARNING, "Thread Thread[#99,vert.x-worker-thread-0,5,main] has been blocked"
                + " for 3600899 ms, time limit is 3600000 ms");
        record.setLoggerName(LambdaLongPollFilter.CHECKER);
        var stuck = new RuntimeException("Thread blocked");
        stuck.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("java.util.concurrent.LinkedBlockingQueue", "poll", null, 1),
                new StackTraceElement(className, method, null, 2) });
        record.setThrown(stuck);
        return record;
    }
}
