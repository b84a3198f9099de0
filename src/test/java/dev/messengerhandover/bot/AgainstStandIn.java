package dev.messengerhandover.bot;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import dev.messengerhandover.testing.BotStandIn;

/** Tests of a bot client against the bots' stand-in: one stand-in a class, its scripts and calls cleared a test. */
abstract class AgainstStandIn {

    static BotStandIn standIn;

    @BeforeAll
    static void startStandIn() {
        standIn = new BotStandIn();
    }

    @AfterAll
    static void stopStandIn() {
        standIn.close();
    }

    @BeforeEach
    void clearStandIn() {
        standIn.clear();
    }
}
