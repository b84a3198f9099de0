package dev.messengerhandover.config;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;

/**
 * The function's clock: what "now" is for control expiry, waits, claims and the sweep. The system's in AWS; dev
 * tooling replaces the bean with the emulated platform's clock, so that moving the emulator's clock moves the
 * function's too.
 */
@Singleton
public class Clocks {

    @Produces
    @DefaultBean
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
