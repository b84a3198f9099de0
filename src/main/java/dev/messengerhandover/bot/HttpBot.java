package dev.messengerhandover.bot;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.messengerhandover.handover.BotAnswer;
import dev.messengerhandover.handover.BotFailure;
import dev.messengerhandover.handover.BotRequest;
import dev.messengerhandover.retry.Deadline;

/**
 * A team's own bot behind a URL ({@code handover.bot=http}): one signed POST of {@link HttpBotContract.Request} per
 * event, its answer read as {@link HttpBotContract#answer}. The JDK's HTTP client, not the REST client: the URL is
 * each account's own, the signature is over the exact bytes sent, and every request is cut off at the delivery's
 * deadline. Built on first use: a deployment with another bot never starts it.
 */
@ApplicationScoped
public class HttpBot {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Duration CONNECT = Duration.ofSeconds(2);

    private volatile HttpClient http;

    /** What the bot answered to {@code request}, within the deadline; a {@link BotException} when it did not. */
    public BotAnswer ask(BotSettings.Http settings, BotRequest request, Deadline deadline) {
        byte[] body;
        try {
            body = BotCalls.JSON.writeValueAsBytes(HttpBotContract.request(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the request to the http bot could not be written", e);
        }
        var timeout = BotCalls.timeLeft(deadline, "http bot");
        var post = HttpRequest.newBuilder(settings.url()).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(BotSignature.HEADER, BotSignature.header(settings.secret(), body))
                .header(IDEMPOTENCY_KEY, idempotencyKey(request))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        var answer = client().sendAsync(post, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> response;
        try {
            // The request's time-out ends the wait for the headers, this one the body's too.
            response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new BotException(BotFailure.TIMEOUT, "http bot: no answer in " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new BotException(BotFailure.TIMEOUT, "http bot: interrupted");
        } catch (ExecutionException e) {
            throw switch (e.getCause()) {
                case HttpConnectTimeoutException c -> new BotException(BotFailure.ERROR, "http bot: no connection");
                case HttpTimeoutException t -> new BotException(BotFailure.TIMEOUT, "http bot: no answer in "
                        + timeout.toMillis() + " ms");
                case IOException io -> new BotException(BotFailure.ERROR, "http bot unreachable: "
                        + io.getClass().getSimpleName());
                case null, default -> new BotException(BotFailure.ERROR, "http bot: " + e.getCause());
            };
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            // A redirect counts as refused: the URL is a setting to fix, and following it would leave the signature
            // with whoever it points at.
            throw new BotException(status / 100 == 3 ? BotFailure.REFUSED : BotCalls.ofStatus(status),
                    "http bot answered " + status);
        }
        return HttpBotContract.answer(response.body());
    }

    /**
     * The same for every delivery of one event (a redelivery asks again): the account, the user and the message id,
     * or when the event has none (a postback, a referral), the time the user acted.
     */
    public static String idempotencyKey(BotRequest request) {
        var event = request.mid() != null && !request.mid().isBlank() ? "mid:" + request.mid() : "at:" + request.at();
        return BotCalls.digest(request.accountId(), request.userId(), event).substring(0, 32);
    }

    private HttpClient client() {
        var c = http;
        if (c == null) {
            synchronized (this) {
                if (http == null) {
                    // HTTP/1.1: to a plain-HTTP URL HTTP/2 would first try an h2c upgrade, which some servers refuse
                    // on a POST; redirects are not followed (NEVER, the default).
                    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT)
                            .build();
                }
                c = http;
            }
        }
        return c;
    }

    @PreDestroy
    void close() {
        if (http != null) {
            http.shutdownNow();
        }
    }
}
