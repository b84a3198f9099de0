package dev.messengerhandover.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy in front of DynamoDB Local that a test can switch off: while down, open connections are cut and new ones
 * reset, as when DynamoDB is unreachable. The data behind it survives, as it would in AWS.
 */
public final class FaultyProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        var t = new Thread(r, "faulty-proxy");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
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

    private void accept() {
        while (!server.isClosed()) {
            try {
                var client = server.accept();
                if (down) {
                    client.setSoLinger(true, 0); // RST, not a polite close
                    client.close();
                    continue;
                }
                var upstream = new Socket("127.0.0.1", targetPort);
                open.add(client);
                open.add(upstream);
                pool.execute(() -> pipe(client, upstream));
                pool.execute(() -> pipe(upstream, client));
            } catch (IOException e) {
                // closed, or a connection that failed: keep serving the others
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            var buffer = new byte[16 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
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
