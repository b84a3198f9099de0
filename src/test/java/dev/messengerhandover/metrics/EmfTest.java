package dev.messengerhandover.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.messengerhandover.handover.Reason;
import dev.messengerhandover.handover.ThreadState;
import dev.messengerhandover.handover.ThreadState.Transition;
import dev.messengerhandover.handover.TransitionKind;
import dev.messengerhandover.metrics.Emf.Measurement;
import dev.messengerhandover.metrics.Metric.Dimension;

/**
 * The EMF lines, checked against the format AWS publishes (the specification of the Embedded Metric Format), and the
 * measurements a thread's transitions make.
 */
public class EmfTest {

    static final ObjectMapper JSON = new ObjectMapper();
    /** CloudWatch's units, as the specification lists them. */
    static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");

    /** Every rule of the specification a document of ours could break; returns the document. */
    public static JsonNode assertValidEmf(String line) throws Exception {
        assertThat(line).doesNotContain("\n");
        var root = JSON.readTree(line);
        assertThat(root.isObject()).isTrue();
        var aws = root.path("_aws");
        assertThat(aws.isObject()).as("_aws").isTrue();
        assertThat(aws.path("Timestamp").isIntegralNumber()).as("_aws.Timestamp, epoch ms").isTrue();
        var directives = aws.path("CloudWatchMetrics");
        assertThat(directives.isArray() && directives.size() >= 1).as("CloudWatchMetrics").isTrue();
        for (var d : directives) {
            assertThat(d.path("Namespace").isTextual()).isTrue();
            assertThat(d.path("Namespace").asText()).isNotBlank().hasSizeLessThanOrEqualTo(255);
            assertThat(d.path("Dimensions").isArray()).isTrue();
            for (var set : d.path("Dimensions")) {
                assertThat(set.isArray()).isTrue();
                assertThat(set.size()).isLessThanOrEqualTo(30);
                for (var name : set) {
                    var value = root.path(name.asText());
                    assertThat(value.isTextual()).as("dimension %s: a string member", name).isTrue();
                    assertThat(value.asText()).isNotBlank().hasSizeLessThanOrEqualTo(1024);
                }
            }
            assertThat(d.path("Metrics").isArray()).isTrue();
            assertThat(d.path("Metrics").size()).isBetween(1, 100);
            for (var m : d.path("Metrics")) {
                var name = m.path("Name").asText();
                assertThat(name).isNotBlank().hasSizeLessThanOrEqualTo(1024);
                assertThat(UNITS).contains(m.path("Unit").asText());
                var value = root.path(name);
                if (value.isArray()) {
                    assertThat(value.size()).isBetween(1, Emf.MAX_VALUES);
                    value.forEach(v -> assertThat(v.isNumber()).isTrue());
                } else {
                    assertThat(value.isNumber()).as("metric %s: a number", name).isTrue();
                }
            }
        }
        return root;
    }

