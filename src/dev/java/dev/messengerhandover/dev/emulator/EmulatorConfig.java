package dev.messengerhandover.dev.emulator;

import java.net.URI;

import dev.messengerhandover.dev.platform.MessengerPlatform;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The emulated Messenger Platform's settings (dev and test builds only, like the emulator itself). */
@ConfigMapping(prefix = "emulator")
public interface EmulatorConfig {

    /** Port of the emulator's page and its Graph API; 0 picks a free one. */
    @WithDefault("0")
    int port();

    /**
     * Whether the emulator's clock is the function's (dev mode, and tests on the emulator): moving it moves the time
     * the function measures control expiry, waits and the sweep by.
     */
    @WithDefault("false")
    boolean drivesClock();

    /**
     * Where the platform's clock starts, as a day and a time of day in the first Page's zone ("Mon 09:30": the next
     * Monday 09:30 there, within the coming week); unset: the real time. The same tour at any hour, on any day.
     */
    java.util.Optional<String> clockStart();

    /** The function's webhook, where the emulator posts its signed deliveries. */
    URI webhookUrl();

    /**
     * The Pages and WhatsApp numbers the emulator plays, as the JSON of the Pages secret ({@code messenger.pages}'
     * shape, numbers under {@code "whatsapp"}). The emulator serves it as the secret {@code handover.pages-secret}
     * names, each account's bot as the page chose it, so that a switch of bot reaches the running function. Unset:
     * the function's {@code messenger.pages}, or its one Page, whose bots are set at its start-up.
     */
    java.util.Optional<String> pages();

    /** The helpdesk app: every emulated WhatsApp number's escalation partner. */
    @WithDefault("400000000000001")
    String helpdeskAppId();

    /** The emulated Page's id. */
    @WithDefault("100000000000001")
    String pageId();

    /**
     * How the emulated Page routes conversations: {@code routing} (Conversation Routing, the bot is the default app)
     * or {@code default-behaviour} (no default app). The page can switch it.
     */
    @WithDefault("routing")
    MessengerPlatform.Mode mode();
}
