package dev.messengerhandover.dev;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.messengerhandover.config.HandoverConfig;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileSystemSetting;
import software.amazon.awssdk.profiles.ProfileProperty;

/**
 * Dev mode on a bare machine: no {@code AWS_*} variables, no {@code ~/.aws}. The function signs its calls to SNS (the
 * team's alerts) with the AWS SDK's region and credentials chains, which find nothing there, and the alert is lost
 * ("Unable to load region"). When every AWS service the function will call is a local stand-in (the emulator's SNS; a
 * Secrets Manager stand-in, or no Pages secret), this gives the SDK what it lacks, and only that: the region
 * {@value #REGION} when none is configured, placeholder keys when no credentials are. Whatever you configured
 * yourself is left as it is, and once an AWS service is the real one nothing is given at all: a missing region or
 * credentials then fail as they would in AWS, naming what is missing.
 *
 * <p>Dev and test builds only, like the emulator; never in function.zip.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
public class DevAwsStandIns {

    private static final Logger LOG = Logger.getLogger(DevAwsStandIns.class);
    static final String REGION = "us-east-1";
    static final String PLACEHOLDER_KEY = "dev-placeholder";

    void start(@Observes @Priority(1) StartupEvent start, HandoverConfig config) {
        var inUse = new ArrayList<Optional<URI>>();
        if (config.alerts().topicArn().filter(t -> !t.isBlank()).isPresent()) {
            inUse.add(config.aws().snsEndpoint());
        }
        if (config.pagesSecret().filter(s -> !s.isBlank()).isPresent()) {
            inUse.add(config.aws().secretsManagerEndpoint());
        }
        if (!onlyStandIns(inUse)) {
            return;
        }
        var given = give(System::getenv, System.getProperties()::getProperty, ProfileFile::defaultProfileFile);
        given.forEach(System::setProperty);
        if (!given.isEmpty()) {
            LOG.infof("AWS here is only the emulator's stand-ins, and no AWS %s configured: the AWS SDK gets %s",
                    given.containsKey("aws.region") ? given.size() > 1 ? "region or credentials are" : "region is"
                            : "credentials are",
                    given.containsKey("aws.region") ? given.size() > 1 ? "region " + REGION + " and placeholder keys"
                            : "region " + REGION : "placeholder keys");
        }
    }

    /**
     * The function calls AWS services other than DynamoDB (SNS, Secrets Manager) at these endpoints (empty: the
     * service's own in AWS), and each is a local stand-in: nothing real to sign for.
     */
    static boolean onlyStandIns(List<Optional<URI>> endpointsInUse) {
        return !endpointsInUse.isEmpty() && endpointsInUse.stream().allMatch(e -> e.isPresent() && local(e.get()));
    }

    /**
     * The SDK's system properties to set: {@code aws.region} when no region is configured, and {@code aws.accessKeyId}
     * and {@code aws.secretAccessKey} when no credentials are. {@code env} and {@code properties} are the environment's
     * variables and the JVM's system properties, {@code profiles} the AWS config and credentials files.
     */
    static Map<String, String> give(Function<String, String> env, Function<String, String> properties,
            java.util.function.Supplier<ProfileFile> profiles) {
        var profile = profile(env, properties, profiles);
        var given = new java.util.LinkedHashMap<String, String>();
        if (!set(properties.apply("aws.region")) && !set(env.apply("AWS_REGION"))
                && profile.flatMap(p -> p.property(ProfileProperty.REGION)).isEmpty()) {
            given.put("aws.region", REGION);
        }
        if (!credentialsConfigured(env, properties, profile)) {
            given.put("aws.accessKeyId", PLACEHOLDER_KEY);
            given.put("aws.secretAccessKey", PLACEHOLDER_KEY);
        }
        return given;
    }

    static boolean local(URI endpoint) {
        try {
            return endpoint.getHost() != null && InetAddress.getByName(endpoint.getHost()).isLoopbackAddress();
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    /** Every source the SDK's default credentials chain reads without a network call, a profile among them. */
    private static boolean credentialsConfigured(Function<String, String> env, Function<String, String> properties,
            Optional<software.amazon.awssdk.profiles.Profile> profile) {
        return List.of("aws.accessKeyId", "aws.webIdentityTokenFile", "aws.containerCredentialsPath",
                "aws.containerCredentialsFullUri").stream().anyMatch(p -> set(properties.apply(p)))
                || List.of("AWS_ACCESS_KEY_ID", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI").stream().anyMatch(v -> set(env.apply(v)))
                || profile.filter(p -> PROFILE_CREDENTIALS.stream().anyMatch(k -> p.property(k).isPresent()))
                        .isPresent();
    }

    /** What makes a profile a source of credentials: keys, a role, a process, single sign-on, a token file. */
    private static final List<String> PROFILE_CREDENTIALS = List.of(ProfileProperty.AWS_ACCESS_KEY_ID,
            ProfileProperty.ROLE_ARN, ProfileProperty.CREDENTIAL_PROCESS, ProfileProperty.SSO_START_URL,
            "sso_session", ProfileProperty.WEB_IDENTITY_TOKEN_FILE, ProfileProperty.CREDENTIAL_SOURCE);

    /** The profile the SDK would use ({@code AWS_PROFILE}, else {@code default}), if the files have it. */
    private static Optional<software.amazon.awssdk.profiles.Profile> profile(Function<String, String> env,
            Function<String, String> properties, java.util.function.Supplier<ProfileFile> profiles) {
        var name = Optional.ofNullable(properties.apply(ProfileFileSystemSetting.AWS_PROFILE.property()))
                .or(() -> Optional.ofNullable(env.apply(ProfileFileSystemSetting.AWS_PROFILE.environmentVariable())))
                .filter(DevAwsStandIns::set).orElse("default");
        try {
            return profiles.get().profile(name);
        } catch (RuntimeException unreadable) {
            return Optional.empty(); // a broken file: the SDK says so itself when it reads it
        }
    }

    private static boolean set(String value) {
        return value != null && !value.isBlank();
    }
}
