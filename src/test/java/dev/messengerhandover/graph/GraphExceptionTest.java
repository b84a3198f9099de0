package dev.messengerhandover.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GraphExceptionTest {

    @Test
    void readsGraphsErrorBody() {
        var e = GraphException.fromResponse(400, """
                {"error":{"message":"(#100) No matching user found","type":"OAuthException","code":100,
                 "error_subcode":2018001,"fbtrace_id":"AbC"}}""");
        assertThat(e.code()).isEqualTo(100);
        assertThat(e.subcode()).isEqualTo(2018001);
        assertThat(e.fbtraceId()).isEqualTo("AbC");
        assertThat(e.isTransient()).isFalse();
        assertThat(e.summary()).contains("permanent").contains("No matching user found");
    }

    @Test
    void rateLimitsTemporaryErrorsAndServerErrorsAreTransient() {
        for (int code : new int[] { 1, 2, 4, 17, 32, 613 }) {
            assertThat(GraphException.fromResponse(400, "{\"error\":{\"code\":" + code + "}}").isTransient())
                    .as("code %d", code).isTrue();
        }
        assertThat(GraphException.fromResponse(400, "{\"error\":{\"code\":100,\"is_transient\":true}}")
                .isTransient()).isTrue();
        assertThat(GraphException.fromResponse(502, "<html>Bad gateway</html>").isTransient()).isTrue();
        assertThat(GraphException.fromResponse(429, null).isRateLimit()).isTrue();
        assertThat(GraphException.fromResponse(400, "{\"error\":{\"code\":190}}").isTransient()).isFalse();
    }
}
