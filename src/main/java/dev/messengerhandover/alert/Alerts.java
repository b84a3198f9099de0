package dev.messengerhandover.alert;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.messengerhandover.account.Account;
import dev.messengerhandover.aws.AwsCalls;
import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.handover.Step;
import dev.messengerhandover.handover.ThreadState;

/**
 * Tells the team that a hand-over went unanswered: one SNS message to {@code handover.alerts.topic-arn} (its
 * subscribers: e-mail, chat), naming the account, the user, the wait and what the user said last. Without a topic the
 * alert is a WARN log line only.
 */
@ApplicationScoped
public class Alerts {

    private static final Logger LOG = Logger.getLogger(Alerts.class);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** The longest an SNS call can take: AwsCalls' connect and read time-outs. */
    public static final long CALL_MILLIS = 5_000;
    /** SNS: a subject is ASCII, one line, under 100 characters. */
    private static final int SUBJECT_LIMIT = 99;

    /** An alert SNS did not take; the sweep tries again on its next run. */
    public static final class AlertFailed extends RuntimeException {
        AlertFailed(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final AwsCalls aws;
    private final Optional<String> topicArn;
    private final Optional<URI> endpoint;

    public Alerts(AwsCalls aws, HandoverConfig config) {
        this.aws = aws;
        this.topicArn = config.alerts().topicArn().filter(t -> !t.isBlank());
        this.endpoint = config.aws().snsEndpoint();
    }

    /** Publishes the alert; throws {@link AlertFailed} when SNS does not take it. */
    public void publish(Account account, ThreadState thread, Step.Alert alert, long at) {
        var subject = subject(account, alert, at);
        var message = message(account, thread, alert, at);
        if (topicArn.isEmpty()) {
            LOG.warnf("alert (no handover.alerts.topic-arn to send it to): %s", subject);
            return;
        }
        var form = Map.of("Action", "Publish", "Version", "2010-03-31", "TopicArn", topicArn.get(), "Subject", subject,
                "Message", message).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            aws.post("sns", endpoint.orElse(null), "application/x-www-form-urlencoded; charset=utf-8", Map.of(),
                    form.getBytes(StandardCharsets.UTF_8));
            LOG.infof("alert published: %s", subject);
        } catch (RuntimeException e) {
            throw new AlertFailed("SNS did not take the alert: " + e.getMessage(), e);
        }
    }

    static String subject(Account account, Step.Alert alert, long at) {
        var what = switch (alert.why()) {
            case UNANSWERED -> "Nobody answered";
            case TAKE_REFUSED -> "Unanswered, could not take back";
            case LAPSED -> "Unanswered until control lapsed";
        };
        var text = what + " for " + waited(alert, at) + ": " + account.name();
        // ASCII only: accents dropped, anything else replaced.
        var ascii = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .replaceAll("[^\\x20-\\x7E]", "?");
        return ascii.length() > SUBJECT_LIMIT ? ascii.substring(0, SUBJECT_LIMIT) : ascii;
    }

    static String message(Account account, ThreadState thread, Step.Alert alert, long at) {
        var lines = new StringBuilder();
        var place = account.kind().agentsPlace();
        lines.append(switch (alert.why()) {
            case UNANSWERED -> "Nobody has answered this conversation since it was handed over. Please answer it in "
                    + place + ".\n";
            case TAKE_REFUSED -> "Nobody has answered this conversation, and the bot could not take it back (the "
                    + "platform refused or does not allow the take): it stays in " + place
                    + ". Please answer it there.\n";
            case LAPSED -> "Nobody answered this conversation before " + place + "'s control lapsed (24 hours "
                    + "without activity); the bot has it again and will apologise. Please follow up with the user.\n";
        });
        lines.append('\n');
        lines.append("Account: ").append(account.name()).append(" (").append(account.kind().wire()).append(' ')
                .append(thread.pageId()).append(")\n");
        lines.append("User: ").append(thread.userId()).append('\n');
        lines.append("Handed over: ").append(WHEN.format(Instant.ofEpochMilli(alert.handedOverAt())))
                .append(", reason ").append(alert.reason().wire()).append('\n');
        lines.append("Waiting: ").append(waited(alert, at)).append('\n');
        lines.append("Last message: \"").append(alert.lastUserLine()).append("\"\n");
        return lines.toString();
    }

    /** "12 min", "3 h 05 min", "2 d 4 h". */
    static String waited(Step.Alert alert, long at) {
        var d = Duration.ofMillis(Math.max(0, at - alert.handedOverAt()));
        if (d.toDays() > 0) {
            return d.toDays() + " d " + d.toHoursPart() + " h";
        }
        if (d.toHours() > 0) {
            return d.toHours() + " h " + String.format("%02d", d.toMinutesPart()) + " min";
        }
        return Math.max(1, d.toMinutes()) + " min";
    }
}
