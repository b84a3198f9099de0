package dev.messengerhandover.dev.bots;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.Supplier;

/**
 * What the three backends' models share: replies scripted ahead, taken one a request in order, and the requests
 * recorded as they were taken. Guarded by the model itself, as its {@code handle} is.
 *
 * @param <R> what the backend may do with a request
 * @param <C> a request as the backend took it
 */
public abstract class ScriptedBackend<R, C> {

    private final Queue<R> script = new ArrayDeque<>();
    private final List<C> calls = new ArrayList<>();

    /** The next requests take these replies, in order; after them, the backend's own behaviour. */
    @SafeVarargs
    public final synchronized void script(R... replies) {
        script.addAll(List.of(replies));
    }

    /**
     * Runs {@code handling} (the backend's {@code handle} of one request) with {@code reply} as that request's reply
     * instead of the backend's own behaviour: the emulator's knobs (a failing bot, one that asks for a person). What
     * was scripted before stays for the requests after; a request refused before it took a reply (a bad signature)
     * leaves nothing behind.
     */
    public final synchronized <T> T once(R reply, Supplier<T> handling) {
        var queued = new ArrayList<>(script);
        script.clear();
        script.add(reply);
        try {
            return handling.get();
        } finally {
            script.clear();
            script.addAll(queued);
        }
    }

    public final synchronized List<C> calls() {
        return List.copyOf(calls);
    }

    /** Forgets the script, the calls and whatever else the backend keeps. */
    public final synchronized void clear() {
        script.clear();
        calls.clear();
        forget();
    }

    /** The next scripted reply, or {@code null}. */
    protected final R scripted() {
        return script.poll();
    }

    protected final void record(C call) {
        calls.add(call);
    }

    /** What else the backend keeps between requests (sessions, answers by key), forgotten by {@link #clear()}. */
    protected void forget() {
    }
}
