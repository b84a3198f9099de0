package dev.messengerhandover.dev;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;

import jakarta.inject.Singleton;

import io.quarkus.arc.profile.IfBuildProfile;

/**
 * The function's clock in dev mode and tests: the emulated platform's time, which the emulator (or a test) moves, in
 * place of the system clock the function uses in AWS. Time is one for the platform and the function: a control that
 * lapses after 24 h on the emulator lapses for the function at the same moment.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@Singleton
public class PlatformClock extends Clock {

    private static volatile LongSupplier source = System::currentTimeMillis;
    private final ZoneId zone;

    public PlatformClock() {
        this(ZoneOffset.UTC);
    }

    private PlatformClock(ZoneId zone) {
        this.zone = zone;
    }

    /** From now on the function's time is {@code millis} (the emulator's clock, or a test's). */
    public static void use(LongSupplier millis) {
        source = millis;
    }

    @Override
    public long millis() {
        return source.getAsLong();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new PlatformClock(zone);
    }
}
