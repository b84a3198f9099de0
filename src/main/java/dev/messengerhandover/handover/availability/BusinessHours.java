package dev.messengerhandover.handover.availability;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * When the team is there to answer: a weekly schedule in local wall time, a time zone and whole closed dates. Pure:
 * instants come in as arguments, nothing reads a clock.
 *
 * <h2>Settings</h2>
 * <ul>
 * <li>{@code handover.time-zone}: a zone id as {@link ZoneId#of} takes it (IANA ids such as {@code Europe/Paris};
 * fixed offsets such as {@code +01:00} work too); blank: {@code UTC}.</li>
 * <li>{@code handover.business-hours}: the weekly schedule, grammar below; blank: always open.</li>
 * <li>{@code handover.closed-days}: {@code ,}-separated ISO dates ({@code 2026-12-25,2026-12-26}); each closes its
 * whole local date.</li>
 * </ul>
 * A malformed value throws {@link IllegalArgumentException} naming the setting, the part and what is wrong:
 * {@code handover.business-hours: "Mon-Fry 09:00-17:00": unknown day "Fry"}.
 *
 * <h2>Grammar of {@code handover.business-hours}</h2>
 * <pre>
 * schedule  = clause *( ";" clause )
 * clause    = days 1*WSP intervals          the first digit starts the intervals; a space must precede it
 * days      = dayspec *( "," dayspec )
 * dayspec   = day | day "-" day             Fri-Mon wraps: Fri, Sat, Sun, Mon; Mon-Mon is Mon
 * day       = Mon | Tue | Wed | Thu | Fri | Sat | Sun | Monday | ... | Sunday      (any case)
 * intervals = interval *( "," interval )
 * interval  = time "-" time                 start inclusive, end exclusive
 * time      = 2DIGIT ":" 2DIGIT             00:00 to 23:59; 24:00 only as an end (midnight)
 * </pre>
 * Spaces are allowed around {@code ;}, {@code ,} and {@code -}. An interval whose end is before its start runs past
 * midnight into the next day ({@code Fri 22:00-02:00} is Friday 22:00 to Saturday 02:00; {@code Sun 22:00-02:00}
 * ends on Monday); an end of {@code 00:00} after a later start is midnight, like {@code 24:00}. Intervals that
 * overlap or touch, within a day or across midnight, merge. Refused: unknown days, malformed or out-of-range times
 * ({@code 25:00}, {@code 9:5}, {@code 12:60}), a start of {@code 24:00}, empty intervals ({@code 09:00-09:00}),
 * empty clauses (a trailing {@code ;} too), a clause without days or without times. {@link #hours()} gives the
 * normalised form: one clause per set of days sharing the same intervals, days in week order, a run of days as a
 * range, an interval past midnight written as one when it ends before it would start again.
 *
 * <h2>Time</h2>
 * The open intervals of a local date are laid on the time line of the zone: each starts at the first instant the
 * clock shows its start on that date and ends at the first instant the clock shows its end, so
 * <ul>
 * <li>a time in a spring-forward gap means the first instant after the gap: an interval starting in the gap opens
 * when the gap ends, one ending in it closes then, one inside it is not open that day;</li>
 * <li>at a fall-back, an interval that spans the repeated hour lasts an hour longer in real time, one that ends
 * inside it closes the first time the clock shows its end, one that starts inside it opens the first time;</li>
 * <li>open time ({@link #openTimeBetween}, {@link #afterOpenTime}) is real elapsed time, never wall-clock
 * arithmetic.</li>
 * </ul>
 * A date's own time runs from the first instant its clock shows 00:00 to the first instant the next date's does; a
 * closed date is closed for all of it. An interval running past midnight into a closed date stops at midnight; one
 * running from a closed date into an open one is open from midnight.
 *
 * <p>
 * Every schedule has open time every week (a clause needs an interval), and closed dates are finitely many, so
 * {@link #nextOpening} is empty only when no opening fits in java.time's range of dates. Instants must be within the
 * range of {@link LocalDateTime} in the zone, with a few weeks to spare.
 */
public final class BusinessHours {

    public static final String TIME_ZONE = "handover.time-zone";
    public static final String BUSINESS_HOURS = "handover.business-hours";
    public static final String CLOSED_DAYS = "handover.closed-days";

    private static final int DAY = 24 * 60;
    private static final int WEEK = 7 * DAY;
    private static final Pattern TIME = Pattern.compile("(\\d\\d):(\\d\\d)");
    private static final Pattern CLAUSES = Pattern.compile("\\s*;\\s*");
    private static final Pattern COMMA = Pattern.compile("\\s*,\\s*");
    private static final Pattern DASH = Pattern.compile("\\s*-\\s*");
    /** Monday first. */
    private static final List<String> DAY_NAMES = Arrays.stream(DayOfWeek.values())
            .map(day -> day.getDisplayName(TextStyle.FULL, Locale.ENGLISH)).toList();
    /** Past the last closed date, a search for the next opening gives up after this many days (never, in practice). */
    private static final int SEARCH_DAYS = 28;

    private final ZoneId zone;
    private final ZoneRules rules;
    /** Merged open intervals of each day of the week, in minutes of the day, Monday first. */
    private final List<List<Minutes>> week;
    private final NavigableSet<LocalDate> closed;
    private final String hours;
    private final Duration weekly;
    private final boolean alwaysOpen;

    /** Minutes {@code [start, end)} of a day, {@code 0 <= start < end <= 1440}. */
    private record Minutes(int start, int end) {
    }

    /** Open real time {@code [start, end)}, never empty. */
    private record Span(Instant start, Instant end) {
    }

    private BusinessHours(ZoneId zone, BitSet minutes, NavigableSet<LocalDate> closed) {
        this.zone = zone;
        this.rules = zone.getRules();
        this.closed = Collections.unmodifiableNavigableSet(closed);
        var days = new ArrayList<List<Minutes>>();
        for (int d = 0; d < 7; d++) {
            var intervals = new ArrayList<Minutes>();
            int m = minutes.nextSetBit(d * DAY);
            while (m >= 0 && m < (d + 1) * DAY) {
                int end = Math.min(nextClear(minutes, m), (d + 1) * DAY);
                intervals.add(new Minutes(m - d * DAY, end - d * DAY));
                m = minutes.nextSetBit(end);
            }
            days.add(List.copyOf(intervals));
        }
        this.week = List.copyOf(days);
        this.hours = normalise(minutes);
        this.weekly = Duration.ofMinutes(minutes.cardinality());
        this.alwaysOpen = minutes.cardinality() == WEEK && closed.isEmpty();
    }

    /** The three settings, each null or blank for its default; throws {@link IllegalArgumentException} if bad. */
    public static BusinessHours parse(String timeZone, String businessHours, String closedDays) {
        return new BusinessHours(parseZone(timeZone), parseWeek(businessHours), parseClosedDays(closedDays));
    }

    public ZoneId zone() {
        return zone;
    }

    /** The weekly schedule in normal form; {@code Mon-Sun 00:00-24:00} when open all week. */
    public String hours() {
        return hours;
    }

    /** The closed dates, in order. */
    public List<LocalDate> closedDays() {
        return List.copyOf(closed);
    }

    /** Open at every instant: the whole week and no closed date. */
    public boolean alwaysOpen() {
        return alwaysOpen;
    }

    public boolean isOpen(Instant t) {
        if (alwaysOpen) {
            return true;
        }
        for (var date = firstDate(t); !midnight(date).isAfter(t); date = date.plusDays(1)) {
            for (var span : spans(date)) {
                if (!span.start().isAfter(t) && span.end().isAfter(t)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code t} itself when open, else the start of the next open interval; in the zone. */
    public Optional<ZonedDateTime> nextOpening(Instant t) {
        if (alwaysOpen) {
            return Optional.of(t.atZone(zone));
        }
        var date = firstDate(t);
        var last = closed.isEmpty() || closed.last().isBefore(date) ? date : closed.last();
        var limit = last.plusDays(SEARCH_DAYS);
        for (; !date.isAfter(limit); date = date.plusDays(1)) {
            for (var span : spans(date)) {
                if (span.end().isAfter(t)) {
                    return Optional.of((span.start().isAfter(t) ? span.start() : t).atZone(zone));
                }
            }
        }
        return Optional.empty();
    }

    /** How much of {@code [from, to)} is open, in real time; zero when {@code to} is not after {@code from}. */
    public Duration openTimeBetween(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return Duration.ZERO;
        }
        if (alwaysOpen) {
            return Duration.between(from, to);
        }
        var total = Duration.ZERO;
        for (var date = firstDate(from);;) {
            var midnight = midnight(date);
            if (!midnight.isBefore(to)) {
                return total;
            }
            if (!midnight.isBefore(from)) {
                long weeks = plainWeeks(date, midnight, to, Long.MAX_VALUE);
                if (weeks > 0) {
                    total = total.plus(weekly.multipliedBy(weeks));
                    date = date.plusWeeks(weeks);
                    continue;
                }
            }
            for (var span : spans(date)) {
                var start = span.start().isAfter(from) ? span.start() : from;
                var end = span.end().isBefore(to) ? span.end() : to;
                if (end.isAfter(start)) {
                    total = total.plus(Duration.between(start, end));
                }
            }
            date = date.plusDays(1);
        }
    }

    /**
     * The earliest instant by which {@code d} of open time has passed since {@code from}: the due time of "after
     * {@code d} in business hours". {@code openTimeBetween(from, result)} is {@code d}; for a positive {@code d} the
     * result is open or ends an open interval; for zero it is {@code from}.
     */
    public Instant afterOpenTime(Instant from, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("open time must not be negative: " + d);
        }
        if (d.isZero()) {
            return from;
        }
        if (alwaysOpen) {
            return from.plus(d);
        }
        var remaining = d;
        for (var date = firstDate(from);; date = date.plusDays(1)) {
            var midnight = midnight(date);
            if (!midnight.isBefore(from)) {
                // Whole weeks only while some open time is left after them: the result lies in a partial week.
                long weeks = plainWeeks(date, midnight, null, remaining.minusNanos(1).dividedBy(weekly));
                if (weeks > 0) {
                    remaining = remaining.minus(weekly.multipliedBy(weeks));
                    date = date.plusWeeks(weeks);
                }
            }
            for (var span : spans(date)) {
                if (!span.end().isAfter(from)) {
                    continue;
                }
                var start = span.start().isAfter(from) ? span.start() : from;
                var available = Duration.between(start, span.end());
                if (remaining.compareTo(available) <= 0) {
                    return start.plus(remaining);
                }
                remaining = remaining.minus(available);
            }
        }
    }

    /**
     * The next opening as the notice says it, in English and the zone's wall time: {@code now} when open,
     * {@code today 14:00}, {@code tomorrow 09:00}, {@code Monday 09:00} within six days, else with the date,
     * {@code Monday 5 January 09:00} (and the year when a year or more away); {@code later} if there is none.
     */
    public String describeNextOpening(Instant t) {
        var next = nextOpening(t);
        if (next.isEmpty()) {
            return "later";
        }
        var at = next.get();
        if (!at.toInstant().isAfter(t)) {
            return "now";
        }
        var today = t.atZone(zone).toLocalDate();
        var date = at.toLocalDate();
        var time = twoDigits(at.getHour()) + ":" + twoDigits(at.getMinute());
        long days = ChronoUnit.DAYS.between(today, date);
        var weekday = date.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        if (days == 0) {
            return "today " + time;
        }
        if (days == 1) {
            return "tomorrow " + time;
        }
        if (days <= 6) {
            return weekday + " " + time;
        }
        var month = date.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        var year = date.isBefore(today.plusYears(1)) ? "" : " " + date.getYear();
        return weekday + " " + date.getDayOfMonth() + " " + month + year + " " + time;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BusinessHours other && zone.equals(other.zone) && hours.equals(other.hours)
                && closed.equals(other.closed);
    }

    @Override
    public int hashCode() {
        return (zone.hashCode() * 31 + hours.hashCode()) * 31 + closed.hashCode();
    }

    /** The settings in normal form, as they would be written. */
    @Override
    public String toString() {
        return "BusinessHours[" + TIME_ZONE + "=" + zone.getId() + ", " + BUSINESS_HOURS + "=" + hours + ", "
                + CLOSED_DAYS + "=" + closed.stream().map(LocalDate::toString).collect(Collectors.joining(","))
                + "]";
    }

    // The time line.

    /** The first instant the clock shows {@code minute} of {@code date}; in a gap, the first instant after it. */
    private Instant instant(LocalDate date, int minute) {
        var local = minute == DAY ? date.plusDays(1).atStartOfDay() : date.atTime(minute / 60, minute % 60);
        var offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            return rules.getTransition(local).getInstant();
        }
        var first = local.toInstant(offsets.get(0));
        for (int i = 1; i < offsets.size(); i++) {
            var other = local.toInstant(offsets.get(i));
            if (other.isBefore(first)) {
                first = other;
            }
        }
        return first;
    }

    private Instant midnight(LocalDate date) {
        return instant(date, 0);
    }

    /** A date whose own time starts no later than {@code t}, so that no earlier date's spans reach {@code t}. */
    private LocalDate firstDate(Instant t) {
        var date = LocalDate.ofInstant(t, zone);
        while (midnight(date).isAfter(t)) {
            date = date.minusDays(1);
        }
        return date;
    }

    /** The open spans of a date, in order; none on a closed date. */
    private List<Span> spans(LocalDate date) {
        if (closed.contains(date)) {
            return List.of();
        }
        var intervals = week.get(date.getDayOfWeek().ordinal());
        var spans = new ArrayList<Span>(intervals.size());
        for (var interval : intervals) {
            var start = instant(date, interval.start());
            var end = instant(date, interval.end());
            if (end.isAfter(start)) {
                spans.add(new Span(start, end));
            }
        }
        return spans;
    }

    /**
     * How many whole weeks from {@code date} (whose own time starts at {@code midnight}) hold exactly
     * {@link #weekly} of open time because nothing interrupts them: no closed date and no change of offset, so wall
     * time and real time run together. They also end by {@code to} when given, and number at most {@code max}. Long
     * spans are then counted a week at a time instead of a day at a time.
     */
    private long plainWeeks(LocalDate date, Instant midnight, Instant to, long max) {
        if (max <= 0) {
            return 0;
        }
        var offset = rules.getOffset(midnight);
        if (!date.atStartOfDay().toInstant(offset).equals(midnight)) {
            return 0; // midnight in a gap: this date is short
        }
        long days = Long.MAX_VALUE;
        var transition = rules.nextTransition(midnight);
        if (transition != null) {
            // The last midnight of the stretch must come strictly before the change of offset.
            var change = LocalDateTime.ofInstant(transition.getInstant(), offset);
            var end = change.toLocalTime().equals(LocalTime.MIDNIGHT) ? change.toLocalDate().minusDays(1)
                    : change.toLocalDate();
            days = Math.min(days, ChronoUnit.DAYS.between(date, end));
        }
        if (to != null) {
            days = Math.min(days, ChronoUnit.DAYS.between(date, LocalDateTime.ofInstant(to, offset).toLocalDate()));
        }
        var nextClosed = closed.ceiling(date);
        if (nextClosed != null) {
            days = Math.min(days, ChronoUnit.DAYS.between(date, nextClosed));
        }
        return Math.min(days / 7, max);
    }

    // Parsing.

    private static ZoneId parseZone(String value) {
        if (value == null || value.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(value.strip());
        } catch (DateTimeException e) {
            throw malformed(TIME_ZONE, value, "unknown time zone");
        }
    }

    private static NavigableSet<LocalDate> parseClosedDays(String value) {
        var dates = new TreeSet<LocalDate>();
        if (value == null || value.isBlank()) {
            return dates;
        }
        for (var item : COMMA.split(value.strip(), -1)) {
            if (item.isEmpty()) {
                throw malformed(CLOSED_DAYS, value, "empty date between commas");
            }
            try {
                dates.add(LocalDate.parse(item));
            } catch (DateTimeException e) {
                throw malformed(CLOSED_DAYS, item, "not a date (expected yyyy-MM-dd)");
            }
        }
        return dates;
    }

    /** The open minutes of the week, Monday 00:00 first. */
    private static BitSet parseWeek(String value) {
        var minutes = new BitSet(WEEK);
        if (value == null || value.isBlank()) {
            minutes.set(0, WEEK);
            return minutes;
        }
        for (var clause : CLAUSES.split(value.strip(), -1)) {
            if (clause.isEmpty()) {
                throw malformed(BUSINESS_HOURS, value, "empty clause (clauses are separated by ';')");
            }
            int digit = firstDigit(clause);
            if (digit < 0) {
                throw malformed(BUSINESS_HOURS, clause, "no times (expected days then HH:mm-HH:mm)");
            }
            if (digit == 0) {
                throw malformed(BUSINESS_HOURS, clause, "no days (expected e.g. Mon-Fri before the times)");
            }
            if (!Character.isWhitespace(clause.charAt(digit - 1))) {
                throw malformed(BUSINESS_HOURS, clause, "expected a space between the days and the times");
            }
            var days = parseDays(clause, clause.substring(0, digit).strip());
            for (var interval : COMMA.split(clause.substring(digit), -1)) {
                var range = parseInterval(clause, interval);
                for (int day : days) {
                    int start = day * DAY + range.start();
                    int end = day * DAY + range.end();
                    minutes.set(start, Math.min(end, WEEK));
                    if (end > WEEK) {
                        minutes.set(0, end - WEEK); // Sunday night into Monday
                    }
                }
            }
        }
        return minutes;
    }

    private static int firstDigit(String clause) {
        for (int i = 0; i < clause.length(); i++) {
            if (clause.charAt(i) >= '0' && clause.charAt(i) <= '9') {
                return i;
            }
        }
        return -1;
    }

    /** Day indexes, Monday 0, in the order written. */
    private static List<Integer> parseDays(String clause, String text) {
        var days = new ArrayList<Integer>();
        for (var item : COMMA.split(text, -1)) {
            var ends = DASH.split(item, -1);
            if (ends.length > 2 || Arrays.stream(ends).anyMatch(String::isEmpty)) {
                throw malformed(BUSINESS_HOURS, clause,
                        "bad days \"" + text + "\" (expected e.g. Mon-Fri or Mon,Wed)");
            }
            int first = day(clause, ends[0]);
            int last = ends.length == 2 ? day(clause, ends[1]) : first;
            for (int d = first;; d = (d + 1) % 7) { // a range may wrap past Sunday
                days.add(d);
                if (d == last) {
                    break;
                }
            }
        }
        return days;
    }

    private static int day(String clause, String name) {
        for (int day = 0; day < 7; day++) {
            var full = DAY_NAMES.get(day);
            if (name.equalsIgnoreCase(full) || name.equalsIgnoreCase(full.substring(0, 3))) {
                return day;
            }
        }
        throw malformed(BUSINESS_HOURS, clause, "unknown day \"" + name + "\"");
    }

    /** Minutes of the day; the end is after the start, past 1440 for an interval that runs past midnight. */
    private static Minutes parseInterval(String clause, String text) {
        var ends = DASH.split(text, -1);
        if (ends.length != 2) {
            throw malformed(BUSINESS_HOURS, clause, "bad interval \"" + text + "\" (expected HH:mm-HH:mm)");
        }
        int start = time(clause, ends[0]);
        int end = time(clause, ends[1]);
        if (start == DAY) {
            throw malformed(BUSINESS_HOURS, clause, "interval \"" + text + "\" starts at 24:00 (use 00:00)");
        }
        if (end == start) {
            throw malformed(BUSINESS_HOURS, clause, "empty interval \"" + text + "\"");
        }
        return new Minutes(start, end < start ? end + DAY : end);
    }

    private static int time(String clause, String text) {
        var matcher = TIME.matcher(text);
        if (matcher.matches()) {
            int hour = Integer.parseInt(matcher.group(1));
            int minute = Integer.parseInt(matcher.group(2));
            if (hour < 24 && minute < 60 || hour == 24 && minute == 0) {
                return hour * 60 + minute;
            }
        }
        throw malformed(BUSINESS_HOURS, clause, "bad time \"" + text + "\" (expected HH:mm from 00:00 to 24:00)");
    }

    private static IllegalArgumentException malformed(String setting, String part, String problem) {
        return new IllegalArgumentException(setting + ": \"" + part + "\": " + problem);
    }

    // Normal form.

    private static int nextClear(BitSet minutes, int from) {
        return Math.min(minutes.nextClearBit(from), WEEK);
    }

    /**
     * One clause per distinct list of intervals, naming the days that have it. Stretches of open minutes are walked
     * round the week from a closed minute, so one crossing Sunday midnight is written on Sunday.
     */
    private static String normalise(BitSet minutes) {
        var written = new ArrayList<List<String>>();
        for (int d = 0; d < 7; d++) {
            written.add(new ArrayList<>());
        }
        int closedMinute = minutes.nextClearBit(0);
        if (closedMinute >= WEEK) {
            return "Mon-Sun 00:00-24:00";
        }
        // Stretches [start, end) in minutes from Monday 00:00, end up to a week past the closed minute.
        for (int m = next(minutes, closedMinute, true); m < closedMinute + WEEK;) {
            int end = next(minutes, m, false);
            write(written, m, end);
            m = next(minutes, end, true);
        }
        var clauses = new LinkedHashMap<List<String>, List<Integer>>();
        for (int d = 0; d < 7; d++) {
            var intervals = written.get(d);
            if (!intervals.isEmpty()) {
                Collections.sort(intervals); // HH:mm sorts as text
                clauses.computeIfAbsent(intervals, k -> new ArrayList<>()).add(d);
            }
        }
        var out = new ArrayList<String>();
        clauses.forEach((intervals, days) -> out.add(dayList(days) + " " + String.join(",", intervals)));
        return String.join("; ", out);
    }

    /** A stretch as intervals of the days it starts on: past midnight as one interval while that reads back right. */
    private static void write(List<List<String>> written, int start, int end) {
        int pos = start;
        while (pos < end) {
            int dayStart = pos / DAY * DAY;
            int from = pos - dayStart;
            var intervals = written.get(pos / DAY % 7);
            if (end <= dayStart + DAY) {
                intervals.add(hhmm(from) + "-" + hhmm(end - dayStart));
                return;
            }
            int overnightEnd = end - dayStart - DAY;
            if (overnightEnd < DAY && overnightEnd < from) {
                intervals.add(hhmm(from) + "-" + hhmm(overnightEnd));
                return;
            }
            intervals.add(hhmm(from) + "-24:00");
            pos = dayStart + DAY;
        }
    }

    /** The first minute from {@code from} on, going round the week once, that is open (or closed). */
    private static int next(BitSet minutes, int from, boolean open) {
        int lap = from / WEEK * WEEK;
        int found = open ? minutes.nextSetBit(from - lap) : minutes.nextClearBit(from - lap);
        if (found >= 0 && found < WEEK) {
            return lap + found;
        }
        found = open ? minutes.nextSetBit(0) : minutes.nextClearBit(0);
        return lap + WEEK + found;
    }

    private static String dayList(List<Integer> days) {
        var parts = new ArrayList<String>();
        for (int i = 0; i < days.size();) {
            int j = i;
            while (j + 1 < days.size() && days.get(j + 1) == days.get(j) + 1) {
                j++;
            }
            parts.add(j == i ? name(days.get(i)) : name(days.get(i)) + "-" + name(days.get(j)));
            i = j + 1;
        }
        return String.join(",", parts);
    }

    private static String name(int day) {
        return DAY_NAMES.get(day).substring(0, 3);
    }

    private static String hhmm(int minute) {
        return twoDigits(minute / 60) + ":" + twoDigits(minute % 60);
    }

    private static String twoDigits(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
