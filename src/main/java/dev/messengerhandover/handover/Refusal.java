package dev.messengerhandover.handover;

/** Why Graph refused a step, as far as the rules care (Graph's codes are mapped at the edge). */
public enum Refusal {
    /** (#100) subcode 2018151: the calling app is not the thread owner. */
    NOT_OWNER,
    /** (#10) subcode 2018300: another app is controlling the thread. */
    ANOTHER_APP_CONTROLS,
    /** (#27) subcode 2018464: take is not available without a default app. */
    TAKE_NOT_SUPPORTED,
    /** (#10) subcode 2018278: outside the 24 h messaging window. */
    OUTSIDE_WINDOW,
    /** Anything else: a bad parameter, a permission, a token, or no answer at all after the retries. */
    OTHER;

    /** Whether {@code thread_owner} can tell more: the thread may have moved, or the call went through unheard. */
    public boolean ownerMayHaveChanged() {
        return switch (this) {
            case NOT_OWNER, ANOTHER_APP_CONTROLS, OTHER -> true;
            case TAKE_NOT_SUPPORTED, OUTSIDE_WINDOW -> false;
        };
    }
}
