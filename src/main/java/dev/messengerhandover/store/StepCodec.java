package dev.messengerhandover.store;

import static dev.messengerhandover.store.ThreadItems.n;
import static dev.messengerhandover.store.ThreadItems.num;
import static dev.messengerhandover.store.ThreadItems.str;
import static dev.messengerhandover.store.ThreadItems.string;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.messengerhandover.handover.BotAnswer;
import dev.messengerhandover.handover.Reason;
import dev.messengerhandover.handover.Routing;
import dev.messengerhandover.handover.Step;
import dev.messengerhandover.handover.event.WebhookEvent;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A step as the thread item keeps it (an undone step, an alert owed): a map with its {@code kind} by a wire name that
 * never changes, and its fields. A kind this version does not know reads as nothing: an item written by a later
 * version never fails a thread.
 */
final class StepCodec {

    private StepCodec() {
    }

    static AttributeValue encode(Step step) {
        var m = new HashMap<String, AttributeValue>();
        switch (step) {
            case Step.Send send -> {
                m.put("kind", str("send"));
                m.put("text", str(send.text()));
                m.put("offerPerson", AttributeValue.fromBool(send.offerPerson()));
                m.put("survey", AttributeValue.fromBool(send.survey()));
                if (!send.replies().isEmpty()) {
                    m.put("replies", AttributeValue.fromL(send.replies().stream().map(r -> AttributeValue.fromM(
                            Map.of("title", str(r.title()), "payload", str(r.payload())))).toList()));
                }
            }
            case Step.Typing typing -> m.put("kind", str("typing"));
            case Step.AskBot ask -> {
                m.put("kind", str("ask_bot"));
                putIfPresent(m, "mid", ask.mid());
                putIfPresent(m, "text", ask.text());
                putIfPresent(m, "payload", ask.payload());
                m.put("at", n(ask.at()));
                m.put("routing", str(ask.routing().name().toLowerCase(java.util.Locale.ROOT)));
                m.put("attachments", AttributeValue.fromL(ask.attachments().stream().map(a -> {
                    var am = new HashMap<String, AttributeValue>();
                    putIfPresent(am, "type", a.type());
                    putIfPresent(am, "url", a.url());
                    return AttributeValue.fromM(am);
                }).toList()));
                m.put("nlp", AttributeValue.fromL(ask.nlp().stream().map(s -> {
                    var sm = new HashMap<String, AttributeValue>();
                    putIfPresent(sm, "kind", s.kind());
                    putIfPresent(sm, "name", s.name());
                    putIfPresent(sm, "value", s.value());
                    sm.put("confidence", AttributeValue.fromN(Double.toString(s.confidence())));
                    return AttributeValue.fromM(sm);
                }).toList()));
            }
            case Step.SendAndPass handoff -> {
                m.put("kind", str("send_and_pass"));
                m.put("text", str(handoff.text()));
                m.put("target", str(handoff.targetAppId()));
                m.put("reason", str(handoff.reason().wire()));
                m.put("metadata", str(handoff.metadata()));
            }
            case Step.Pass pass -> {
                m.put("kind", str("pass"));
                m.put("target", str(pass.targetAppId()));
                m.put("reason", str(pass.reason().wire()));
                m.put("metadata", str(pass.metadata()));
            }
            case Step.Take take -> {
                m.put("kind", str("take"));
                m.put("reason", str(take.reason().wire()));
            }
            case Step.GiveUp giveUp -> {
                m.put("kind", str("give_up"));
                m.put("text", str(giveUp.text()));
            }
            case Step.LookupOwner lookup -> {
                m.put("kind", str("lookup_owner"));
                m.put("reason", str(lookup.why().wire()));
            }
            case Step.Alert alert -> {
                m.put("kind", str("alert"));
                m.put("why", str(alert.why().name().toLowerCase(java.util.Locale.ROOT)));
                m.put("handedOverAt", n(alert.handedOverAt()));
                m.put("reason", str(alert.reason().wire()));
                m.put("lastUserLine", str(alert.lastUserLine() == null ? "" : alert.lastUserLine()));
            }
        }
        return AttributeValue.fromM(m);
    }

    static Optional<Step> decode(Map<String, AttributeValue> m) {
        var kind = string(m, "kind");
        if (kind == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (kind) {
            case "send" -> new Step.Send(string(m, "text"), bool(m, "offerPerson"), bool(m, "survey"),
                    list(m, "replies").stream().map(r -> new BotAnswer.Reply(string(r.m(), "title"),
                            string(r.m(), "payload"))).toList());
            case "typing" -> new Step.Typing();
            case "ask_bot" -> new Step.AskBot(string(m, "mid"), string(m, "text"), string(m, "payload"),
                    list(m, "attachments").stream().map(a -> new WebhookEvent.Attachment(string(a.m(), "type"),
                            string(a.m(), "url"))).toList(),
                    list(m, "nlp").stream().map(v -> new WebhookEvent.NlpSignal(string(v.m(), "kind"),
                            string(v.m(), "name"), string(v.m(), "value"), confidence(v.m()))).toList(),
                    num(m, "at"), "default_behaviour".equals(string(m, "routing")) ? Routing.DEFAULT_BEHAVIOUR
                            : Routing.ROUTING);
            case "send_and_pass" -> new Step.SendAndPass(string(m, "text"), string(m, "target"), reason(m),
                    string(m, "metadata"));
            case "pass" -> new Step.Pass(string(m, "target"), reason(m), string(m, "metadata"));
            case "take" -> new Step.Take(reason(m));
            case "give_up" -> new Step.GiveUp(string(m, "text"));
            case "lookup_owner" -> new Step.LookupOwner(reason(m));
            case "alert" -> why(string(m, "why")).map(why -> new Step.Alert(num(m, "handedOverAt"), reason(m),
                    string(m, "lastUserLine"), why)).orElse(null);
            default -> null;
        });
    }

    private static Reason reason(Map<String, AttributeValue> m) {
        return Reason.fromWire(string(m, "reason"));
    }

    private static Optional<Step.Alert.Why> why(String name) {
        try {
            return Optional.of(Step.Alert.Why.valueOf(name.toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static java.util.List<AttributeValue> list(Map<String, AttributeValue> m, String name) {
        var v = m.get(name);
        return v == null || !v.hasL() ? java.util.List.of() : v.l().stream().filter(AttributeValue::hasM).toList();
    }

    private static double confidence(Map<String, AttributeValue> m) {
        var v = m.get("confidence");
        try {
            return v == null || v.n() == null ? 0 : Double.parseDouble(v.n());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void putIfPresent(Map<String, AttributeValue> m, String name, String value) {
        if (value != null) {
            m.put(name, str(value));
        }
    }

    private static boolean bool(Map<String, AttributeValue> m, String name) {
        var v = m.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }
}
