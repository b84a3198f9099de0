package dev.messengerhandover.bench;

import static dev.messengerhandover.bench.BenchmarkIT.ms;
import static dev.messengerhandover.bench.BenchmarkIT.p;
import static dev.messengerhandover.bench.BenchmarkIT.per;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Locale;

import dev.messengerhandover.dev.platform.WhatsAppPlatform;
import dev.messengerhandover.testing.GraphStandIn;
import dev.messengerhandover.testing.Messenger;
import dev.messengerhandover.testing.PackagedFunction;
import dev.messengerhandover.testing.SampleEvents;
import dev.messengerhandover.testing.WhatsApp;

/**
 * Section 10 of the benchmark: a WhatsApp hand-over next to a Messenger one, on one function serving the sample Page and
 * a WhatsApp number ({@code MESSENGER_PAGES} with a {@code whatsapp} section), Graph at 0 and 100 ms. On WhatsApp no
 * message carries a pass: the notice and {@code thread_control} are two calls where a routed Page needs one.
 */
final class WhatsAppSection {

    static final String TOKEN = "bench-whatsapp-token";
    static final String HELPDESK = "400000000000006";

    private final BenchmarkIT bench;

    WhatsAppSection(BenchmarkIT bench) {
        this.bench = bench;
    }

    void run(GraphStandIn graph) {
        graph.addWhatsApp(new GraphStandIn.WhatsAppNumber(new WhatsAppPlatform.PhoneNumber(
                SampleEvents.WHATSAPP_NUMBER_ID, SampleEvents.WHATSAPP_DISPLAY_NUMBER, SampleEvents.WABA_ID, TOKEN),
                HELPDESK, null));
        var env = bench.environment();
        env.remove("MESSENGER_PAGE_ACCESS_TOKEN");
        env.remove("MESSENGER_INSTAGRAM_ID");
        env.put("MESSENGER_PAGES", "{\"" + SampleEvents.PAGE_ID + "\":{\"accessToken\":\"" + SampleEvents.PAGE_TOKEN
                + "\",\"name\":\"Shop\",\"routingMode\":\"routing\"},\"whatsapp\":{\""
                + SampleEvents.WHATSAPP_NUMBER_ID + "\":{\"wabaId\":\"" + SampleEvents.WABA_ID + "\",\"accessToken\":\""
                + TOKEN + "\",\"name\":\"Shop WhatsApp\"}}}");
        try (var function = new PackagedFunction(env, "bench-whatsapp")) {
            for (int i = 0; i < 100; i++) { // warm-up: both platforms' paths
                handoff(function, true, null);
                handoff(function, false, null);
            }
            bench.section("10. A WhatsApp hand-over next to a Messenger one (one function serving both)",
                    BenchmarkIT.HANDOFFS + " hand-overs each, new users, after 200 warm-up hand-overs; the hand-over "
                            + "is the delivery of the tap on 'Talk to a person' (WhatsApp: a reply button; Messenger: "
                            + "the quick reply), its Graph calls and DynamoDB requests counted at the stand-in and the "
                            + "proxy");
            bench.row("| Graph latency | platform | hand-over p50 | p99 | Graph calls | DynamoDB reads | writes |");
            bench.row("|---|---|---:|---:|---:|---:|---:|");
            for (int latency : new int[] { 0, 100 }) {
                graph.latency(latency);
                for (boolean whatsApp : new boolean[] { false, true }) {
                    var times = new ArrayList<Double>();
                    var counts = new double[7];
                    for (int i = 0; i < BenchmarkIT.HANDOFFS; i++) {
                        handoff(function, whatsApp, (t, c) -> {
                            times.add(t);
                            for (int k = 0; k < c.length; k++) {
                                counts[k] += c[k];
                            }
                        });
                    }
                    bench.row(String.format(Locale.ROOT, "| %d ms | %s | %.1f ms | %.1f ms | %.2f | %.2f | %.2f |",
                            latency, whatsApp ? "WhatsApp" : "Messenger (routed)", p(times, 50), p(times, 99),
                            counts[4] / BenchmarkIT.HANDOFFS, counts[0] / BenchmarkIT.HANDOFFS,
                            counts[1] / BenchmarkIT.HANDOFFS));
                }
            }
            graph.latency(0);
        }
    }

    interface Measured {
        void took(double millis, double[] costs);
    }

    /** A new user says hi (answered), then taps 'Talk to a person': that delivery timed and counted. */
    private void handoff(PackagedFunction function, boolean whatsApp, Measured measured) {
        var graph = bench.graph;
        if (whatsApp) {
            var user = WhatsApp.newUser();
            post(function, WhatsApp.delivery(WhatsApp.text(user, "hi")));
            var offered = graph.calls(user, "messages").getLast().messageId();
            var tap = WhatsApp.delivery(WhatsApp.buttonReply(user, offered, "TALK_TO_PERSON", "Talk to a person"));
            measure(function, tap, measured);
            assertThat(graph.waOwnerOf(user)).isEqualTo(HELPDESK);
        } else {
            var user = Messenger.newUser();
            post(function, Messenger.delivery("messaging", Messenger.text(user, "hi")));
            var tap = Messenger.delivery("messaging", Messenger.quickReply(user, "Talk to a person",
                    "TALK_TO_PERSON"));
            measure(function, tap, measured);
            assertThat(graph.ownerOf(user)).isNotEqualTo(SampleEvents.APP_ID);
        }
    }

    private void measure(PackagedFunction function, String body, Measured measured) {
        int before = bench.graph.calls().size();
        bench.counter.reset();
        long t = System.nanoTime();
        post(function, body);
        double took = ms(System.nanoTime() - t);
        if (measured != null) {
            measured.took(took, per(bench.counter.counts(), bench.graph.calls().size() - before, 1));
        }
    }

    private static void post(PackagedFunction function, String body) {
        var answer = function.invoke(SampleEvents.webhook(body));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }
}
