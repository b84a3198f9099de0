package dev.messengerhandover.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.messengerhandover.handover.event.Channel;
import dev.messengerhandover.handover.event.Envelope;
import dev.messengerhandover.handover.event.WebhookEvent;
import dev.messengerhandover.handover.event.WebhookEvent.Attachment;
import dev.messengerhandover.handover.event.WebhookEvent.NlpSignal;

/**
 * Random conversations of one user with a Page, as the rules see them: user text of any length and any Unicode, quick
 * replies, postbacks, built-in NLP, attachments, echoes of the bot, the Inbox and other apps, passes, takes, requests,
 * reads, unknown kinds, on either channel, with times that mostly move forward. Drawn from one {@link Random}, so a
 * seed replays a conversation. The channel follows who owns the thread on the platform (what Messenger does), with
 * some events on the other one (what a stale or reordered delivery looks like).
 */
public final class Conversations {

    public static final String PAGE = "200000000000002";
    public static final String BOT = "1000000000000001";
    public static final String INBOX = "263902037430900";
    public static final String OTHER = "300000000000003";
    private static final String[] APPS = { BOT, INBOX, OTHER };

    /** Things people write: answers the bot knows, ways of asking for a person, refusals, noise. */
    private static final String[] PHRASES = { "hi", "hello there", "what are your opening hours?", "refund please",
            "where is my order", "agent please", "can I talk to a real person", "I want a human",
            "speak to someone from support", "no, I don't want to talk to a person", "are you a bot?", "humna",
            "je veux parler à un conseiller", "TALK_TO_PERSON", "ok", "thanks", "zorglub", "?", "", " " };
    private static final String[] PAYLOADS = { "TALK_TO_PERSON", "FAQ_RETURNS", "FAQ_HOURS", "GET_STARTED", "OTHER",
            "SATISFACTION_YES", "SATISFACTION_NO", "" };
    private static final String[] NLP_NAMES = { "human_agent", "talk_to_person", "wit$talk_to_human", "wit$greetings",
            "wit$sentiment", "", "x" };

    private Conversations() {
    }

    /**
     * The next event of a conversation whose thread {@code platformOwner} owns right now on the platform
     * ({@code null}: idle), at about {@code at}.
     */
    public static WebhookEvent next(Random random, String user, String platformOwner, long at) {
        return next(random, user, platformOwner, at, List.of());
    }