    @Test
    void everyMetricWritesDocumentsOfThePublishedFormat() throws Exception {
        var measurements = new ArrayList<Measurement>();
        for (var metric : Metric.values()) {
            var dims = new java.util.HashMap<String, String>();
            metric.dimensions().forEach(d -> dims.put(d, "value-of-" + d));
            for (int i = 0; i < 250; i++) {
                measurements.add(new Measurement(metric, dims, i * 1.5));
            }
        }
        var lines = Emf.documents("MessengerHandover/test", 1_764_000_000_000L, measurements);
        assertThat(lines).hasSize(Metric.values().length * 3); // 250 values: 100 + 100 + 50
        for (var line : lines) {
            var root = assertValidEmf(line);
            assertThat(root.path("_aws").path("Timestamp").asLong()).isEqualTo(1_764_000_000_000L);
        }
        var first = JSON.readTree(lines.get(0));
        assertThat(first.path("Handoffs").size()).isEqualTo(100);
        assertThat(first.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").toString())
                .isEqualTo("[[\"Account\",\"Reason\"],[]]");
    }

    @Test
    void aMeasurementWithoutItsDimensionsIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Measurement(Metric.HANDOFFS,
                Map.of(Dimension.ACCOUNT, "p"), 1)).hasMessageContaining("Reason");
    }

    @Test
    void aHoldCountsItsHandoffTheWaitForTheFirstAgentAndTheReturn() {
        var before = ThreadState.initial("page-1", "user-1", "bot");
        var after = before;
        after = after.withTransition(new Transition(1_000, TransitionKind.PASSED, "bot", "inbox", Reason.USER_ASKED,
                null, null));
        after = after.withTransition(new Transition(61_000, TransitionKind.ANSWERED, "inbox", "inbox",
                Reason.USER_ASKED, null, 60_000L));
        after = after.withTransition(new Transition(601_000, TransitionKind.RETURNED, "inbox", "bot", Reason.DONE,
                null, 600_000L));
        var m = Measurements.of(before, after, "bot");
        assertThat(m).extracting(x -> x.metric().metricName(), x -> x.dimensions(), x -> (long) x.value())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("Handoffs", Map.of("Account", "page-1", "Reason",
                                "user_asked"), 1L),
                        org.assertj.core.groups.Tuple.tuple("TimeToFirstAgentReply", Map.of("Account", "page-1"),
                                60_000L),
                        org.assertj.core.groups.Tuple.tuple("Returns", Map.of("Account", "page-1", "Kind", "done"), 1L),
                        org.assertj.core.groups.Tuple.tuple("TimeHeldByAgents", Map.of("Account", "page-1"),
                                600_000L));
        assertThat(Measurements.of(after, after, "bot")).as("nothing new, nothing counted").isEmpty();
    }

    @Test
    void unansweredHandoffsAreCountedByWhatBecameOfThem() {
        var before = ThreadState.initial("page-1", "user-1", "bot");
        var after = before
                .withTransition(new Transition(1, TransitionKind.ALERTED, "inbox", null, Reason.USER_ASKED, null, 1L))
                .withTransition(new Transition(2, TransitionKind.TAKEN_BACK, "inbox", "bot", Reason.NOBODY_ANSWERED,
                        null, 2L))
                .withTransition(new Transition(3, TransitionKind.EXPIRED, "inbox", "bot", Reason.UNANSWERED, null,
                        3L))
                .withTransition(new Transition(4, TransitionKind.SURVEY_ANSWERED, "bot", null, Reason.NOT_SATISFIED,
                        null, null));
        var outcomes = Measurements.of(before, after, "bot").stream()
                .filter(x -> x.metric() == Metric.UNANSWERED_HANDOFFS || x.metric() == Metric.SATISFACTION_ANSWERS)
                .map(x -> x.dimensions().getOrDefault("Outcome", x.dimensions().get("Answer"))).toList();
        assertThat(outcomes).containsExactly("alerted", "gave_up", "expired", "no");
    }

    @Test
    void flushWritesOneDocumentALineAndForgetsWhatItWrote() throws Exception {
        var bytes = new ByteArrayOutputStream();
        var metrics = new HandoverMetrics(true, "MessengerHandover/test", new PrintStream(bytes, true,
                StandardCharsets.UTF_8), Clock.fixed(Instant.ofEpochMilli(42), ZoneOffset.UTC));
        metrics.add(Measurements.delivery("ok"));
        metrics.add(Measurements.delivery("ok"));
        metrics.add(Measurements.delivery("rejected"));
        metrics.flush();
        metrics.flush();
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        for (var line : lines) {
            assertValidEmf(line);
        }
        assertThat(JSON.readTree(lines.get(0)).path("Deliveries").toString()).isEqualTo("[1,1]");
        assertThat(JSON.readTree(lines.get(1)).path("Outcome").asText()).isEqualTo("rejected");

        var off = new ByteArrayOutputStream();
        var disabled = new HandoverMetrics(false, "x", new PrintStream(off), Clock.systemUTC());
        disabled.add(Measurements.delivery("ok"));
        disabled.flush();
        assertThat(off.size()).isZero();
    }
}
