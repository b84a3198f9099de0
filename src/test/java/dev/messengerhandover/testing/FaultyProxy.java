package dev.messengerhandover.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP/1.1 proxy in front of DynamoDB Local that a test can switch off or make misbehave. While down, open
 * connections are cut and new ones reset, as when DynamoDB is unreachable. Scripted faults hit chosen requests of one
 * operation ({@code X-Amz-Target}, e.g. {@code GetItem}, {@code UpdateItem}, {@code PutItem}): answered as DynamoDB
 * answers when it throttles or fails, or with the connection reset before or after DynamoDB applied the request. The
 * data behind it survives, as it would in AWS.
 */
public final class FaultyProxy implements AutoCloseable {

    /** How a request fails. */
    public enum Fault {
        /** HTTP 400, the table's provisioned throughput exceeded: the SDK retries it as throttling. */
        THROUGHPUT_EXCEEDED(400, "ProvisionedThroughputExceededException",
                "The level of configured provisioned throughput for the table was exceeded."),
        /** HTTP 400, the account's request rate exceeded (control plane and on-demand limits). */
        THROTTLING(400, "ThrottlingException", "Rate of requests exceeds the allowed throughput."),
        /** HTTP 500, DynamoDB's own failure. */
        INTERNAL_SERVER_ERROR(500, "InternalServerError", "Internal server error"),
        /** The connection reset before the request reaches DynamoDB: nothing applied. */
        RESET_BEFORE(0, null, null),
        /** The connection reset after DynamoDB applied the request: the answer is lost, the write is not. */
        RESET_AFTER(0, null, null);

        final int status;
        final String type;
        final String message;

        Fault(int status, String type, String message) {
            this.status = status;
            this.type = type;
            this.message = message;
        }
    }

    /** Requests of {@code operation} (any when null): skip {@code skip} of them, then fail the next {@code times}. */
    private static final class Rule {
        final String operation;
        final Fault fault;
        final AtomicInteger skip;
        final AtomicInteger times;

        Rule(String operation, int skip, int times, Fault fault) {
            this.operation = operation;
            this.fault = fault;
            this.skip = new AtomicInteger(skip);
            this.times = new AtomicInteger(times);
        }

        /** Whether this request is one to fail; counts it either way. */
        synchronized boolean hits(String op) {
            if (operation != null && !operation.equals(op) || times.get() <= 0) {
                return false;
            }
            if (skip.getAndDecrement() > 0) {
                return false;
            }
            return times.getAndDecrement() > 0;
        }
    }

    private static final Set<String> HOP = Set.of("connection", "keep-alive");

    private final ServerSocket server;
    private final int targetPort;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        var t = new Thread(r, "faulty-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Rule> rules = new ConcurrentLinkedQueue<>();
    private final LongAdder injected = new LongAdder();
    private volatile boolean down;

    public FaultyProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress("127.0.0.1", 0));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        pool.execute(this::accept);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public void down() {
        down = true;
        open.forEach(FaultyProxy::closeQuietly);
        open.clear();
    }

    public void up() {
        down = false;
    }

    /** After {@code skip} further requests of {@code operation} (null: any), the next {@code times} fail so. */
    public void fail(String operation, int skip, int times, Fault fault) {
        rules.add(new Rule(operation, skip, times, fault));
    }

    /** Drops the scripted faults not yet used up. */
    public void heal() {
        rules.clear();
    }

