package dev.messengerhandover.testing;

import java.io.IOException;
import java.net.ServerSocket;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;

/** Amazon DynamoDB Local, in memory, in this JVM, on a free port: the real DynamoDB API, no Docker. */
public final class DynamoDbLocal implements AutoCloseable {

    private final int port;
    private DynamoDBProxyServer server;

    public DynamoDbLocal() {
        this(freePort());
    }

    public DynamoDbLocal(int port) {
        this.port = port;
    }

    public DynamoDbLocal start() {
        try {
            server = ServerRunner.createServerFromCommandLineArgs(
                    new String[] { "-inMemory", "-port", Integer.toString(port), "-disableTelemetry" });
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start", e);
        }
        return this;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            server = null;
        }
    }

    public static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
