package dev.messengerhandover.store;

import static dev.messengerhandover.store.ThreadItems.n;
import static dev.messengerhandover.store.ThreadItems.num;
import static dev.messengerhandover.store.ThreadItems.str;
import static dev.messengerhandover.store.ThreadItems.string;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.messengerhandover.handover.Reason;
import dev.messengerhandover.handover.Step;
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
            case "send" -> new Step.Send(string(m, "text"), bool(m, "offerPerson"), bool(m, "survey"));
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

    private static boolean bool(Map<String, AttributeValue> m, String name) {
        var v = m.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }
}
