package dev.messengerhandover.handover.availability;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * When a person can answer, and what the bot does about a wait: the team's {@link BusinessHours}, what a hand-over
 * asked for while closed does, how long an unanswered hand-over may wait (in business time) before the team is
 * alerted and before the bot takes the thread back, and whether the bot asks about satisfaction after Done.
 *
 * @param giveUpAfter empty: the bot never takes an unanswered thread back
 */
public record Availability(BusinessHours hours, WhenClosed whenClosed, Duration notifyAfter,
        Optional<Duration> giveUpAfter, boolean satisfaction) {

    /** Always open, pass when asked, alert after 10 minutes, never give up, no satisfaction question. */
    public static final Availability ALWAYS = new Availability(BusinessHours.parse(null, null, null), WhenClosed.PASS,
            Duration.ofMinutes(10), Optional.empty(), false);

    public Availability {
        if (notifyAfter.isNegative() || notifyAfter.isZero()) {
            throw new IllegalArgumentException("handover.agent-wait.notify-after must be more than 0, was "
                    + notifyAfter);
        }
        giveUpAfter.ifPresent(d -> {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("handover.agent-wait.give-up-after must be more than 0, was " + d);
            }
        });
    }

    public boolean isOpen(long at) {
        return hours.isOpen(Instant.ofEpochMilli(at));
    }

    /** When an unanswered hand-over made at {@code since} is due for the alert. */
    public long alertAt(long since) {
        return hours.afterOpenTime(Instant.ofEpochMilli(since), notifyAfter).toEpochMilli();
    }

    /** When the bot gives up on an unanswered hand-over made at {@code since} (0: never). */
    public long giveUpAt(long since) {
        return giveUpAfter.map(d -> hours.afterOpenTime(Instant.ofEpochMilli(since), d).toEpochMilli()).orElse(0L);
    }

    /** The next opening after {@code at} (epoch ms), or 0 if the schedule has none. */
    public long nextOpening(long at) {
        return hours.nextOpening(Instant.ofEpochMilli(at)).map(z -> z.toInstant().toEpochMilli()).orElse(0L);
    }

    /** A person asked for while the team is away: the conversation waits in the Inbox, or stays with the bot. */
    public enum WhenClosed {
        /** Hand over anyway: the conversation waits in the Inbox for the team; the notice says when they are back. */
        PASS,
        /** The bot keeps the conversation, says when the team is back, and offers a person again then. */
        KEEP;

        public static WhenClosed parse(String setting, String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(setting + ": \"" + value + "\" is not pass or keep");
            }
        }
    }
}
