package dev.messengerhandover.bot;

import jakarta.enterprise.context.ApplicationScoped;

import dev.messengerhandover.handover.BotAnswer;
import dev.messengerhandover.handover.BotFailure;
import dev.messengerhandover.handover.BotRequest;
import dev.messengerhandover.retry.Deadline;

/** Asks an account's bot. */
@ApplicationScoped
public class Bots {

    public BotAnswer ask(BotSettings settings, BotRequest request, Deadline deadline) {
        throw new BotException(BotFailure.ERROR, settings.kind() + ": no client in this build yet");
    }
}
