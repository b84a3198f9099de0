package dev.messengerhandover.dev.emulator;

import java.net.URI;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The emulated Messenger Platform's settings (dev and test builds only, like the emulator itself). */
@ConfigMapping(prefix = "emulator")
public interface EmulatorConfig {

    /** Port of the emulator's page and its Graph API; 0 picks a free one. */
    @WithDefault("0")
    int port();

    /** The function's webhook, where the emulator posts its signed deliveries. */
    URI webhookUrl();

    /** The emulated Page's id. */
    @WithDefault("100000000000001")
    String pageId();

    /** Inactivity after which a thread has no owner any more (Messenger: 24 hours). */
    @WithDefault("24H")
    Duration idleAfter();
}
