package dev.messengerhandover.handover.availability;

import static dev.messengerhandover.testing.Seeded.forEachCase;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * {@link BusinessHours} over generated cases: a random schedule (always open, the whole week written out, or up to
 * four clauses of single days, lists and ranges that may wrap, in short or full names of any case, with one to three
 * intervals on a 30, 15 or 1 minute grid, some past midnight, some ending at 24:00 or 00:00), a random zone of
 * {@link ZoneId#getAvailableZoneIds()} (sorted, so a seed replays), closed dates near the instant, and an instant
 * anywhere from 1850 to 2150, within days of one of the zone's changes of offset, or on a local minute. Invariants:
 * <ul>
 * <li>{@code parse} of what {@code toString()} shows is an equal schedule, with the same normal form;</li>
 * <li>away from changes of offset, {@code isOpen} agrees with a minute-by-minute model of the week and the closed
 * dates, and so does {@code openTimeBetween} over spans of up to six hours;</li>
 * <li>{@code nextOpening(t)} exists, is in the zone, not before {@code t}, open, with no open time in
 * {@code [t, nextOpening(t))}; it is {@code t} exactly when {@code t} is open, else the start of an open stretch
 * (the instant before it is closed); {@code describeNextOpening} says {@code now} exactly when open;</li>
 * <li>{@code openTimeBetween} is at most the span, zero for a reversed span, additive over any split point, and the
 * same summed over chunks of up to two days (which never take the whole-week shortcut);</li>
 * <li>{@code afterOpenTime(from, d)} is not before {@code from}, {@code openTimeBetween(from, result) == d}, and it is
 * the earliest such instant: {@code openTimeBetween(from, result - 1 ns) == d - 1 ns}, so the result is open or ends
 * an open stretch; for {@code d} the open time of a span it is within the span;</li>
 * <li>an always-open schedule is open everywhere and its open time is the span;</li>
 * <li>no instant of a closed date is open, and a closed date has no open time.</li>
 * </ul>
 * {@code -Dfuzz.seed=} runs other cases, {@code -Dhours.cases=} more or fewer; a failure names its case's seed.
 */
class BusinessHoursPropertyTest {

    private static final int CASES = Integer.getInteger("hours.cases", 20_000);
    private static final List<ZoneId> ZONES = ZoneId.getAvailableZoneIds().stream().sorted().map(ZoneId::of)
            .toList();
    private static final int DAY = 24 * 60;
    private static final int WEEK = 7 * DAY;
    private static final long FROM_1850 = LocalDate.of(1850, 1, 1).toEpochDay() * 86_400;
    private static final long TO_2150 = LocalDate.of(2150, 1, 1).toEpochDay() * 86_400;
    private static final Pattern SHOWN = Pattern.compile("BusinessHours\\[handover\\.time-zone=(.*), "
            + "handover\\.business-hours=(.*), handover\\.closed-days=(.*)]");

    @Test
    void invariantsHoldOverGeneratedCases() {
        forEachCase(CASES, BusinessHoursPropertyTest::check);
    }

    /** A generated schedule: its text, and the open minutes of the week (Monday 00:00 first) it means. */
    private record Schedule(String text, boolean[] open) {

        int openMinutes() {
            int n = 0;
            for (boolean minute : open) {
                n += minute ? 1 : 0;
            }
            return n;
        }
    }

    private static void check(Random random) {
        var zone = ZONES.get(random.nextInt(ZONES.size()));
        var schedule = schedule(random);
        var t = instant(random, zone);
        var closedDays = closedDays(random, LocalDate.ofInstant(t, zone));
        var hours = BusinessHours.parse(zone.getId(), schedule.text(), String.join(",", closedDays.stream()
                .map(LocalDate::toString).toList()));
        var to = t.plus(span(random));

        roundTrips(hours);
        agreesWithTheModel(hours, schedule, closedDays, random, t, to);
        nextOpening(hours, t);
        openTime(hours, random, t, to);
        afterOpenTime(hours, random, t, to, schedule.openMinutes());
        closedDaysAreClosed(hours, random, closedDays);
        if (hours.alwaysOpen()) {
            assertThat(hours.isOpen(t)).isTrue();
            assertThat(hours.openTimeBetween(t, to)).isEqualTo(Duration.between(t, to));
        }
    }

    private static void roundTrips(BusinessHours hours) {
        var shown = SHOWN.matcher(hours.toString());
        assertThat(shown.matches()).as(hours.toString()).isTrue();
        var again = BusinessHours.parse(shown.group(1), shown.group(2), shown.group(3));
        assertThat(again).isEqualTo(hours).hasSameHashCodeAs(hours).hasToString(hours.toString());
        assertThat(again.hours()).isEqualTo(hours.hours());
    }

    private static void agreesWithTheModel(BusinessHours hours, Schedule schedule, TreeSet<LocalDate> closedDays,
            Random random, Instant t, Instant to) {
        assertThat(hours.alwaysOpen()).isEqualTo(schedule.openMinutes() == WEEK && closedDays.isEmpty());
        var rules = hours.zone().getRules();
        var offset = rules.getOffset(t);
        var change = rules.nextTransition(t.minus(Duration.ofDays(3)));
        if (change != null && change.getInstant().isBefore(t.plus(Duration.ofDays(3)))) {
            return; // near a change of offset the model's wall-time arithmetic does not hold
        }
        for (var at : List.of(t, t.plusSeconds(random.nextInt(86_400)), t.minusSeconds(random.nextInt(86_400)))) {
            var local = LocalDateTime.ofInstant(at, offset);
            assertThat(hours.isOpen(at)).as("open at %s", local).isEqualTo(modelOpen(schedule, closedDays, local));
        }
        if (Duration.between(t, to).compareTo(Duration.ofHours(6)) <= 0) {
            var expected = Duration.ZERO;
            for (var cursor = t; cursor.isBefore(to);) {
                var local = LocalDateTime.ofInstant(cursor, offset);
                var minuteEnd = local.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1).toInstant(offset);
                var end = minuteEnd.isBefore(to) ? minuteEnd : to;
                if (modelOpen(schedule, closedDays, local)) {
                    expected = expected.plus(Duration.between(cursor, end));
                }
                cursor = end;
            }
            assertThat(hours.openTimeBetween(t, to)).isEqualTo(expected);
        }
    }

    private static boolean modelOpen(Schedule schedule, TreeSet<LocalDate> closedDays, LocalDateTime local) {
        int minute = local.getDayOfWeek().ordinal() * DAY + local.getHour() * 60 + local.getMinute();
        return !closedDays.contains(local.toLocalDate()) && schedule.open()[minute];
    }

    private static void nextOpening(BusinessHours hours, Instant t) {
        var next = hours.nextOpening(t);
        assertThat(next).isPresent();
        var at = next.get().toInstant();
        assertThat(next.get().getZone()).isEqualTo(hours.zone());
        assertThat(at).isAfterOrEqualTo(t);
        assertThat(hours.isOpen(at)).isTrue();
        assertThat(hours.openTimeBetween(t, at)).isZero();
        if (hours.isOpen(t)) {
            assertThat(at).isEqualTo(t);
            assertThat(hours.describeNextOpening(t)).isEqualTo("now");
        } else {
            assertThat(at).isAfter(t);
            assertThat(hours.isOpen(at.minusNanos(1))).isFalse();
            assertThat(hours.describeNextOpening(t))
                    .matches("(today|tomorrow|[A-Z][a-z]+day( \\d{1,2} [A-Z][a-z]+( -?\\d+)?)?) \\d\\d:\\d\\d");
        }
    }

    private static void openTime(BusinessHours hours, Random random, Instant t, Instant to) {
        var total = hours.openTimeBetween(t, to);
        assertThat(total).isBetween(Duration.ZERO, Duration.between(t, to));
        assertThat(hours.openTimeBetween(to, t)).isZero();
        var split = t.plusNanos((long) (random.nextDouble() * Duration.between(t, to).toNanos()));
        assertThat(hours.openTimeBetween(t, split).plus(hours.openTimeBetween(split, to))).isEqualTo(total);
        if (random.nextInt(16) == 0 && Duration.between(t, to).compareTo(Duration.ofDays(400)) <= 0) {
            var sum = Duration.ZERO;
            for (var cursor = t; cursor.isBefore(to);) {
                var end = cursor.plusSeconds(1 + random.nextInt(2 * 86_400));
                end = end.isBefore(to) ? end : to;
                sum = sum.plus(hours.openTimeBetween(cursor, end));
                cursor = end;
            }
            assertThat(sum).isEqualTo(total);
        }
    }

    private static void afterOpenTime(BusinessHours hours, Random random, Instant t, Instant to, int weekly) {
        var total = hours.openTimeBetween(t, to);
        var d = switch (random.nextInt(5)) {
            case 0 -> total;
            case 1 -> Duration.ofNanos((long) (random.nextDouble() * total.toNanos()));
            case 2 -> Duration.ofSeconds((long) Math.exp(random.nextDouble() * Math.log(7 * 86_400)));
            case 3 -> Duration.ofMinutes((long) weekly * (1 + random.nextInt(4))); // whole weeks' worth
            default -> Duration.ofMinutes(random.nextInt(3));
        };
        var due = hours.afterOpenTime(t, d);
        assertThat(due).isAfterOrEqualTo(t);
        assertThat(hours.openTimeBetween(t, due)).isEqualTo(d);
        if (d.isPositive()) {
            assertThat(hours.openTimeBetween(t, due.minusNanos(1))).isEqualTo(d.minusNanos(1));
            assertThat(hours.isOpen(due) || hours.isOpen(due.minusNanos(1))).isTrue();
        } else {
            assertThat(due).isEqualTo(t);
        }
        if (d.compareTo(total) <= 0) {
            assertThat(due).isBeforeOrEqualTo(to);
        }
    }

    private static void closedDaysAreClosed(BusinessHours hours, Random random, TreeSet<LocalDate> closedDays) {
        var zone = hours.zone();
        for (var date : closedDays) {
            var local = date.atTime(LocalTime.ofSecondOfDay(random.nextInt(86_400)));
            var at = local.atZone(zone);
            if (at.toLocalDate().equals(date)) { // not pushed past midnight by a gap
                assertThat(hours.isOpen(at.toInstant())).as("open at %s", at).isFalse();
            }
            assertThat(hours.openTimeBetween(date.atStartOfDay(zone).toInstant(),
                    date.plusDays(1).atStartOfDay(zone).toInstant())).isZero();
        }
    }

    // Generators.

    private static Schedule schedule(Random random) {
        var open = new boolean[WEEK];
        int kind = random.nextInt(20);
        if (kind == 0) {
            Arrays.fill(open, true);
            return new Schedule(random.nextBoolean() ? "" : " ", open);
        }
        if (kind == 1) {
            Arrays.fill(open, true);
            return new Schedule("Mon-Sun 00:00-24:00", open);
        }
        var clauses = new ArrayList<String>();
        for (int c = 1 + random.nextInt(4); c > 0; c--) {
            var days = new ArrayList<Integer>();
            var dayTexts = new ArrayList<String>();
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                int first = random.nextInt(7);
                if (random.nextBoolean()) {
                    days.add(first);
                    dayTexts.add(dayName(random, first));
                } else {
                    int last = random.nextInt(7);
                    for (int d = first;; d = (d + 1) % 7) {
                        days.add(d);
                        if (d == last) {
                            break;
                        }
                    }
                    var dash = random.nextBoolean() ? "-" : " - ";
                    dayTexts.add(dayName(random, first) + dash + dayName(random, last));
                }
            }
            var intervals = new ArrayList<String>();
            for (int n = 1 + random.nextInt(3); n > 0; n--) {
                int grid = switch (random.nextInt(3)) {
                    case 0 -> 30;
                    case 1 -> 15;
                    default -> 1;
                };
                int start = random.nextInt(DAY / grid) * grid;
                int length = random.nextInt(30) == 0 ? DAY : grid + random.nextInt((DAY - 1) / grid) * grid;
                if (start != 0 && length == DAY) {
                    length -= grid;
                }
                int end = start + length;
                String endText = end == DAY ? (random.nextBoolean() ? "24:00" : "00:00")
                        : hhmm(end % DAY);
                if (start == 0 && end == DAY) {
                    endText = "24:00";
                }
                intervals.add(hhmm(start) + "-" + endText);
                for (int day : days) {
                    int from = day * DAY + start;
                    Arrays.fill(open, from, Math.min(from + length, WEEK), true);
                    if (from + length > WEEK) {
                        Arrays.fill(open, 0, from + length - WEEK, true); // Sunday night into Monday
                    }
                }
            }
            clauses.add(String.join(random.nextBoolean() ? "," : ", ", dayTexts) + " "
                    + String.join(random.nextBoolean() ? "," : " , ", intervals));
        }
        return new Schedule(String.join(random.nextBoolean() ? "; " : ";", clauses), open);
    }

    private static String dayName(Random random, int day) {
        var name = DayOfWeek.of(day + 1).getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        name = random.nextBoolean() ? name.substring(0, 3) : name;
        return switch (random.nextInt(4)) {
            case 0 -> name.toLowerCase(Locale.ROOT);
            case 1 -> name.toUpperCase(Locale.ROOT);
            default -> name;
        };
    }

    private static String hhmm(int minute) {
        return String.format(Locale.ROOT, "%02d:%02d", minute / 60, minute % 60);
    }

    /** Anywhere in three centuries, near one of the zone's changes of offset, or on a local minute. */
    private static Instant instant(Random random, ZoneId zone) {
        var anywhere = Instant.ofEpochSecond(FROM_1850 + (long) (random.nextDouble() * (TO_2150 - FROM_1850)),
                random.nextInt(4) == 0 ? random.nextInt(1_000_000_000) : 0);
        switch (random.nextInt(5)) {
            case 0, 1 -> {
                var rules = zone.getRules();
                var change = random.nextBoolean() ? rules.nextTransition(anywhere)
                        : rules.previousTransition(anywhere);
                if (change == null) {
                    return anywhere;
                }
                var at = change.getInstant();
                return switch (random.nextInt(4)) {
                    case 0 -> at;
                    case 1 -> at.plusNanos(random.nextBoolean() ? 1 : -1);
                    default -> at.plusSeconds(random.nextInt(6 * 86_400) - 3 * 86_400);
                };
            }
            case 2 -> {
                var local = LocalDateTime.ofInstant(anywhere, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES);
                return local.atZone(zone).toInstant();
            }
            default -> {
                return anywhere;
            }
        }
    }

    /** A span from a second to about three years, most of them short. */
    private static Duration span(Random random) {
        return Duration.ofNanos((long) (Math.exp(random.nextDouble() * Math.log(1e8)) * 1e9));
    }

    /** None, or a few dates around the instant's local date, now and then a run of them. */
    private static TreeSet<LocalDate> closedDays(Random random, LocalDate near) {
        var dates = new TreeSet<LocalDate>();
        switch (random.nextInt(4)) {
            case 0 -> {
            }
            case 1 -> {
                var first = near.plusDays(random.nextInt(5) - 1);
                for (int n = 1 + random.nextInt(20); n > 0; n--) {
                    dates.add(first);
                    first = first.plusDays(1);
                }
            }
            default -> {
                for (int n = 1 + random.nextInt(5); n > 0; n--) {
                    dates.add(near.plusDays(random.nextInt(21) - 10));
                }
            }
        }
        return dates;
    }
}