    /** Requests answered with a fault since start. */
    public long injected() {
        return injected.sum();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                var client = server.accept();
                if (down) {
                    reset(client);
                    continue;
                }
                open.add(client);
                pool.execute(() -> serve(client));
            } catch (IOException e) {
                // closed, or a connection that failed: keep serving the others
            }
        }
    }

    /** One client connection, request after request (keep-alive), over one upstream connection. */
    private void serve(Socket client) {
        Socket upstream = null;
        InputStream upstreamIn = null;
        try (client) {
            client.setTcpNoDelay(true);
            var in = new BufferedInputStream(client.getInputStream());
            var out = client.getOutputStream();
            while (true) {
                var request = Message.read(in, false);
                if (request == null) {
                    return;
                }
                var operation = request.operation();
                var fault = faultFor(operation);
                if (fault == Fault.RESET_BEFORE) {
                    reset(client);
                    return;
                }
                if (fault != null && fault.status > 0) {
                    out.write(error(fault));
                    out.flush();
                    continue;
                }
                if (upstream == null) {
                    upstream = new Socket("127.0.0.1", targetPort);
                    upstream.setTcpNoDelay(true);
                    upstreamIn = new BufferedInputStream(upstream.getInputStream());
                    open.add(upstream);
                }
                var upstreamOut = upstream.getOutputStream();
                upstreamOut.write(request.bytes());
                upstreamOut.flush();
                var response = Message.read(upstreamIn, true);
                if (response == null) {
                    return;
                }
                if (fault == Fault.RESET_AFTER) {
                    reset(client);
                    return;
                }
                out.write(response.bytes());
                out.flush();
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            open.remove(client);
            if (upstream != null) {
                open.remove(upstream);
                closeQuietly(upstream);
            }
        }
    }

    private Fault faultFor(String operation) {
        for (var rule : rules) {
            if (rule.hits(operation)) {
                injected.increment();
                return rule.fault;
            }
        }
        return null;
    }

    /** DynamoDB's error answer (JSON 1.0 protocol): the type in {@code x-amzn-ErrorType} and in the body. */
    private static byte[] error(Fault fault) {
        var body = ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#" + fault.type + "\",\"message\":\""
                + fault.message + "\"}").getBytes(StandardCharsets.UTF_8);
        var head = "HTTP/1.1 " + fault.status + (fault.status == 400 ? " Bad Request" : " Internal Server Error")
                + "\r\nx-amzn-RequestId: FAULT" + Long.toHexString(System.nanoTime()).toUpperCase(Locale.ROOT)
                + "\r\nx-amzn-ErrorType: " + fault.type + ":http://internal.amazon.com/coral/com.amazon.coral.service/"
                + "\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: " + body.length + "\r\n\r\n";
        var all = new ByteArrayOutputStream();
        all.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        all.writeBytes(body);
        return all.toByteArray();
    }

    /** An HTTP/1.1 request or response as bytes to relay (hop-by-hop headers dropped), framed by length or chunks. */
    private record Message(byte[] bytes, String operation) {

        static Message read(InputStream in, boolean response) throws IOException {
            var head = new ByteArrayOutputStream();
            String line = readLine(in);
            if (line == null) {
                return null;
            }
            head.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            long length = response && line.contains(" 204 ") ? 0 : -1;
            boolean chunked = false;
            String operation = "?";
            while (!(line = requireLine(in)).isEmpty()) {
                int colon = line.indexOf(':');
                var name = line.substring(0, Math.max(colon, 0)).trim().toLowerCase(Locale.ROOT);
                var value = line.substring(colon + 1).trim();
                if (HOP.contains(name)) {
                    continue;
                }
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "x-amz-target" -> operation = value.substring(value.indexOf('.') + 1);
                    default -> {
                    }
                }
                head.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            head.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (chunked) {
                copyChunks(in, head);
            } else if (length > 0) {
                head.writeBytes(in.readNBytes((int) length));
            }
            return new Message(head.toByteArray(), operation);
        }

        private static void copyChunks(InputStream in, ByteArrayOutputStream out) throws IOException {
            while (true) {
                var sizeLine = requireLine(in);
                out.writeBytes((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    String trailer;
                    while (!(trailer = requireLine(in)).isEmpty()) {
                        out.writeBytes((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    }
                    out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    return;
                }
                out.writeBytes(in.readNBytes(size));
                out.writeBytes((requireLine(in) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
        }

        private static String requireLine(InputStream in) throws IOException {
            var line = readLine(in);
            if (line == null) {
                throw new IOException("connection closed mid-message");
            }
            return line;
        }

        /** A CRLF-terminated line, or null at the end of the stream before any byte of it. */
        private static String readLine(InputStream in) throws IOException {
            var line = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\n') {
                    int end = line.length();
                    return line.substring(0, end > 0 && line.charAt(end - 1) == '\r' ? end - 1 : end);
                }
                line.append((char) b);
            }
            if (line.length() == 0) {
                return null;
            }
            throw new IOException("connection closed mid-line");
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // RST, not a polite close
        } catch (IOException ignored) {
            // already gone
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        down();
        closeServer();
        pool.shutdownNow();
    }

    private void closeServer() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
