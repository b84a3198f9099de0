package dev.messengerhandover.handover;

/**
 * What {@code thread_owner} answered: idle, or an owner (Graph names it only to the owner and to the default app:
 * {@code appId} may be {@code null}) whose control expires at {@code expiresAt} (epoch ms, 0 if not said).
 */
public record OwnerAnswer(boolean idle, String appId, long expiresAt) {

    public static OwnerAnswer idleThread() {
        return new OwnerAnswer(true, null, 0);
    }

    public static OwnerAnswer owner(String appId, long expiresAt) {
        return new OwnerAnswer(false, appId, expiresAt);
    }
}
