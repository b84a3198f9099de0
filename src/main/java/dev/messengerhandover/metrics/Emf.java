package dev.messengerhandover.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * CloudWatch Embedded Metric Format, as AWS publishes it: each document is one JSON object on one log line, with an
 * {@code _aws} member (a millisecond {@code Timestamp} and {@code CloudWatchMetrics} directives: a
 * {@code Namespace}, {@code Dimensions} as arrays of member names, and {@code Metrics} with a {@code Name} and
 * {@code Unit}), the dimensions' values as string members and each metric's value as a number or an array of up to 100
 * numbers. CloudWatch Logs extracts the metrics from the log line: no API call, nothing on the hot path but a write.
 *
 * <p>Written here rather than with AWS's {@code aws-embedded-metrics} library: that serialises its model through
 * Jackson reflection (native-image configuration to keep in step) and brings its own environment detection and
 * sinks, for what is a few JSON members. Tree nodes need no reflection.
 */
public final class Emf {

    /** EMF: at most 100 values of one metric in one document. */
    static final int MAX_VALUES = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Emf() {
    }

    /** One value of a metric, with the values of its dimensions. */
    public record Measurement(Metric metric, Map<String, String> dimensions, double value) {
        public Measurement {
            dimensions = Map.copyOf(dimensions);
            for (var name : metric.dimensions()) {
                if (dimensions.get(name) == null || dimensions.get(name).isEmpty()) {
                    throw new IllegalArgumentException(metric.metricName() + " needs the dimension " + name);
                }
            }
        }
    }

    /**
     * The documents for {@code measurements}: one per metric and dimension values, whose values form one array
     * (several documents past {@link #MAX_VALUES}), in the order of their first measurement.
     */
    public static List<String> documents(String namespace, long timestampMillis, List<Measurement> measurements) {
        var groups = new LinkedHashMap<Group, List<Double>>();
        for (var m : measurements) {
            groups.computeIfAbsent(new Group(m.metric(), m.dimensions()), g -> new ArrayList<>()).add(m.value());
        }
        var lines = new ArrayList<String>();
        groups.forEach((group, values) -> {
            for (int from = 0; from < values.size(); from += MAX_VALUES) {
                lines.add(document(namespace, timestampMillis, group, values.subList(from,
                        Math.min(values.size(), from + MAX_VALUES))));
            }
        });
        return lines;
    }

    private record Group(Metric metric, Map<String, String> dimensions) {
        Group {
            Objects.requireNonNull(metric);
        }
    }

    private static String document(String namespace, long timestamp, Group group, List<Double> values) {
        var root = JSON.createObjectNode();
        var aws = root.putObject("_aws");
        aws.put("Timestamp", timestamp);
        var directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        var sets = directive.putArray("Dimensions");
        for (var set : group.metric().dimensionSets()) {
            var names = sets.addArray();
            set.forEach(names::add);
        }
        directive.putArray("Metrics").addObject().put("Name", group.metric().metricName())
                .put("Unit", group.metric().unit().wire());
        for (var name : group.metric().dimensions()) {
            root.put(name, group.dimensions().get(name));
        }
        put(root, group.metric().metricName(), values);
        return root.toString();
    }

    private static void put(ObjectNode root, String name, List<Double> values) {
        if (values.size() == 1) {
            number(root, name, values.get(0));
            return;
        }
        var array = root.putArray(name);
        for (double v : values) {
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                array.add((long) v);
            } else {
                array.add(v);
            }
        }
    }

    private static void number(ObjectNode root, String name, double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            root.put(name, (long) v);
        } else {
            root.put(name, v);
        }
    }
}
