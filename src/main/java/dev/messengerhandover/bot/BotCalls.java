package dev.messengerhandover.bot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.messengerhandover.aws.AwsCalls;
import dev.messengerhandover.handover.BotFailure;
import dev.messengerhandover.retry.Deadline;

/** What the three bot clients share: the time a call may take, what a failed answer means, JSON, digests. */
final class BotCalls {

    /** The least time a call is started with, as for Graph: few bots answer in less. */
    static final long MIN_CALL_MILLIS = 1_000;

    /** Jackson's tree model reads the answers (their shapes vary); records write the requests. */
    static final ObjectMapper JSON = new ObjectMapper();

    private BotCalls() {
    }

    /** The time the call may take: what is left of the deadline; none left to start one is a time-out already. */
    static Duration timeLeft(Deadline deadline, String what) {
        long left = deadline.remainingMillis();
        if (left < MIN_CALL_MILLIS) {
            throw new BotException(BotFailure.TIMEOUT, what + ": " + left + " ms left, not enough for a call");
        }
        return Duration.ofMillis(left);
    }

    /** The failure an HTTP status means: 429 throttled, other 4xx refused, 5xx (and anything else) an error. */
    static BotFailure ofStatus(int status) {
        if (status == 429) {
            return BotFailure.THROTTLED;
        }
        return status / 100 == 4 ? BotFailure.REFUSED : BotFailure.ERROR;
    }

    /**
     * The failure an AWS error means, by its type first (the status of some types says less): throttled for
     * {@code ThrottlingException} and the 429s (Bedrock's {@code ModelNotReadyException}); a time-out for Bedrock's
     * {@code ModelTimeoutException} (408: the model did not finish in its time); an error for the 5xx and for the
     * failures of what the service itself depends on (424: Lex's {@code DependencyFailedException} from the bot's
     * Lambda, Bedrock's {@code ModelErrorException}); refused for the rest of the 4xx ({@code ValidationException},
     * {@code AccessDeniedException}, {@code ResourceNotFoundException}, quotas), a setting to fix, not a blip.
     */
    static BotFailure ofAws(int status, Optional<String> type) {
        var name = type.orElse("");
        if (name.equals("ThrottlingException") || status == 429) {
            return BotFailure.THROTTLED;
        }
        if (name.equals("ModelTimeoutException") || status == 408) {
            return BotFailure.TIMEOUT;
        }
        if (status == 424 || status / 100 == 5) {
            return BotFailure.ERROR;
        }
        return ofStatus(status);
    }

    /**
     * Sends {@code call} with the time left, and returns the body of a 2xx answer; anything else is the
     * {@link BotException} it means.
     */
    static JsonNode send(AwsCalls aws, AwsCalls.Call call, Deadline deadline) {
        var what = call.signingName();
        AwsCalls.Answer answer;
        try {
            answer = aws.send(call, timeLeft(deadline, what));
        } catch (AwsCalls.TimedOut e) {
            throw new BotException(BotFailure.TIMEOUT, e.getMessage());
        } catch (UncheckedIOException e) {
            throw new BotException(BotFailure.ERROR, what + " unreachable: "
                    + e.getCause().getClass().getSimpleName());
        }
        if (!answer.ok()) {
            throw failed(what, answer);
        }
        return object(what, answer.body());
    }

    /**
     * The failure of an AWS answer that is not a 2xx, with a detail naming the status and type (never AWS's message:
     * validation messages quote the input, the user's words).
     */
    static BotException failed(String what, AwsCalls.Answer answer) {
        var type = answer.errorType();
        return new BotException(ofAws(answer.status(), type), what + " answered " + answer.status()
                + type.map(t -> " " + t).orElse(""));
    }

    /** The JSON object of an answer's body, or MALFORMED. */
    static JsonNode object(String what, byte[] body) {
        try {
            var node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw malformed(what, "not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw malformed(what, "not JSON");
        }
    }

    static BotException malformed(String what, String why) {
        return new BotException(BotFailure.MALFORMED, what + ": " + why);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The hex SHA-256 of the parts, each with its length so that ("ab", "c") and ("a", "bc") differ. */
    static String digest(String... parts) {
        try {
            var sha = MessageDigest.getInstance("SHA-256");
            for (var part : parts) {
                var text = String.valueOf(part);
                sha.update(utf8(text.length() + ":" + text + ";"));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
