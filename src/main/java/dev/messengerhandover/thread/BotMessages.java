package dev.messengerhandover.thread;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.messengerhandover.account.Accounts;
import dev.messengerhandover.bot.BotSignature;
import dev.messengerhandover.bot.HttpBotContract;
import dev.messengerhandover.bot.BotException;
import dev.messengerhandover.bot.BotSettings;
import dev.messengerhandover.retry.Deadline;

/**
 * Messages an HTTP bot sends later, on its own (a lookup, a long model call): signed like the function's calls to it,
 * sent through exactly the rules of its answers, so a late bot never talks over an agent nor outside the window.
 */
@ApplicationScoped
public class BotMessages {

    private static final Logger LOG = Logger.getLogger(BotMessages.class);

    /** What became of a bot's message. */
    public sealed interface Outcome {
        /** Sent, or already sent for this idempotency key. */
        record Sent() implements Outcome {
        }

        /** Not the thread's bot to talk now: why. */
        record Refused(String why) implements Outcome {
        }

        /** Not the contract's shape. */
        record Malformed(String why) implements Outcome {
        }
    }

    private final Accounts accounts;
    private final ThreadService threads;

    public BotMessages(Accounts accounts, ThreadService threads) {
        this.accounts = accounts;
        this.threads = threads;
    }

    /** Whether {@code accountId} has an HTTP bot, the only kind that may post later. */
    public boolean takesMessages(String accountId) {
        return secretOf(accountId).isPresent();
    }

    /** Whether {@code signature} signs the raw {@code body} with the account's bot secret, in constant time. */
    public boolean signedByItsBot(String accountId, byte[] body, String signature) {
        return secretOf(accountId).map(secret -> BotSignature.verify(secret, body, signature)).orElse(false);
    }

    /** The secret the account's HTTP bot signs with; empty: no HTTP bot there (the route does not exist for it). */
    private Optional<String> secretOf(String accountId) {
        return accounts.byId(accountId).map(a -> a.bot() instanceof BotSettings.Http http ? http.secret() : null);
    }

    /** {@code body} (checked signed by the caller) for {@code userId} of {@code accountId}. */
    public Outcome receive(String accountId, String userId, byte[] body, String idempotencyKey, Deadline deadline) {
        var account = accounts.byId(accountId).orElseThrow();
        try {
            var answer = HttpBotContract.answer(body);
            var key = "bot:" + (idempotencyKey != null && !idempotencyKey.isBlank() && idempotencyKey.length() <= 200
                    ? idempotencyKey.strip() : digest(body));
            var refused = threads.applyBotMessage(account, accountId, userId, answer, key, deadline);
            if (refused != null) {
                LOG.infof("%s: a message of the bot's for %s refused: %s", account, account.logged(userId), refused);
                return new Outcome.Refused(refused);
            }
            return new Outcome.Sent();
        } catch (BotException malformed) {
            return new Outcome.Malformed(malformed.getMessage());
        }
    }

    private static String digest(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
