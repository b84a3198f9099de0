package dev.messengerhandover.handover;

import java.util.Set;

import dev.messengerhandover.handover.availability.Availability;

/**
 * The knobs of thread control, independent of how they are configured.
 *
 * @param botAppId this app, the Page's default app
 * @param inboxAppId the Page Inbox app
 * @param handoffPayload quick-reply / postback payload that asks for a person
 * @param fallbackLimit consecutive not-understood messages after which the bot offers a person explicitly
 * @param welcomeBack whether the bot greets the user when an agent clicks Done
 * @param requestPolicy which {@code request_thread_control} the bot grants
 * @param nlpNames built-in NLP intent / trait names meaning "wants a person"
 * @param nlpConfidence minimum confidence for those
 * @param availability business hours, what a hand-over while closed does, how long an unanswered one may wait
 * @param limits what one message may hold on the account's platform
 * @param askBot whether a bot of the team's own answers (http, Lex, Bedrock) rather than the catalogue
 */
public record Rules(String botAppId, String inboxAppId, String handoffPayload, int fallbackLimit, boolean welcomeBack,
        RequestPolicy requestPolicy, Set<String> nlpNames, double nlpConfidence, Availability availability,
        Limits limits, boolean askBot) {

    /** Quick-reply payloads of the answers to the satisfaction question. */
    public static final String SATISFIED = "SATISFACTION_YES";
    public static final String NOT_SATISFIED = "SATISFACTION_NO";

    public Rules {
        nlpNames = Set.copyOf(nlpNames);
        limits = limits == null ? Limits.MESSENGER : limits;
    }

    /** Messenger's limits, the catalogue answering. */
    public Rules(String botAppId, String inboxAppId, String handoffPayload, int fallbackLimit, boolean welcomeBack,
            RequestPolicy requestPolicy, Set<String> nlpNames, double nlpConfidence, Availability availability) {
        this(botAppId, inboxAppId, handoffPayload, fallbackLimit, welcomeBack, requestPolicy, nlpNames, nlpConfidence,
                availability, Limits.MESSENGER, false);
    }

    /** Always open, alerts after 10 minutes, no satisfaction question. */
    public Rules(String botAppId, String inboxAppId, String handoffPayload, int fallbackLimit, boolean welcomeBack,
            RequestPolicy requestPolicy, Set<String> nlpNames, double nlpConfidence) {
        this(botAppId, inboxAppId, handoffPayload, fallbackLimit, welcomeBack, requestPolicy, nlpNames, nlpConfidence,
                Availability.ALWAYS);
    }

    public Rules withAvailability(Availability a) {
        return new Rules(botAppId, inboxAppId, handoffPayload, fallbackLimit, welcomeBack, requestPolicy, nlpNames,
                nlpConfidence, a, limits, askBot);
    }

    /** The same rules on a platform of these limits, with a bot of the team's own answering or not. */
    public Rules with(Limits l, boolean bot) {
        return new Rules(botAppId, inboxAppId, handoffPayload, fallbackLimit, welcomeBack, requestPolicy, nlpNames,
                nlpConfidence, availability, l, bot);
    }

    public enum RequestPolicy {
        /** Grant any app that asks. */
        ANY_APP,
        /** The name {@link #ANY_APP} had before Conversation Routing (no more primary and secondary receivers). */
        @Deprecated
        ANY_SECONDARY,
        /** Grant only the Page Inbox (an admin moving the thread to Inbox). */
        PAGE_INBOX_ONLY,
        /** Never grant; the thread stays with the bot. */
        NEVER;

        public boolean allows(String requester, String inboxAppId) {
            return switch (this) {
                case ANY_APP, ANY_SECONDARY -> requester != null;
                case PAGE_INBOX_ONLY -> inboxAppId.equals(requester);
                case NEVER -> false;
            };
        }
    }

    /** The part {@code appId} plays; {@code null} is nobody: the thread is idle. */
    public Role roleOf(String appId) {
        if (appId == null) {
            return Role.IDLE;
        }
        if (botAppId.equals(appId)) {
            return Role.BOT;
        }
        return inboxAppId.equals(appId) ? Role.PAGE_INBOX : Role.OTHER;
    }
}
