package dev.messengerhandover.dev.bots;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Optional;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Checks a request's Signature Version 4 as AWS does, for the stand-ins: the credential scope names the service and a
 * known access key, the date is within five minutes, and the signature recomputed (with the AWS SDK's own signer, from
 * the secret key, the request's {@code X-Amz-Date}, the headers it says it signed, its path and body) is the one
 * given. A failure is what AWS answers: 403 and its error type.
 */
public final class SigV4Check {

    /** AWS's answer to a request it does not take: 403, the type, the message. */
    public record Refusal(String type, String message) {
        public Wire.Response response() {
            return Wire.Response.awsError(403, type, message);
        }
    }

    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Duration SKEW = Duration.ofMinutes(5);

    private SigV4Check() {
    }

    /** Empty when {@code request} is signed for {@code service} with {@code credentials}. */
    public static Optional<Refusal> refusal(Wire.Request request, String service, AwsCredentialsIdentity credentials) {
        var authorization = request.header("Authorization").orElse("");
        if (!authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            return Optional.of(new Refusal("MissingAuthenticationTokenException", "Missing Authentication Token"));
        }
        var credential = part(authorization, "Credential=").split("/");
        var signedHeaders = part(authorization, "SignedHeaders=");
        if (credential.length != 5 || signedHeaders.isEmpty() || part(authorization, "Signature=").isEmpty()) {
            return Optional.of(new Refusal("IncompleteSignatureException", "Authorization header requires "
                    + "'Credential', 'SignedHeaders' and 'Signature' parameters."));
        }
        if (!credential[0].equals(credentials.accessKeyId())) {
            return Optional.of(new Refusal("UnrecognizedClientException",
                    "The security token included in the request is invalid."));
        }
        if (!credential[3].equals(service) || !credential[4].equals("aws4_request")) {
            return Optional.of(new Refusal("InvalidSignatureException",
                    "Credential should be scoped to correct service: '" + service + "'."));
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(request.header("X-Amz-Date").orElse(""), AMZ_DATE)
                    .toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return Optional.of(new Refusal("IncompleteSignatureException",
                    "Date must be in ISO-8601 'basic format'."));
        }
        if (Duration.between(signedAt, Instant.now()).abs().compareTo(SKEW) > 0) {
            return Optional.of(new Refusal("InvalidSignatureException", "Signature expired: " + AMZ_DATE
                    .format(signedAt.atOffset(ZoneOffset.UTC)) + " is now earlier or later than 5 minutes."));
        }
        var host = request.header("Host").orElse("");
        var unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(request.method()))
                .uri(URI.create("http://" + host + request.path()));
        for (var name : signedHeaders.split(";")) {
            request.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .forEach(e -> e.getValue().forEach(v -> unsigned.appendHeader(name, v)));
        }
        var signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(request.body()))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, credential[2])
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
        var expected = signed.request().firstMatchingHeader("Authorization").orElse("");
        if (!expected.equals(authorization)) {
            return Optional.of(new Refusal("InvalidSignatureException", "The request signature we calculated does "
                    + "not match the signature you provided. Check your AWS Secret Access Key and signing method. "
                    + "Consult the service documentation for details."));
        }
        return Optional.empty();
    }

    /** The value of {@code name} in the Authorization header ({@code Name=value,} or at its end), or "". */
    private static String part(String authorization, String name) {
        return Arrays.stream(authorization.substring(authorization.indexOf(' ') + 1).split(","))
                .map(String::strip).filter(p -> p.startsWith(name)).map(p -> p.substring(name.length()))
                .findFirst().orElse("");
    }
}
