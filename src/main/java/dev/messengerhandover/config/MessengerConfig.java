package dev.messengerhandover.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The app this function is, and the Pages it acts for: one Page by its token ({@code page-access-token}, optionally
 * with its linked Instagram account), or several as JSON ({@code pages}, or a Secrets Manager secret:
 * {@code handover.pages-secret}). Secrets come from the environment (MESSENGER_APP_SECRET, ...), never from the
 * packaged properties; see README "Configuration".
 */
@ConfigMapping(prefix = "messenger")
public interface MessengerConfig {

    /** Token Meta sends as {@code hub.verify_token} when the webhook is subscribed. */
    String verifyToken();

    /** App secret: key of the {@code X-Hub-Signature-256} HMAC over each delivery. */
    String appSecret();

    /** One Page: its access token, for every Graph call (its Page is the one the token belongs to). */
    Optional<String> pageAccessToken();

    /** One Page: the id of its linked Instagram professional account, whose direct messages are handled too. */
    Optional<String> instagramId();

    /**
     * Several Pages, as a JSON object keyed by Page id: {@code {"<page id>": {"accessToken": "...",
     * "instagramId": "...", "name": "...", ...settings}}}. See README "Many Pages and Instagram accounts".
     */
    Optional<String> pages();

    /** This app's id: the Page's default app (Page settings, Conversation Routing). */
    String appId();

    /** The Page Inbox app, where live agents work. */
    @WithDefault("263902037430900")
    String pageInboxAppId();

    /** The Instagram Inbox app, where live agents answer Instagram direct messages. */
    @WithDefault("1217981644879628")
    String instagramInboxAppId();

    /** Graph API version in every call path. */
    @WithDefault("v25.0")
    String graphApiVersion();
}
