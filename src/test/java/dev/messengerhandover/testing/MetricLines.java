package dev.messengerhandover.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The function's metrics as CloudWatch would read them: the Embedded Metric Format lines it writes to standard output,
 * kept while standard output passes through here ({@link #install} before the function starts, {@link #uninstall}
 * after), everything else passed on untouched.
 */
public final class MetricLines {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<JsonNode> DOCUMENTS = new ArrayList<>();
    private static PrintStream original;

    private MetricLines() {
    }

    public static synchronized void install() {
        if (original == null) {
            original = System.out;
            System.setOut(new PrintStream(new Tee(original), true, StandardCharsets.UTF_8));
        }
    }

    public static synchronized void uninstall() {
        if (original != null) {
            System.setOut(original);
            original = null;
        }
    }

    /** The EMF documents written so far, in order. */
    public static List<JsonNode> documents() {
        synchronized (DOCUMENTS) {
            return List.copyOf(DOCUMENTS);
        }
    }

    /** The values written of {@code metric} with the dimension {@code name} = {@code value}. */
    public static List<Double> values(String metric, String name, String value) {
        var values = new ArrayList<Double>();
        for (var document : documents()) {
            if (document.has(metric) && value.equals(document.path(name).asText(null))) {
                var v = document.get(metric);
                if (v.isArray()) {
                    v.forEach(n -> values.add(n.asDouble()));
                } else {
                    values.add(v.asDouble());
                }
            }
        }
        return values;
    }

    private static void keep(String line) {
        if (!line.startsWith("{\"_aws\"")) {
            return;
        }
        try {
            var document = JSON.readTree(line);
            synchronized (DOCUMENTS) {
                DOCUMENTS.add(document);
            }
        } catch (IOException notOneDocument) {
            // another writer's bytes in the middle of the line: not a metric to count
        }
    }

    /** Passes every byte on, and hands each complete line to {@link #keep}. */
    private static final class Tee extends OutputStream {
        private final OutputStream out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Tee(OutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            out.write(b);
            if (b == '\n') {
                keep(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    keep(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b[i]);
                }
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }
}