    /**
     * As above; {@code botMids} are ids Graph gave the bot's messages: some echoes are of those, without
     * {@code app_id}, as Instagram sends them; and some echoes of people's messages come without it too.
     */
    public static WebhookEvent next(Random random, String user, String platformOwner, long at,
            List<String> botMids) {
        boolean botHears = platformOwner == null || BOT.equals(platformOwner);
        var userChannel = botHears ^ random.nextInt(10) == 0 ? Channel.MESSAGING : Channel.STANDBY;
        var controlChannel = random.nextInt(5) == 0 ? Channel.STANDBY : Channel.MESSAGING;
        var fromUser = new Envelope(PAGE, userChannel, user, PAGE, at);
        var toUser = new Envelope(PAGE, userChannel, PAGE, user, at);
        var control = new Envelope(PAGE, controlChannel, user, PAGE, at);
        return switch (random.nextInt(20)) {
            case 0, 1, 2, 3, 4, 5 -> new WebhookEvent.Message(fromUser, mid(random), text(random), null, List.of(),
                    nlp(random), false, null);
            case 6 -> new WebhookEvent.Message(fromUser, mid(random), text(random), pick(random, PAYLOADS), List.of(),
                    List.of(), false, null);
            case 7 -> new WebhookEvent.Message(fromUser, mid(random), random.nextBoolean() ? null : text(random), null,
                    List.of(new Attachment(random.nextBoolean() ? "image" : "file", "https://x.example/a")), List.of(),
                    false, null);
            case 8 -> new WebhookEvent.Postback(fromUser, mid(random), text(random),
                    userChannel == Channel.STANDBY || random.nextInt(4) == 0 ? null : pick(random, PAYLOADS));
            case 9 -> new WebhookEvent.Message(toUser, mid(random), random.nextInt(8) == 0 ? null : text(random),
                    null, List.of(), List.of(), true, pick(random, APPS));
            // Instagram: echoes name no app; the bot's are the ids Graph gave it, the others a person's.
            case 10 -> !botMids.isEmpty() && random.nextBoolean()
                    ? new WebhookEvent.Message(toUser, botMids.get(random.nextInt(botMids.size())), text(random), null,
                            List.of(), List.of(), true, null)
                    : new WebhookEvent.Message(toUser, "m_" + Long.toHexString(random.nextLong()), text(random), null,
                            List.of(), List.of(), true, null);
            case 11, 12 -> new WebhookEvent.PassThreadControl(control, app(random), app(random), text(random));
            case 13 -> new WebhookEvent.TakeThreadControl(control, app(random), app(random), null);
            case 14 -> new WebhookEvent.RequestThreadControl(control, app(random), text(random));
            case 15 -> new WebhookEvent.Read(fromUser, at);
            case 16 -> new WebhookEvent.DeliveryReceipt(fromUser, List.of("m_" + random.nextInt(1000)), at);
            case 17 -> new WebhookEvent.Referral(fromUser, "ref", "SHORTLINK");
            case 18 -> new WebhookEvent.Unknown(fromUser, "reaction");
            default -> new WebhookEvent.Message(fromUser, mid(random), text(random), null, List.of(), List.of(), false,
                    null);
        };
    }

    /** An app id, or none: events may name any app, the bot included, or none at all. */
    private static String app(Random random) {
        return random.nextInt(8) == 0 ? null : pick(random, APPS);
    }

    /** Mostly short phrases, sometimes long, any Unicode: marks, CJK, emoji, controls, lone surrogates, RTL. */
    public static String text(Random random) {
        if (random.nextInt(3) == 0) {
            return pick(random, PHRASES);
        }
        int length = switch (random.nextInt(10)) {
            case 0 -> 200 + random.nextInt(2800);
            case 1, 2 -> 100 + random.nextInt(200);
            default -> random.nextInt(60);
        };
        var out = new StringBuilder(length);
        while (out.length() < length) {
            switch (random.nextInt(12)) {
                case 0 -> out.appendCodePoint(0x0300 + random.nextInt(0x70)); // combining marks
                case 1 -> out.appendCodePoint(0x4E00 + random.nextInt(0x5000)); // CJK
                case 2 -> out.appendCodePoint(0x1F300 + random.nextInt(0x300)); // emoji: a surrogate pair
                case 3 -> out.append((char) (0xD800 + random.nextInt(0x800))); // a lone surrogate
                case 4 -> out.append((char) random.nextInt(0x20)); // controls
                case 5 -> out.append(random.nextBoolean() ? '\u202E' : '\u200D');
                case 6 -> out.append(pick(random, PHRASES)).append(' ');
                case 7 -> out.append('"');
                default -> out.append((char) (0x20 + random.nextInt(0x5F)));
            }
        }
        return out.toString();
    }

    private static List<NlpSignal> nlp(Random random) {
        if (random.nextInt(4) != 0) {
            return List.of();
        }
        var signals = new ArrayList<NlpSignal>();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            signals.add(new NlpSignal(random.nextBoolean() ? "intent" : "trait",
                    random.nextInt(6) == 0 ? null : pick(random, NLP_NAMES),
                    random.nextInt(3) == 0 ? pick(random, NLP_NAMES) : null, random.nextDouble()));
        }
        return signals;
    }

    private static String mid(Random random) {
        return random.nextInt(20) == 0 ? null : "m_" + Long.toHexString(random.nextLong());
    }

    private static String pick(Random random, String[] from) {
        return from[random.nextInt(from.length)];
    }
}
