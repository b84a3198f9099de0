package dev.messengerhandover.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

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
    private volatile AwsCredentialsProvider credentials;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

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

    /** The SDKs' service ids of the signing names used here, as their endpoint variables spell them. */
    private static final Map<String, String> SERVICE_IDS = Map.of("sns", "SNS", "secretsmanager", "SECRETS_MANAGER");

    /**
     * The endpoint the AWS SDKs' standard variables give {@code service}: {@code AWS_ENDPOINT_URL_<SERVICE>} (for
     * example {@code AWS_ENDPOINT_URL_SNS}), else {@code AWS_ENDPOINT_URL}; {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS}
     * turns both off, as it does for the SDKs.
     */
    static java.util.Optional<URI> standardEndpoint(String service, java.util.function.UnaryOperator<String> env) {
        if ("true".equalsIgnoreCase(env.apply("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) {
            return java.util.Optional.empty();
        }
        var id = SERVICE_IDS.getOrDefault(service, service.toUpperCase(java.util.Locale.ROOT));
        for (var name : new String[] { "AWS_ENDPOINT_URL_" + id, "AWS_ENDPOINT_URL" }) {
            var value = env.apply(name);
            if (value != null && !value.isBlank()) {
                return java.util.Optional.of(URI.create(value.trim()));
            }
        }
        return java.util.Optional.empty();
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
    }
}
