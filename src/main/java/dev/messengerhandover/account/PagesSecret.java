package dev.messengerhandover.account;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.messengerhandover.aws.AwsCalls;
import dev.messengerhandover.config.HandoverConfig;

/**
 * The Pages' JSON from one Secrets Manager secret ({@code handover.pages-secret}), for more Pages than Lambda's 4 KB of
 * environment holds: {@code GetSecretValue}, signed with the function's own credentials, nothing else.
 */
@ApplicationScoped
public class PagesSecret {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsCalls aws;
    private final Optional<URI> endpoint;

    public PagesSecret(AwsCalls aws, HandoverConfig config) {
        this.aws = aws;
        this.endpoint = config.aws().secretsManagerEndpoint();
    }

    /** The secret's string; fails with the secret's name and AWS's reason (never its value). */
    public String read(String secretId) {
        try {
            var request = JSON.createObjectNode().put("SecretId", secretId);
            var answer = aws.post("secretsmanager", endpoint.orElse(null), "application/x-amz-json-1.1",
                    Map.of("X-Amz-Target", "secretsmanager.GetSecretValue"),
                    JSON.writeValueAsBytes(request));
            var value = JSON.readTree(answer).path("SecretString");
            if (!value.isTextual()) {
                throw new IllegalStateException("handover.pages-secret " + secretId + " has no SecretString");
            }
            return value.asText();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("handover.pages-secret " + secretId + " could not be read: "
                    + e.getMessage(), e);
        }
    }
}
