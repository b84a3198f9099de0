package dev.messengerhandover.handover;

import java.util.List;

import dev.messengerhandover.handover.ThreadState.Line;
import dev.messengerhandover.handover.event.WebhookEvent.Attachment;
import dev.messengerhandover.handover.event.WebhookEvent.NlpSignal;

/**
 * What the bot behind the default app is asked: one event of the user's (its text, the payload of a quick reply or
 * button, attachments, Messenger's NLP, when it was written) in its thread's context (the recent transcript, how often
 * in a row the bot did not understand, the language the account's catalogue declares first).
 *
 * @param platform {@code messenger}, {@code instagram} or {@code whatsapp}
 * @param at when the user wrote (epoch ms)
 */
public record BotRequest(String accountId, String platform, String accountName, String userId, String mid,
        String text, String payload, List<Attachment> attachments, List<NlpSignal> nlp, long at,
        List<Line> transcript, int fallbacks, String language) {

    public BotRequest {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        nlp = nlp == null ? List.of() : List.copyOf(nlp);
        transcript = transcript == null ? List.of() : List.copyOf(transcript);
    }
}
