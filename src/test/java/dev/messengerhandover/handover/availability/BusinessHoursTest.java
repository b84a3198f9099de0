package dev.messengerhandover.handover.availability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The issue's examples, the grammar's decisions, DST in Paris and New York, and the messages for bad settings. */
class BusinessHoursTest {

    private static final String EXAMPLE = "Mon-Fri 09:00-17:30; Sat 10:00-14:00";

    /** 2026-01-05 is a Monday. */
    private static Instant at(String zone, String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(ZoneId.of(zone)).toInstant();
    }

    private static ZonedDateTime zoned(String zone, String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(ZoneId.of(zone));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Europe/Paris", "America/New_York", "Asia/Kolkata", "UTC" })
    void theIssuesExampleInItsZone(String zone) {
        var hours = BusinessHours.parse(zone, EXAMPLE, null);

        assertThat(hours.zone()).isEqualTo(ZoneId.of(zone));
        assertThat(hours.alwaysOpen()).isFalse();
        assertThat(hours.isOpen(at(zone, "2026-01-05T08:59:59"))).isFalse();
        assertThat(hours.isOpen(at(zone, "2026-01-05T09:00:00"))).isTrue();
        assertThat(hours.isOpen(at(zone, "2026-01-09T17:29:59"))).isTrue();
        assertThat(hours.isOpen(at(zone, "2026-01-09T17:30:00"))).isFalse();
        assertThat(hours.isOpen(at(zone, "2026-01-10T10:00:00"))).isTrue();
        assertThat(hours.isOpen(at(zone, "2026-01-11T12:00:00"))).isFalse();

        // Saturday 15:00: closed until Monday.
        var saturday = at(zone, "2026-01-10T15:00:00");
        assertThat(hours.nextOpening(saturday)).contains(zoned(zone, "2026-01-12T09:00:00"));
        assertThat(hours.describeNextOpening(saturday)).isEqualTo("Monday 09:00");

        // A week: five days of 8.5 h and Saturday's 4 h.
        assertThat(hours.openTimeBetween(at(zone, "2026-01-05T00:00:00"), at(zone, "2026-01-12T00:00:00")))
                .isEqualTo(Duration.ofMinutes(5 * 510 + 240));
        // Ten minutes of business hours from Friday 17:25 are due on Saturday 10:05.
        assertThat(hours.afterOpenTime(at(zone, "2026-01-09T17:25:00"), Duration.ofMinutes(10)))
                .isEqualTo(at(zone, "2026-01-10T10:05:00"));
        assertThat(hours.afterOpenTime(at(zone, "2026-01-10T13:55:00"), Duration.ofMinutes(10)))
                .isEqualTo(at(zone, "2026-01-12T09:05:00"));
    }

    @Test
    void theSameInstantIsOpenInOneZoneAndClosedInAnother() {
        var noonInParis = at("Europe/Paris", "2026-01-07T12:00:00");
        assertThat(BusinessHours.parse("Europe/Paris", EXAMPLE, null).isOpen(noonInParis)).isTrue();
        assertThat(BusinessHours.parse("America/New_York", EXAMPLE, null).isOpen(noonInParis)).isFalse(); // 06:00
        assertThat(BusinessHours.parse("Asia/Kolkata", EXAMPLE, null).isOpen(noonInParis)).isTrue(); // 16:30
        assertThat(BusinessHours.parse("Asia/Kolkata", EXAMPLE, null).describeNextOpening(noonInParis.plusSeconds(
                3600))).isEqualTo("tomorrow 09:00"); // 17:30 in Kolkata
    }

    @Test
    void theNoticeSaysWhenTheTeamIsBack() {
        var hours = BusinessHours.parse("Europe/Paris", "Mon-Fri 09:00-12:00,14:00-17:30", null);
        assertThat(hours.describeNextOpening(at("Europe/Paris", "2026-01-05T10:00:00"))).isEqualTo("now");
        assertThat(hours.describeNextOpening(at("Europe/Paris", "2026-01-05T07:00:00"))).isEqualTo("today 09:00");
        assertThat(hours.describeNextOpening(at("Europe/Paris", "2026-01-05T12:30:00"))).isEqualTo("today 14:00");
        assertThat(hours.describeNextOpening(at("Europe/Paris", "2026-01-05T18:00:00"))).isEqualTo("tomorrow 09:00");
        assertThat(hours.describeNextOpening(at("Europe/Paris", "2026-01-09T18:00:00"))).isEqualTo("Monday 09:00");
        // Just before midnight, tomorrow is the next local day.
        assertThat(hours.describeNextOpening(at("Europe/Paris", "2026-01-08T23:59:00"))).isEqualTo("tomorrow 09:00");
    }

    @Test
    void christmasOnAFridayOpensOnMonday() {
        var hours = BusinessHours.parse("Europe/Paris", EXAMPLE, "2026-12-25,2026-12-26");
        var christmasEve = at("Europe/Paris", "2026-12-24T18:00:00");
        assertThat(hours.isOpen(at("Europe/Paris", "2026-12-25T10:00:00"))).isFalse();
        assertThat(hours.isOpen(at("Europe/Paris", "2026-12-26T11:00:00"))).isFalse();
        assertThat(hours.nextOpening(christmasEve)).contains(zoned("Europe/Paris", "2026-12-28T09:00:00"));
        assertThat(hours.describeNextOpening(christmasEve)).isEqualTo("Monday 09:00");
        assertThat(hours.afterOpenTime(christmasEve, Duration.ofMinutes(10)))
                .isEqualTo(at("Europe/Paris", "2026-12-28T09:10:00"));
        assertThat(hours.openTimeBetween(christmasEve, at("Europe/Paris", "2026-12-28T10:00:00")))
                .isEqualTo(Duration.ofHours(1));
        assertThat(BusinessHours.parse("Europe/Paris", "Mon-Fri 09:00-17:00", "2026-12-25")
                .describeNextOpening(christmasEve)).isEqualTo("Monday 09:00");
    }

    @Test
    void moreThanSixDaysAwayTheNoticeGivesTheDate() {
        var holidays = Stream.iterate(LocalDate.parse("2026-12-24"), d -> d.plusDays(1)).limit(9)
                .map(LocalDate::toString).collect(Collectors.joining(","));
        var hours = BusinessHours.parse("Europe/Paris", EXAMPLE, holidays);
        var before = at("Europe/Paris", "2026-12-23T18:00:00");
        assertThat(hours.nextOpening(before)).contains(zoned("Europe/Paris", "2027-01-02T10:00:00"));
        assertThat(hours.describeNextOpening(before)).isEqualTo("Saturday 2 January 10:00");

        // A year or more away, the year too.
        var aYear = Stream.iterate(LocalDate.parse("2026-01-01"), d -> d.plusDays(1)).limit(400)
                .map(LocalDate::toString).collect(Collectors.joining(","));
        assertThat(BusinessHours.parse("UTC", "Mon-Fri 09:00-17:00", aYear)
                .describeNextOpening(at("UTC", "2025-12-31T18:00:00"))).isEqualTo("Friday 5 February 2027 09:00");
    }

    @Test
    void anIntervalPastMidnightIntoAClosedDayStopsAtMidnight() {
        var hours = BusinessHours.parse("UTC", "Fri 22:00-02:00", "2026-01-10");
        assertThat(hours.isOpen(at("UTC", "2026-01-09T23:59:59"))).isTrue();
        assertThat(hours.isOpen(at("UTC", "2026-01-10T00:00:00"))).isFalse();
        assertThat(hours.isOpen(at("UTC", "2026-01-17T01:00:00"))).isTrue(); // next Saturday is not closed
        assertThat(hours.openTimeBetween(at("UTC", "2026-01-09T00:00:00"), at("UTC", "2026-01-11T00:00:00")))
                .isEqualTo(Duration.ofHours(2));
    }

    @Test
    void blankMeansAlwaysOpenInUtc() {
        for (var hours : new BusinessHours[] { BusinessHours.parse(null, null, null),
                BusinessHours.parse(" ", "", "  ") }) {
            assertThat(hours.alwaysOpen()).isTrue();
            assertThat(hours.zone()).isEqualTo(ZoneId.of("UTC"));
            assertThat(hours.hours()).isEqualTo("Mon-Sun 00:00-24:00");
            var t = Instant.parse("2026-03-29T01:30:00Z");
            assertThat(hours.isOpen(t)).isTrue();
            assertThat(hours.nextOpening(t)).contains(t.atZone(ZoneId.of("UTC")));
            assertThat(hours.describeNextOpening(t)).isEqualTo("now");
            assertThat(hours.afterOpenTime(t, Duration.ofMinutes(10))).isEqualTo(t.plusSeconds(600));
        }
        assertThat(BusinessHours.parse("UTC", "Mon-Sun 00:00-24:00", null)).isEqualTo(BusinessHours.parse("", "", ""));
        assertThat(BusinessHours.parse("UTC", null, "2026-12-25").alwaysOpen()).isFalse();
    }

    @Test
    void theNormalFormMergesAndGroups() {
        assertThat(BusinessHours.parse("Europe/Paris", " mon - FRI 09:00 - 17:30 ;saturday 10:00-14:00 ", null))
                .hasToString("BusinessHours[handover.time-zone=Europe/Paris, handover.business-hours=" + EXAMPLE
                        + ", handover.closed-days=]");
        assertThat(hours("Mon 09:00-12:00,11:00-13:00,13:00-14:00")).isEqualTo("Mon 09:00-14:00");
        assertThat(hours("Mon,Wed,Fri 09:00-17:00; Tue 09:00-17:00")).isEqualTo("Mon-Wed,Fri 09:00-17:00");
        assertThat(hours("Mon 09:00-12:00; Mon 14:00-18:00")).isEqualTo("Mon 09:00-12:00,14:00-18:00");
        // A range may wrap past Sunday.
        assertThat(hours("Fri-Mon 10:00-16:00")).isEqualTo("Mon,Fri-Sun 10:00-16:00");
        // Past midnight: written as one interval; 24:00 and 00:00 both end at midnight.
        assertThat(hours("Fri 22:00-02:00")).isEqualTo("Fri 22:00-02:00");
        assertThat(hours("Fri 22:00-24:00; Sat 00:00-02:00")).isEqualTo("Fri 22:00-02:00");
        assertThat(hours("Fri 22:00-00:00")).isEqualTo("Fri 22:00-24:00");
        assertThat(hours("Sun 22:00-06:00")).isEqualTo("Sun 22:00-06:00");
        assertThat(hours("Fri 20:00-24:00; Sat 00:00-24:00; Sun 00:00-02:00"))
                .isEqualTo("Fri 20:00-24:00; Sat 00:00-24:00; Sun 00:00-02:00");
        assertThat(hours("Mon-Sun 18:00-09:00")).isEqualTo("Mon-Sun 18:00-09:00");
    }

    private static String hours(String spec) {
        var hours = BusinessHours.parse("UTC", spec, null);
        assertThat(BusinessHours.parse("UTC", hours.hours(), null)).isEqualTo(hours);
        return hours.hours();
    }

    @Test
    void springForwardInParis() {
        // 2026-03-29: 02:00 CET becomes 03:00 CEST; 02:00-03:00 does not exist.
        var night = BusinessHours.parse("Europe/Paris", "Sun 01:00-04:00", null);
        assertThat(night.openTimeBetween(at("Europe/Paris", "2026-03-28T00:00:00"),
                at("Europe/Paris", "2026-03-30T00:00:00"))).isEqualTo(Duration.ofHours(2));
        assertThat(night.afterOpenTime(at("Europe/Paris", "2026-03-29T01:30:00"), Duration.ofMinutes(45)))
                .isEqualTo(at("Europe/Paris", "2026-03-29T03:15:00"));

        // An interval starting in the gap opens when the gap ends.
        var inTheGap = BusinessHours.parse("Europe/Paris", "Sun 02:30-05:00", null);
        var saturday = at("Europe/Paris", "2026-03-28T20:00:00");
        assertThat(inTheGap.nextOpening(saturday)).contains(zoned("Europe/Paris", "2026-03-29T03:00:00"));
        assertThat(inTheGap.nextOpening(saturday).orElseThrow().toInstant()).isEqualTo("2026-03-29T01:00:00Z");
        assertThat(inTheGap.describeNextOpening(saturday)).isEqualTo("tomorrow 03:00");
        assertThat(inTheGap.isOpen(Instant.parse("2026-03-29T00:59:59Z"))).isFalse();
        assertThat(inTheGap.isOpen(Instant.parse("2026-03-29T01:00:00Z"))).isTrue();

        // One wholly inside it is not open that day.
        var lost = BusinessHours.parse("Europe/Paris", "Sun 02:00-02:30; Mon 09:00-10:00", null);
        assertThat(lost.nextOpening(saturday)).contains(zoned("Europe/Paris", "2026-03-30T09:00:00"));
        assertThat(lost.nextOpening(at("Europe/Paris", "2026-04-04T20:00:00")))
                .contains(zoned("Europe/Paris", "2026-04-05T02:00:00"));

        // Always open that day: 23 hours of real time.
        var sunday = BusinessHours.parse("Europe/Paris", "Sun 00:00-24:00", null);
        assertThat(sunday.openTimeBetween(at("Europe/Paris", "2026-03-28T12:00:00"),
                at("Europe/Paris", "2026-03-30T12:00:00"))).isEqualTo(Duration.ofHours(23));
        assertThat(sunday.afterOpenTime(at("Europe/Paris", "2026-03-29T00:00:00"), Duration.ofHours(12)))
                .isEqualTo(at("Europe/Paris", "2026-03-29T13:00:00"));
    }

    @Test
    void fallBackInParis() {
        // 2026-10-25: 03:00 CEST becomes 02:00 CET; 02:00-03:00 happens twice.
        var paris = ZoneId.of("Europe/Paris");
        var firstHalfPastTwo = Instant.parse("2026-10-25T00:30:00Z");
        var secondHalfPastTwo = Instant.parse("2026-10-25T01:30:00Z");
        assertThat(firstHalfPastTwo.atZone(paris).toLocalTime()).isEqualTo(secondHalfPastTwo.atZone(paris)
                .toLocalTime());

        // Spanning the repeated hour: an hour longer.
        var night = BusinessHours.parse("Europe/Paris", "Sun 01:00-04:00", null);
        assertThat(night.openTimeBetween(at("Europe/Paris", "2026-10-24T00:00:00"),
                at("Europe/Paris", "2026-10-26T00:00:00"))).isEqualTo(Duration.ofHours(4));
        assertThat(night.isOpen(firstHalfPastTwo)).isTrue();
        assertThat(night.isOpen(secondHalfPastTwo)).isTrue();

        // Ending inside it: closes the first time the clock shows the end.
        var early = BusinessHours.parse("Europe/Paris", "Sun 00:00-02:30", null);
        assertThat(early.isOpen(firstHalfPastTwo.minusSeconds(1))).isTrue();
        assertThat(early.isOpen(firstHalfPastTwo)).isFalse();
        assertThat(early.isOpen(secondHalfPastTwo.minusSeconds(600))).isFalse(); // the clock shows 02:20 again
        assertThat(early.openTimeBetween(at("Europe/Paris", "2026-10-25T00:00:00"),
                at("Europe/Paris", "2026-10-26T00:00:00"))).isEqualTo(Duration.ofMinutes(150));

        // Starting inside it: opens the first time, and stays open through the repetition.
        var late = BusinessHours.parse("Europe/Paris", "Sun 02:30-05:00", null);
        assertThat(late.nextOpening(at("Europe/Paris", "2026-10-25T00:00:00")).orElseThrow().toInstant())
                .isEqualTo(firstHalfPastTwo);
        assertThat(late.isOpen(Instant.parse("2026-10-25T01:10:00Z"))).isTrue(); // 02:10 CET, second time
        assertThat(late.openTimeBetween(at("Europe/Paris", "2026-10-25T00:00:00"),
                at("Europe/Paris", "2026-10-26T00:00:00"))).isEqualTo(Duration.ofMinutes(210));

        var sunday = BusinessHours.parse("Europe/Paris", "Sun 00:00-24:00", null);
        assertThat(sunday.openTimeBetween(at("Europe/Paris", "2026-10-24T12:00:00"),
                at("Europe/Paris", "2026-10-26T12:00:00"))).isEqualTo(Duration.ofHours(25));
        assertThat(sunday.afterOpenTime(at("Europe/Paris", "2026-10-25T00:00:00"), Duration.ofHours(12)))
                .isEqualTo(at("Europe/Paris", "2026-10-25T11:00:00"));
    }

    @Test
    void dstInNewYork() {
        var ny = "America/New_York";
        // 2026-03-08 02:00 EST becomes 03:00 EDT; 2026-11-01 02:00 EDT becomes 01:00 EST.
        var weekend = BusinessHours.parse(ny, "Sat-Sun 00:00-24:00", null);
        assertThat(weekend.openTimeBetween(at(ny, "2026-03-06T12:00:00"), at(ny, "2026-03-09T12:00:00")))
                .isEqualTo(Duration.ofHours(47));
        assertThat(weekend.openTimeBetween(at(ny, "2026-10-30T12:00:00"), at(ny, "2026-11-02T12:00:00")))
                .isEqualTo(Duration.ofHours(49));

        // Office hours do not see a change on a Sunday night, though the week is an hour shorter or longer.
        var office = BusinessHours.parse(ny, EXAMPLE, null);
        var spring = office.openTimeBetween(at(ny, "2026-03-02T00:00:00"), at(ny, "2026-03-09T00:00:00"));
        assertThat(spring).isEqualTo(Duration.ofMinutes(5 * 510 + 240));
        assertThat(office.openTimeBetween(at(ny, "2026-10-26T00:00:00"), at(ny, "2026-11-02T00:00:00")))
                .isEqualTo(spring);
        assertThat(office.afterOpenTime(at(ny, "2026-03-07T13:50:00"), Duration.ofMinutes(30)))
                .isEqualTo(at(ny, "2026-03-09T09:20:00"));
        assertThat(office.nextOpening(at(ny, "2026-03-07T15:00:00"))).contains(zoned(ny, "2026-03-09T09:00:00"));
        assertThat(office.nextOpening(at(ny, "2026-03-07T15:00:00")).orElseThrow().getOffset().getTotalSeconds())
                .isEqualTo(-4 * 3600);

        // A night shift across each change.
        var nights = BusinessHours.parse(ny, "Sat 22:00-06:00", null);
        assertThat(nights.openTimeBetween(at(ny, "2026-03-07T12:00:00"), at(ny, "2026-03-08T12:00:00")))
                .isEqualTo(Duration.ofHours(7));
        assertThat(nights.openTimeBetween(at(ny, "2026-10-31T12:00:00"), at(ny, "2026-11-01T12:00:00")))
                .isEqualTo(Duration.ofHours(9));
        assertThat(nights.afterOpenTime(at(ny, "2026-10-31T22:00:00"), Duration.ofHours(8)))
                .isEqualTo(at(ny, "2026-11-01T05:00:00"));
    }

    @Test
    void longSpansCountWholeWeeks() {
        var hours = BusinessHours.parse("Europe/Paris", EXAMPLE, "2026-12-25");
        var from = at("Europe/Paris", "2026-01-05T00:00:00");
        var to = at("Europe/Paris", "2028-01-03T00:00:00"); // 104 weeks later
        assertThat(hours.openTimeBetween(from, to)).isEqualTo(Duration.ofMinutes(104 * (5 * 510 + 240) - 510));
        assertThat(hours.afterOpenTime(from, hours.openTimeBetween(from, to)))
                .isEqualTo(at("Europe/Paris", "2028-01-01T14:00:00"));
        // Exactly two weeks of open time end when the second week's last interval closes, not when a third opens.
        var week = Duration.ofMinutes(5 * 510 + 240);
        assertThat(hours.afterOpenTime(from, week.multipliedBy(2)))
                .isEqualTo(at("Europe/Paris", "2026-01-17T14:00:00"));
    }

    @Test
    void negativeOpenTimeIsRefusedAndEmptySpansHaveNone() {
        var hours = BusinessHours.parse("UTC", EXAMPLE, null);
        var t = at("UTC", "2026-01-05T10:00:00");
        assertThat(hours.openTimeBetween(t, t.minusSeconds(60))).isZero();
        assertThat(hours.afterOpenTime(t.minusSeconds(3600 * 5), Duration.ZERO)).isEqualTo(t.minusSeconds(3600 * 5));
        assertThatIllegalArgumentException().isThrownBy(() -> hours.afterOpenTime(t, Duration.ofSeconds(-1)));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of(null, "Mon-Fry 09:00-17:00", null,
                        "handover.business-hours: \"Mon-Fry 09:00-17:00\": unknown day \"Fry\""),
                Arguments.of(null, "Mon 25:00-26:00", null,
                        "handover.business-hours: \"Mon 25:00-26:00\": bad time \"25:00\" (expected HH:mm from 00:00 "
                                + "to 24:00)"),
                Arguments.of(null, "Mon 9:5-17:00", null,
                        "handover.business-hours: \"Mon 9:5-17:00\": bad time \"9:5\" (expected HH:mm from 00:00 "
                                + "to 24:00)"),
                Arguments.of(null, "Mon 09:60-17:00", null, "handover.business-hours: \"Mon 09:60-17:00\": bad time "
                        + "\"09:60\" (expected HH:mm from 00:00 to 24:00)"),
                Arguments.of(null, "Mon-Fri 09:00-17:00; Sat 09:00-09:00", null,
                        "handover.business-hours: \"Sat 09:00-09:00\": empty interval \"09:00-09:00\""),
                Arguments.of(null, "Mon 24:00-02:00", null,
                        "handover.business-hours: \"Mon 24:00-02:00\": interval \"24:00-02:00\" starts at 24:00 "
                                + "(use 00:00)"),
                Arguments.of(null, "Mon 09:00", null,
                        "handover.business-hours: \"Mon 09:00\": bad interval \"09:00\" (expected HH:mm-HH:mm)"),
                Arguments.of(null, "Mon 09:00-12:00-14:00", null, "handover.business-hours: \"Mon 09:00-12:00-14:00\":"
                        + " bad interval \"09:00-12:00-14:00\" (expected HH:mm-HH:mm)"),
                Arguments.of(null, "Mon-Fri 09:00-17:00, Sat 10:00-12:00", null,
                        "handover.business-hours: \"Mon-Fri 09:00-17:00, Sat 10:00-12:00\": bad time \"Sat 10:00\" "
                                + "(expected HH:mm from 00:00 to 24:00)"),
                Arguments.of(null, "Mon-Fri", null,
                        "handover.business-hours: \"Mon-Fri\": no times (expected days then HH:mm-HH:mm)"),
                Arguments.of(null, "09:00-17:00", null,
                        "handover.business-hours: \"09:00-17:00\": no days (expected e.g. Mon-Fri before the times)"),
                Arguments.of(null, "Mon09:00-17:00", null, "handover.business-hours: \"Mon09:00-17:00\": "
                        + "expected a space between the days and the times"),
                Arguments.of(null, "Mon- 09:00-17:00", null, "handover.business-hours: \"Mon- 09:00-17:00\": bad days "
                        + "\"Mon-\" (expected e.g. Mon-Fri or Mon,Wed)"),
                Arguments.of(null, "Mon-Wed-Fri 09:00-17:00", null, "handover.business-hours: \"Mon-Wed-Fri "
                        + "09:00-17:00\": bad days \"Mon-Wed-Fri\" (expected e.g. Mon-Fri or Mon,Wed)"),
                Arguments.of(null, "Mon 09:00-17:00;", null, "handover.business-hours: \"Mon 09:00-17:00;\": empty "
                        + "clause (clauses are separated by ';')"),
                Arguments.of(null, "whenever", null,
                        "handover.business-hours: \"whenever\": no times (expected days then HH:mm-HH:mm)"),
                Arguments.of("Europe/Pariss", null, null, "handover.time-zone: \"Europe/Pariss\": unknown time zone"),
                Arguments.of("not a zone!", null, null, "handover.time-zone: \"not a zone!\": unknown time zone"),
                Arguments.of(null, null, "2026-12-25,2026-02-30",
                        "handover.closed-days: \"2026-02-30\": not a date (expected yyyy-MM-dd)"),
                Arguments.of(null, null, "25/12/2026",
                        "handover.closed-days: \"25/12/2026\": not a date (expected yyyy-MM-dd)"),
                Arguments.of(null, null, "2026-12-25,,2026-12-26",
                        "handover.closed-days: \"2026-12-25,,2026-12-26\": empty date between commas"));
    }

    @ParameterizedTest
    @MethodSource
    void malformed(String zone, String hours, String closedDays, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> BusinessHours.parse(zone, hours, closedDays))
                .withMessage(message);
    }
}
