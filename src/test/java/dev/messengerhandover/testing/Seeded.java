package dev.messengerhandover.testing;

import java.util.Random;
import java.util.function.Consumer;

/**
 * Property checks over generated cases, all drawn from one seed so that a run replays: {@code -Dfuzz.seed=} picks
 * another run, and a failure names the case's own seed, which replays that case alone ({@link #replay}).
 */
public final class Seeded {

    public static final long SEED = Long.getLong("fuzz.seed", 20_261_125L);

    private Seeded() {
    }

    /** Runs {@code check} on {@code cases} generated cases, each from its own seed so that one can be replayed. */
    public static void forEachCase(int cases, Consumer<Random> check) {
        var seeds = new Random(SEED);
        for (int i = 0; i < cases; i++) {
            long seed = seeds.nextLong();
            try {
                check.accept(new Random(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("case " + i + " of -Dfuzz.seed=" + SEED + " failed; replay it with "
                        + "Seeded.replay(" + seed + "L, ...)", e);
            }
        }
    }

    /** One case again, from the seed a failure printed. */
    public static void replay(long caseSeed, Consumer<Random> check) {
        check.accept(new Random(caseSeed));
    }
}
