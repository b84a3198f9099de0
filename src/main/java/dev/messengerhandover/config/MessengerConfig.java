package dev.messengerhandover.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The Page and app this function acts for. Secrets come from the environment (MESSENGER_APP_SECRET, ...), never from
 * the packaged properties; see README "Configuration".
 */
@ConfigMapping(prefix = "messenger")
public interface MessengerConfig {

    /** Token Meta sends as {@code hub.verify_token} when the webhook is subscribed. */
    String verifyToken();

    /** App secret: key of the {@code X-Hub-Signature-256} HMAC over each delivery. */
    String appSecret();

    /** Page access token for every Graph API call. */
    String pageAccessToken();

    /** This app's id: the Page's default app (Page settings, Conversation Routing). */
    String appId();

    /** The Page Inbox app, where live agents work. */
    @WithDefault("263902037430900")
    String pageInboxAppId();

    /** Graph API version in every call path. */
    @WithDefault("v25.0")
    String graphApiVersion();
}
