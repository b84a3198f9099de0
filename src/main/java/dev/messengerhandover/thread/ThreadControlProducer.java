package dev.messengerhandover.thread;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.messengerhandover.config.HandoverConfig;
import dev.messengerhandover.config.MessengerConfig;
import dev.messengerhandover.handover.BotCatalogue;
import dev.messengerhandover.handover.HumanIntentMatcher;
import dev.messengerhandover.handover.Rules;
import dev.messengerhandover.handover.ThreadControl;

/** Builds the pure thread-control core from configuration. */
@ApplicationScoped
public class ThreadControlProducer {

    static final String DEFAULT_CATALOGUE = "bot-catalogue.json";

    // @Singleton, no client proxy: whoever injects it builds it, so the catalogue is read (and checked) at start-up.
    @Produces
    @Singleton
    ThreadControl threadControl(MessengerConfig messenger, HandoverConfig handover) {
        var rules = new Rules(messenger.appId(), messenger.pageInboxAppId(), handover.handoffPayload(),
                handover.fallbackLimit(), handover.welcomeBack(), handover.requestPolicy(), handover.nlpNames(),
                handover.nlpConfidence());
        var catalogue = catalogue(handover);
        return new ThreadControl(rules, catalogue, HumanIntentMatcher.forLanguages(catalogue.languages()));
    }

    private static BotCatalogue catalogue(HandoverConfig handover) {
        try (InputStream in = handover.catalogue().isPresent()
                ? Files.newInputStream(Path.of(handover.catalogue().get()))
                : Thread.currentThread().getContextClassLoader().getResourceAsStream(DEFAULT_CATALOGUE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_CATALOGUE + " is missing from the class path");
            }
            return BotCatalogue.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bot catalogue", e);
        }
    }
}
