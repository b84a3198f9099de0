package dev.messengerhandover.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The function's program, as the native image's {@code bootstrap} runs it ({@code provided.al2023}): Quarkus, which
 * polls Lambda's Runtime API for deliveries. One addition: when start-up is refused (a missing secret, a malformed
 * setting or catalogue), Lambda is told why through {@code /init/error} (what the console and {@code aws lambda
 * invoke} report) before the process ends, not only the log. The JVM variant's handler does the same
 * ({@link LambdaHandler}).
 */
@QuarkusMain
public class LambdaMain {

    private LambdaMain() {
    }

    public static void main(String... args) {
        var runtimeApi = System.getenv("AWS_LAMBDA_RUNTIME_API");
        if (runtimeApi == null || runtimeApi.isBlank()) {
            Quarkus.run(Serve.class, args); // dev mode, or a run of the jar outside Lambda
            return;
        }
        Quarkus.run(Serve.class, (status, failure) -> {
            if (failure != null) {
                initError(runtimeApi, LambdaHandler.why(failure));
            }
            System.exit(status);
        }, args);
    }

    /** Serves until Lambda ends the environment: the Runtime API poll loop does the work. */
    public static class Serve implements QuarkusApplication {
        @Override
        public int run(String... args) {
            Quarkus.waitForExit();
            return 0;
        }
    }

    /** Lambda's Runtime API: {@code POST /2018-06-01/runtime/init/error}, best effort (the log has it too). */
    static void initError(String runtimeApi, String why) {
        var message = new String(JsonStringEncoder.getInstance().quoteAsString(why));
        var body = "{\"errorMessage\":\"" + message + "\",\"errorType\":\"Runtime.ConfigError\"}";
        try {
            var request = HttpRequest.newBuilder(URI.create("http://" + runtimeApi + "/2018-06-01/runtime/init/error"))
                    .timeout(Duration.ofSeconds(2)).header("Content-Type", "application/json")
                    .header("Lambda-Runtime-Function-Error-Type", "Runtime.ConfigError")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
            HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("could not tell Lambda why start-up was refused: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
