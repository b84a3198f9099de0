package dev.messengerhandover.dev;

import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * {@code quarkus:dev} runs on an in-memory DynamoDB Local started here, before the table is created: no Docker, no AWS
 * account. Dev profile only; DynamoDB Local is a {@code provided} dependency and never part of function.zip.
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class DynamoDbLocalDevServer {

    private static final Logger LOG = Logger.getLogger(DynamoDbLocalDevServer.class);

    private DynamoDBProxyServer server;

    void start(@Observes @Priority(1) StartupEvent start,
            @ConfigProperty(name = "handover.dev.dynamodb-port", defaultValue = "8000") int port) throws Exception {
        if (System.getProperty("sqlite4java.library.path") == null && Files.isDirectory(Path.of("target/sqlite4java"))) {
            System.setProperty("sqlite4java.library.path", "target/sqlite4java");
        }
        server = ServerRunner.createServerFromCommandLineArgs(
                new String[] { "-inMemory", "-port", Integer.toString(port), "-disableTelemetry" });
        server.start();
        LOG.infof("DynamoDB Local (in memory) listening on http://localhost:%d", port);
    }

    void stop(@Observes ShutdownEvent stop) throws Exception {
        if (server != null) {
            server.stop();
        }
    }
}
