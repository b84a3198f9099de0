package dev.messengerhandover.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Signed requests to an AWS service's API, made of the AWS SDK's own parts (its SigV4 signer, its credentials chain,
 * its URL connection client): for the one call to Secrets Manager (and the one to SNS) that do not need a whole
 * service module. The Quarkiverse extensions for them are not served at the version of its DynamoDB extension here,
 * and an SDK service module of another version than the SDK core would not run on it. Built on first use only: a
 * deployment that never calls pays nothing at start-up.
 *
 * <p>
 * The bots' calls (Lex's {@code RecognizeText}, Bedrock's {@code Converse}) go through {@link #send} instead: a
 * REST-JSON request to the service's full URI, signed the same way, sent with the JDK's HTTP client so that each call
 * is cut off when the delivery's time runs out (the URL connection client only has fixed time-outs, which the two
 * calls above keep), and answered whatever its status: each status and error type means something else to a bot.
 */
@ApplicationScoped
public class AwsCalls {

    private static final Duration CONNECT = Duration.ofSeconds(2);
    private static final Duration READ = Duration.ofSeconds(3);

    /** What AWS answered when it was not a 2xx: its HTTP status, error type and message. */
    public static final class AwsException extends RuntimeException {
        private final int status;

        AwsException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private volatile SdkHttpClient http;
    private volatile HttpClient jdkHttp;
    private volatile AwsCredentialsProvider credentials;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    /** Where {@link #send} reads the endpoint variables: the environment, or the configuration standing in for it. */
    private final UnaryOperator<String> settings;

    public AwsCalls() {
        // The environment as the configuration sees it: in tests and dev mode the same names can be set as
        // properties, which is how a test points Lex or Bedrock at a stand-in.
        this.settings = name -> ConfigProvider.getConfig().getOptionalValue(name, String.class).orElse(null);
    }

    /** With these credentials, and the endpoint variables read from {@code settings} (tests). */
    public AwsCalls(AwsCredentialsProvider credentials, UnaryOperator<String> settings) {
        this.credentials = credentials;
        this.settings = settings;
    }

    /**
     * POSTs {@code body} to {@code service} ({@code secretsmanager}, {@code sns}) at {@code endpoint}, or at its
     * regional endpoint when that is {@code null}; returns the answer's body.
     */
    public String post(String service, URI endpoint, String contentType, Map<String, String> headers, byte[] body) {
        var region = new DefaultAwsRegionProviderChain().getRegion().id();
        var uri = endpoint != null ? endpoint : standardEndpoint(service, System::getenv)
                .orElseGet(() -> URI.create("https://" + service + "." + region + ".amazonaws.com/"));
        var request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                .putHeader("Content-Type", contentType).putHeader("Host", uri.getHost());
        headers.forEach(request::putHeader);
        var signed = signer.sign(r -> r.identity(credentials().resolveCredentials()).request(request.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        try {
            var response = client().prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null)).build()).call();
            var text = response.responseBody().isPresent()
                    ? new String(response.responseBody().get().readAllBytes(), StandardCharsets.UTF_8) : "";
            int status = response.httpResponse().statusCode();
            if (status / 100 != 2) {
                throw new AwsException(status, service + " answered " + status + ": " + shortened(text));
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(service + " unreachable", e);
        }
    }

    /**
     * One REST-JSON request to an AWS service, addressed to its regional URI (host and path).
     *
     * @param signingName the service's SigV4 name ({@code lex}, {@code bedrock})
     * @param endpointId the service's id as the endpoint variables spell it ({@code LEX_RUNTIME_V2},
     *        {@code BEDROCK_RUNTIME}: {@code AWS_ENDPOINT_URL_LEX_RUNTIME_V2})
     * @param region where the call is signed for; blank: the default region chain's
     */
    public record Call(String signingName, String endpointId, String region, URI uri, Map<String, String> headers,
            byte[] body) {
        public Call {
            headers = Map.copyOf(headers);
        }
    }

    /** What AWS answered, whatever the status: status, headers and body. */
    public record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        public boolean ok() {
            return status / 100 == 2;
        }

        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }

