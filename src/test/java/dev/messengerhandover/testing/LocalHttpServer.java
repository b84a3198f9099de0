package dev.messengerhandover.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/** A JDK HTTP server on 127.0.0.1 and a free port: what the Graph, Lambda Runtime API and DynamoDB stand-ins run on. */
final class LocalHttpServer implements AutoCloseable {

    static {
        // The JDK server writes headers and body in separate packets: without TCP_NODELAY every exchange waits out
        // the peer's delayed ACK (about 40 ms), which would be measured as our latency.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    // Cached, not fixed: a stand-in told to hang must not starve the requests behind it.
    private final ExecutorService executor;

    LocalHttpServer(String name, String context, HttpHandler handler) {
        executor = Executors.newCachedThreadPool(r -> {
            var thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext(context, handler);
        server.setExecutor(executor);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Answers with {@code body} (no body at all when it is empty). */
    static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
