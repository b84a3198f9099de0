package dev.messengerhandover.metrics;

import java.util.List;

/**
 * The CloudWatch metrics this function reports: their names, units, and the dimension sets each is published under
 * ({@code []}: the total, with no dimension, for alarms). The names are what the stack's dashboard and alarms use.
 */
public enum Metric {
    /** A conversation handed over to the Inbox, by why. */
    HANDOFFS("Handoffs", Unit.COUNT, List.of(List.of(Dimension.ACCOUNT, Dimension.REASON), List.of())),
    /** A pass Graph refused; the bot kept the conversation. */
    PASSES_REFUSED("PassesRefused", Unit.COUNT, List.of(List.of(Dimension.ACCOUNT), List.of())),
    /** From the hand-over to the Inbox's first agent message. */
    TIME_TO_FIRST_AGENT_REPLY("TimeToFirstAgentReply", Unit.MILLISECONDS,
            List.of(List.of(Dimension.ACCOUNT), List.of())),
    /** How long another app held the conversation before it came back to the bot. */
    TIME_HELD_BY_AGENTS("TimeHeldByAgents", Unit.MILLISECONDS, List.of(List.of(Dimension.ACCOUNT), List.of())),
    /** A hand-over nobody answered: the team alerted, the bot gave up, or control lapsed. */
    UNANSWERED_HANDOFFS("UnansweredHandoffs", Unit.COUNT,
            List.of(List.of(Dimension.ACCOUNT, Dimension.OUTCOME), List.of(Dimension.OUTCOME))),
    /** The conversation came back to the bot, by how. */
    RETURNS("Returns", Unit.COUNT, List.of(List.of(Dimension.ACCOUNT, Dimension.KIND), List.of())),
    /** An answer to the satisfaction question. */
    SATISFACTION_ANSWERS("SatisfactionAnswers", Unit.COUNT,
            List.of(List.of(Dimension.ACCOUNT, Dimension.ANSWER), List.of(Dimension.ANSWER))),
    /** A webhook delivery, by what the function answered. */
    DELIVERIES("Deliveries", Unit.COUNT, List.of(List.of(Dimension.OUTCOME))),
    /** The bot behind the default app gave no usable answer (the catalogue's fallback answered), by why. */
    BOT_FAILURES("BotFailures", Unit.COUNT, List.of(List.of(Dimension.ACCOUNT, Dimension.KIND), List.of())),
    /** Tokens a model read for an answer. */
    BOT_INPUT_TOKENS("BotInputTokens", Unit.COUNT, List.of(List.of(Dimension.ACCOUNT))),
    /** Tokens a model wrote for an answer. */
    BOT_OUTPUT_TOKENS("BotOutputTokens", Unit.COUNT, List.of(List.of(Dimension.ACCOUNT)));

    private final String metricName;
    private final Unit unit;
    private final List<List<String>> dimensionSets;

    Metric(String name, Unit unit, List<List<String>> dimensionSets) {
        this.metricName = name;
        this.unit = unit;
        this.dimensionSets = dimensionSets;
    }

    public String metricName() {
        return metricName;
    }

    public Unit unit() {
        return unit;
    }

    public List<List<String>> dimensionSets() {
        return dimensionSets;
    }

    /** The dimensions a measurement of this metric must name: every one any of its sets uses. */
    public List<String> dimensions() {
        return dimensionSets.stream().flatMap(List::stream).distinct().toList();
    }

    /** The dimension names. */
    public static final class Dimension {
        public static final String ACCOUNT = "Account";
        public static final String REASON = "Reason";
        public static final String OUTCOME = "Outcome";
        public static final String KIND = "Kind";
        public static final String ANSWER = "Answer";

        private Dimension() {
        }
    }

    /** CloudWatch units, as EMF spells them. */
    public enum Unit {
        COUNT("Count"),
        MILLISECONDS("Milliseconds");

        private final String wire;

        Unit(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }
}