        /**
         * AWS's name for the error ({@code ThrottlingException}): REST-JSON services put it in
         * {@code x-amzn-ErrorType}, at times followed by {@code :} and more, and in the body's {@code __type}, at
         * times after a namespace and {@code #}. Empty when neither says.
         */
        public Optional<String> errorType() {
            var type = header("x-amzn-ErrorType").map(t -> t.split(":", 2)[0]).filter(t -> !t.isBlank());
            if (type.isEmpty() && body.length > 0) {
                try {
                    var node = ERROR_JSON.readTree(body).path("__type");
                    type = node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
            return type.map(t -> t.substring(t.lastIndexOf('#') + 1).trim()).filter(t -> !t.isEmpty());
        }
    }

    /** No answer within the time the call was given: whether AWS acted on it is not known. */
    public static final class TimedOut extends RuntimeException {
        TimedOut(String message) {
            super(message, null, false, false);
        }
    }

    private static final ObjectMapper ERROR_JSON = new ObjectMapper();
    /** Headers the JDK's client sets itself and refuses from callers; the host it sends is the one signed. */
    private static final Set<String> SET_BY_CLIENT = Set.of("host", "content-length", "connection", "expect",
            "upgrade");

    /**
     * POSTs {@code call}, signed, to its URI, or where the endpoint variables send it, and waits at most
     * {@code timeout} for the whole answer.
     *
     * @throws TimedOut when the answer did not come in time (the request is abandoned)
     * @throws UncheckedIOException when the service could not be reached
     */
    public Answer send(Call call, Duration timeout) {
        var uri = endpointOf(call.endpointId(), call.uri(), settings);
        var region = call.region() == null || call.region().isBlank()
                ? new DefaultAwsRegionProviderChain().getRegion().id() : call.region();
        // Without a Host header the signer signs the URI's host and port, as the JDK's client sends them.
        var request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri);
        call.headers().forEach(request::putHeader);
        var signed = signer.sign(r -> r.identity(credentials().resolveCredentials()).request(request.build())
                .payload(ContentStreamProvider.fromByteArray(call.body()))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, call.signingName())
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        var http = HttpRequest.newBuilder(uri).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(call.body()));
        signed.request().headers().forEach((name, values) -> {
            if (!SET_BY_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> http.header(name, value));
            }
        });
        var answer = jdkClient().sendAsync(http.build(), HttpResponse.BodyHandlers.ofByteArray());
        try {
            // The request's own time-out covers the wait for the headers; this one the body too.
            var response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new TimedOut(call.signingName() + ": no answer in " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new TimedOut(call.signingName() + ": interrupted");
        } catch (ExecutionException e) {
            throw switch (e.getCause()) {
                case HttpConnectTimeoutException c -> new UncheckedIOException(call.signingName() + " unreachable", c);
                case HttpTimeoutException t -> new TimedOut(call.signingName() + ": no answer in "
                        + timeout.toMillis() + " ms");
                case IOException io -> new UncheckedIOException(call.signingName() + " unreachable", io);
                case RuntimeException r -> r;
                case null, default -> new IllegalStateException(call.signingName() + " call failed", e.getCause());
            };
        }
    }

    /** {@code uri}'s path (and query) on the endpoint the variables give {@code endpointId}, else {@code uri}. */
    static URI endpointOf(String endpointId, URI uri, UnaryOperator<String> env) {
        return configuredEndpoint(endpointId, env).map(base -> URI.create(base.toString().replaceAll("/+$", "")
                + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))).orElse(uri);
    }

    /** The SDKs' service ids of the signing names used here, as their endpoint variables spell them. */
    private static final Map<String, String> SERVICE_IDS = Map.of("sns", "SNS", "secretsmanager", "SECRETS_MANAGER");

    /**
     * The endpoint the AWS SDKs' standard variables give {@code service}: {@code AWS_ENDPOINT_URL_<SERVICE>} (for
     * example {@code AWS_ENDPOINT_URL_SNS}), else {@code AWS_ENDPOINT_URL}; {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS}
     * turns both off, as it does for the SDKs.
     */
    static Optional<URI> standardEndpoint(String service, UnaryOperator<String> env) {
        return configuredEndpoint(SERVICE_IDS.getOrDefault(service, service.toUpperCase(Locale.ROOT)), env);
    }

    private static Optional<URI> configuredEndpoint(String id, UnaryOperator<String> env) {
        if ("true".equalsIgnoreCase(env.apply("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) {
            return Optional.empty();
        }
        for (var name : new String[] { "AWS_ENDPOINT_URL_" + id, "AWS_ENDPOINT_URL" }) {
            var value = env.apply(name);
            if (value != null && !value.isBlank()) {
                return Optional.of(URI.create(value.trim()));
            }
        }
        return Optional.empty();
    }

    private SdkHttpClient client() {
        var c = http;
        if (c == null) {
            synchronized (this) {
                if (http == null) {
                    http = UrlConnectionHttpClient.builder().connectionTimeout(CONNECT).socketTimeout(READ).build();
                }
                c = http;
            }
        }
        return c;
    }

    private HttpClient jdkClient() {
        var c = jdkHttp;
        if (c == null) {
            synchronized (this) {
                if (jdkHttp == null) {
                    // HTTP/1.1: over plain HTTP (an endpoint variable) HTTP/2 would first try an h2c upgrade.
                    jdkHttp = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT)
                            .build();
                }
                c = jdkHttp;
            }
        }
        return c;
    }

    private AwsCredentialsProvider credentials() {
        var c = credentials;
        if (c == null) {
            synchronized (this) {
                if (credentials == null) {
                    credentials = DefaultCredentialsProvider.builder().build();
                }
                c = credentials;
            }
        }
        return c;
    }

    private static String shortened(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    @PreDestroy
    void close() {
        if (http != null) {
            http.close();
        }
        if (jdkHttp != null) {
            jdkHttp.shutdownNow();
        }
    }
}
