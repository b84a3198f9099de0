package dev.messengerhandover.testing;

import static dev.messengerhandover.testing.Messenger.echo;
import static dev.messengerhandover.testing.Messenger.entry;
import static dev.messengerhandover.testing.Messenger.event;
import static dev.messengerhandover.testing.Messenger.passThreadControl;
import static dev.messengerhandover.testing.Messenger.postback;
import static dev.messengerhandover.testing.Messenger.quickReply;
import static dev.messengerhandover.testing.Messenger.read;
import static dev.messengerhandover.testing.Messenger.requestThreadControl;
import static dev.messengerhandover.testing.Messenger.takeThreadControl;
import static dev.messengerhandover.testing.Messenger.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.messengerhandover.webhook.SignatureVerifier;

/**
 * Mutated webhook deliveries and signature headers, all drawn from one {@link Random} so that a seed replays a run:
 * a real delivery (every event kind, batches, both channels) with fields dropped, nulled, duplicated or given the
 * wrong type, huge strings, deep nesting, lone surrogates, duplicate keys, truncated JSON, invalid UTF-8 bytes.
 */
public final class BadInput {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final SignatureVerifier SIGNER = new SignatureVerifier(Platform.APP_SECRET);
    private static final Pattern KEY = Pattern.compile("\"([a-z_]+)\":");
    private static final byte[][] BAD_UTF8 = { { (byte) 0xFF }, { (byte) 0xC3 }, { (byte) 0xC0, (byte) 0x80 },
            { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, { (byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80 },
            { (byte) 0x80 }, { 0 } };
    private static final String[] ODD_TEXT = { "", " ", "\u0000", "\ud800", "\udfff x", "null", "\"", "\\", "{}",
            "👋🏽‍", "\u202e", "<script>", "' OR 1=1 --", "TALK_TO_PERSON", "263902037430900", "-1", "1e999" };

    private BadInput() {
    }

    /**
     * A delivery as Messenger could send it, unmutated: 1 to 3 entries of 1 to 3 events; a quarter of the time
     * WhatsApp's, 1 to 3 changes of the test number.
     */
    public static ObjectNode delivery(Random random) {
        if (random.nextInt(4) == 0) {
            return whatsApp(random);
        }
        var entries = new ArrayList<ObjectNode>();
        for (int e = 0, n = 1 + random.nextInt(3); e < n; e++) {
            var events = new ObjectNode[1 + random.nextInt(3)];
            for (int i = 0; i < events.length; i++) {
                events[i] = anyEvent(random, user(random));
            }
            entries.add(entry(random.nextInt(4) == 0 ? "standby" : "messaging", events));
        }
        var root = NODES.objectNode().put("object", "page");
        root.putArray("entry").addAll(entries);
        return root;
    }

    /** One mutated delivery body, as bytes on the wire. */
    public static byte[] mutated(Random random) {
        var root = delivery(random);
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            mutateTree(random, root);
        }
        var json = Messenger.escapeNonAscii(root.toString());
        if (random.nextInt(3) == 0) {
            json = mutateText(random, json);
        }
        var bytes = json.getBytes(StandardCharsets.UTF_8);
        return random.nextInt(5) == 0 ? mutateBytes(random, bytes) : bytes;
    }

    /** The {@code X-Hub-Signature-256} to send with {@code body}: right most of the time, else wrong in some way. */
    public static String signature(Random random, byte[] body) {
        var valid = SIGNER.header(body);
        return random.nextInt(10) < 8 ? valid : mutatedSignature(random, valid);
    }

    /** {@code valid} spoiled: missing, truncated, padded, another prefix or algorithm, not hex, for another body. */
    public static String mutatedSignature(Random random, String valid) {
        var hex = valid.substring("sha256=".length());
        return switch (random.nextInt(14)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> "sha256=";
            case 3 -> valid.substring(0, random.nextInt(valid.length()));
            case 4 -> valid + "0";
            case 5 -> "sha1=" + hex.substring(0, 40);
            case 6 -> "SHA256=" + hex.toUpperCase();
            case 7 -> "sha256:" + hex;
            case 8 -> " " + valid;
            case 9 -> "sha256=" + hex.substring(0, 63) + "g";
            case 10 -> "sha256=" + hex.substring(1) + hex.charAt(0);
            case 11 -> "sha256=" + "0".repeat(64);
            case 12 -> "sha256=" + hex + ",sha256=" + hex;
            default -> "sha256=" + "é".repeat(64);
        };
    }

    private static ObjectNode whatsApp(Random random) {
        var changes = new ObjectNode[1 + random.nextInt(3)];
        for (int i = 0; i < changes.length; i++) {
            var user = Long.toString(12_000_000_000L + (random.nextLong() & 0xFFF_FFFFL));
            changes[i] = switch (random.nextInt(9)) {
                case 0 -> WhatsApp.buttonReply(user, WhatsApp.wamid(), "TALK_TO_PERSON", "Talk to a person");
                case 1 -> WhatsApp.status(user, WhatsApp.wamid(), "delivered");
                case 2 -> WhatsApp.failed(user, WhatsApp.wamid(), 131047, "Re-engagement message");
                case 3 -> WhatsApp.standbyMessage(user, "anyone there?");
                case 4 -> WhatsApp.standbyEcho(user, "agent here");
                case 5 -> WhatsApp.passedBack(user, random.nextBoolean() ? "done" : null);
                case 6 -> WhatsApp.controlTaken(user, "customer_service", "escalation", null);
                case 7 -> WhatsApp.standbyStatus(user, WhatsApp.wamid(), "read");
                default -> WhatsApp.text(user, "hello " + random.nextInt(1000));
            };
        }
        try {
            return (ObjectNode) NODES_READER.readTree(WhatsApp.delivery(changes));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper NODES_READER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static String user(Random random) {
        return Long.toString(7_100_000_000_000_000L + (random.nextLong() & 0xFFFF_FFFF_FFFFL));
    }

    private static ObjectNode anyEvent(Random random, String user) {
        return switch (random.nextInt(11)) {
            case 0 -> quickReply(user, "Talk to a person", "TALK_TO_PERSON");
            case 1 -> postback(user, "Returns", random.nextBoolean() ? "FAQ_RETURNS" : null);
            case 2 -> passThreadControl(user, Platform.APP_ID, GraphStandIn.INBOX_APP_ID, "done");
            case 3 -> takeThreadControl(user, Platform.APP_ID, GraphStandIn.INBOX_APP_ID);
            case 4 -> requestThreadControl(user, GraphStandIn.INBOX_APP_ID);
            case 5 -> read(user);
            case 6 -> echo(user, GraphStandIn.INBOX_APP_ID, "agent here");
            case 7 -> {
                var e = text(user, "I want a human");
                var nlp = ((ObjectNode) e.get("message")).putObject("nlp");
                nlp.putArray("intents").addObject().put("name", "human_agent").put("confidence", 0.93);
                nlp.putObject("traits").putArray("wit$sentiment").addObject().put("value", "negative")
                        .put("confidence", 0.7);
                ((ObjectNode) e.get("message")).putArray("attachments").addObject().put("type", "image")
                        .putObject("payload").put("url", "https://example.com/a.png");
                yield e;
            }
            case 8 -> {
                var e = event(user, Platform.PAGE_ID);
                e.putObject("app_roles").putArray(Platform.APP_ID).add("primary_receiver");
                yield e;
            }
            case 9 -> {
                var e = event(user, Platform.PAGE_ID);
                e.putObject("delivery").put("watermark", Messenger.tick()).putArray("mids").add("m_1");
                yield e;
            }
            default -> text(user, "hello " + random.nextInt(1000));
        };
    }

    // --- tree ------------------------------------------------------------------------------------------------------

    private record Slot(JsonNode parent, String field, int index) {
        JsonNode get() {
            return field != null ? parent.get(field) : parent.get(index);
        }

        void set(JsonNode value) {
            if (field != null) {
                ((ObjectNode) parent).set(field, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        void remove() {
            if (field != null) {
                ((ObjectNode) parent).remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    private static void mutateTree(Random random, ObjectNode root) {
        var slots = new ArrayList<Slot>();
        collect(root, slots);
        if (slots.isEmpty()) {
            return;
        }
        var slot = slots.get(random.nextInt(slots.size()));
        switch (random.nextInt(9)) {
            case 0 -> slot.remove();
            case 1 -> slot.set(NODES.nullNode());
            case 2 -> slot.set(wrongType(random));
            case 3 -> slot.set(NODES.textNode(hugeString(random)));
            case 4 -> slot.set(nested(random, 1 + random.nextInt(70)));
            case 5 -> slot.set(NODES.textNode(ODD_TEXT[random.nextInt(ODD_TEXT.length)]));
            case 6 -> {
                if (slot.parent() instanceof ArrayNode array) {
                    for (int i = 0, n = 1 + random.nextInt(random.nextBoolean() ? 3 : 300); i < n; i++) {
                        array.add(slot.get().deepCopy());
                    }
                } else {
                    ((ObjectNode) slot.parent()).set(slot.field() + "_x", slot.get().deepCopy());
                }
            }
            case 7 -> {
                if (slot.get() instanceof ObjectNode o) {
                    o.removeAll();
                } else if (slot.get() instanceof ArrayNode a) {
                    a.removeAll();
                } else {
                    slot.set(NODES.arrayNode());
                }
            }
            default -> slot.set(number(random));
        }
    }

    private static void collect(JsonNode node, List<Slot> out) {
        if (node instanceof ObjectNode o) {
            o.fieldNames().forEachRemaining(f -> {
                out.add(new Slot(o, f, -1));
                collect(o.get(f), out);
            });
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                out.add(new Slot(a, null, i));
                collect(a.get(i), out);
            }
        }
    }

    private static JsonNode wrongType(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> NODES.booleanNode(random.nextBoolean());
            case 1 -> NODES.arrayNode().add("x").add(1);
            case 2 -> NODES.objectNode().put("id", "1");
            case 3 -> NODES.textNode(Long.toString(random.nextLong()));
            case 4 -> NODES.binaryNode(new byte[] { 1, 2, 3 });
            default -> number(random);
        };
    }

    private static JsonNode number(Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> NODES.numberNode(-1);
            case 1 -> NODES.numberNode(Long.MAX_VALUE);
            case 2 -> NODES.numberNode(new java.math.BigInteger("9".repeat(1 + random.nextInt(900))));
            case 3 -> NODES.numberNode(1.5e308);
            case 4 -> NODES.numberNode(-0.0);
            case 5 -> NODES.numberNode(new java.math.BigDecimal("1e-400"));
            default -> NODES.numberNode(random.nextInt());
        };
    }

    private static String hugeString(Random random) {
        int length = switch (random.nextInt(4)) {
            case 0 -> 2_001;
            case 1 -> 10_000 + random.nextInt(60_000);
            case 2 -> 100_000 + random.nextInt(300_000);
            default -> 1_000 + random.nextInt(3_000);
        };
        var unit = switch (random.nextInt(5)) {
            case 0 -> "é";
            case 1 -> "😀";
            default -> "x";
        };
        return unit.repeat(Math.max(1, length / unit.length()));
    }

    private static JsonNode nested(Random random, int depth) {
        JsonNode node = NODES.textNode("deep");
        for (int i = 0; i < depth; i++) {
            node = random.nextBoolean() ? NODES.arrayNode().add(node) : NODES.objectNode().set("n", node);
        }
        return node;
    }

    // --- text and bytes ----------------------------------------------------------------------------------------------

    private static String mutateText(Random random, String json) {
        int at = random.nextInt(json.length() + 1);
        return switch (random.nextInt(7)) {
            case 0 -> json.substring(0, at); // truncated
            case 1 -> random.nextBoolean() ? duplicateKey(random, json) : deepValue(random, json);
            case 2 -> json + (random.nextBoolean() ? " x" : "{}");
            case 3 -> "\ufeff" + json;
            case 4 -> json.substring(0, at) + "\"" + json.substring(at);
            case 5 -> json.replace("\"", "'");
            default -> json.substring(0, at) + json.substring(Math.min(json.length(), at + 1 + random.nextInt(20)));
        };
    }

    /** The same key twice in one object: {@code "k":0,"k":...}. */
    private static String duplicateKey(Random random, String json) {
        var k = anyKey(random, json);
        return k == null ? json : json.substring(0, k[0]) + json.substring(k[0], k[1]) + "0," + json.substring(k[0]);
    }

    /** A key's value nested in hundreds or thousands of arrays (past what a tree can even write), the old value kept. */
    private static String deepValue(Random random, String json) {
        var k = anyKey(random, json);
        int depth = 50 + random.nextInt(5000);
        return k == null ? json
                : json.substring(0, k[1]) + "[".repeat(depth) + "]".repeat(depth) + ",\"deep\":" + json.substring(k[1]);
    }

    private static int[] anyKey(Random random, String json) {
        var keys = new ArrayList<int[]>();
        var m = KEY.matcher(json);
        while (m.find()) {
            keys.add(new int[] { m.start(), m.end() });
        }
        return keys.isEmpty() ? null : keys.get(random.nextInt(keys.size()));
    }

    private static byte[] mutateBytes(Random random, byte[] bytes) {
        var out = new ByteArrayOutputStream(bytes.length + 8);
        int at = random.nextInt(bytes.length + 1);
        out.write(bytes, 0, at);
        if (random.nextBoolean()) {
            out.writeBytes(BAD_UTF8[random.nextInt(BAD_UTF8.length)]);
            out.write(bytes, at, bytes.length - at);
        } else {
            out.write(bytes, at, bytes.length - at);
            var all = out.toByteArray();
            if (all.length > 0) {
                all[random.nextInt(all.length)] ^= (byte) (1 << random.nextInt(8));
            }
            return all;
        }
        return out.toByteArray();
    }
}
