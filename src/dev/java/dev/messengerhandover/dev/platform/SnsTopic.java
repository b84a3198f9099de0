package dev.messengerhandover.dev.platform;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Amazon SNS's {@code Publish}, as its Query API speaks it: a form-encoded POST ({@code Action=Publish},
 * {@code Version=2010-03-31}, {@code TopicArn}, {@code Message}, {@code Subject}) signed with SigV4 for the {@code sns}
 * service, answered with {@code PublishResponse} XML, or {@code ErrorResponse} XML with SNS's error codes. SNS cannot
 * run here; this is what the function's alerts reach in the emulator and the tests. Published messages are kept, in
 * order.
 */
public final class SnsTopic {

    /** One message as SNS took it. */
    public record Published(String topicArn, String subject, String message, String messageId) {
    }

    /** What SNS answers: its HTTP status and XML body. */
    public record Answer(int status, String body) {
    }

    private final String topicArn;
    private final List<Published> published = new ArrayList<>();
    private volatile boolean down;

    public SnsTopic(String topicArn) {
        this.topicArn = topicArn;
    }

    /** While down, SNS answers 500 {@code InternalFailure}. */
    public void down(boolean isDown) {
        this.down = isDown;
    }

    public synchronized List<Published> published() {
        return List.copyOf(published);
    }

    public synchronized void clear() {
        published.clear();
    }

    /** A request to SNS: its {@code Authorization} header and form body. */
    public synchronized Answer handle(String authorization, String body) {
        if (down) {
            return error(500, "Receiver", "InternalFailure", "The request processing has failed because of an "
                    + "unknown error, exception or failure.");
        }
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")
                || !authorization.contains("/sns/aws4_request")) {
            return error(403, "Sender", "MissingAuthenticationToken", "Request is missing Authentication Token");
        }
        var form = form(body);
        if (!"Publish".equals(form.get("Action"))) {
            return error(400, "Sender", "InvalidAction", "The action " + form.get("Action") + " is not valid");
        }
        if (!topicArn.equals(form.get("TopicArn"))) {
            return error(404, "Sender", "NotFound", "Topic does not exist");
        }
        var message = form.get("Message");
        if (message == null || message.isEmpty()) {
            return error(400, "Sender", "InvalidParameter", "Invalid parameter: Empty message");
        }
        var subject = form.get("Subject");
        if (subject != null && (subject.length() >= 100 || !subject.matches("[\\x20-\\x7E]+"))) {
            return error(400, "Sender", "InvalidParameter", "Invalid parameter: Subject");
        }
        var id = UUID.randomUUID().toString();
        published.add(new Published(topicArn, subject, message, id));
        return new Answer(200, "<PublishResponse xmlns=\"https://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                + "<MessageId>" + id + "</MessageId></PublishResult><ResponseMetadata><RequestId>"
                + UUID.randomUUID() + "</RequestId></ResponseMetadata></PublishResponse>");
    }

    private static Answer error(int status, String type, String code, String message) {
        return new Answer(status, "<ErrorResponse xmlns=\"https://sns.amazonaws.com/doc/2010-03-31/\"><Error><Type>"
                + type + "</Type><Code>" + code + "</Code><Message>" + message + "</Message></Error><RequestId>"
                + UUID.randomUUID() + "</RequestId></ErrorResponse>");
    }

    static Map<String, String> form(String body) {
        var form = new HashMap<String, String>();
        for (var pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }
}
