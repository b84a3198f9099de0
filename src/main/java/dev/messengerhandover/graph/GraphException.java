package dev.messengerhandover.graph;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Graph API call that failed, with Graph's own error fields. {@link #isTransient()} says whether trying again later can
 * help (rate limits, temporary errors, 5xx, network) or not (bad parameter, permissions, token).
 */
public class GraphException extends RuntimeException {

    /** Graph's temporary and rate-limit codes: 1, 2 temporary; 4 app, 17 user, 32 page, 613 call rate limits. */
    private static final Set<Integer> TRANSIENT_CODES = Set.of(1, 2, 4, 17, 32, 613);
    private static final Set<Integer> RATE_LIMIT_CODES = Set.of(4, 17, 32, 613);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int status;
    private final int code;
    private final int subcode;
    private final String type;
    private final boolean transientFlag;
    private final String fbtraceId;

    public GraphException(int status, int code, int subcode, String type, String message, boolean transientFlag,
            String fbtraceId, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.subcode = subcode;
        this.type = type;
        this.transientFlag = transientFlag;
        this.fbtraceId = fbtraceId;
    }

    /** No answer at all (connection refused or reset, time-out): always worth another try. */
    public static GraphException network(Throwable cause) {
        return new GraphException(0, 0, 0, "network", cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                true, null, cause);
    }

    /** Reads Graph's {@code {"error":{...}}} body; anything else keeps the HTTP status as the only clue. */
    public static GraphException fromResponse(int status, String body) {
        JsonNode error = null;
        try {
            error = body == null || body.isBlank() ? null : JSON.readTree(body).get("error");
        } catch (Exception notJson) {
            // a proxy's HTML page or a cut connection: fall through with the status alone
        }
        if (error == null || !error.isObject()) {
            return new GraphException(status, 0, 0, null, "HTTP " + status + " without Graph error body", false, null,
                    null);
        }
        return new GraphException(status, error.path("code").asInt(0), error.path("error_subcode").asInt(0),
                error.path("type").asText(null), error.path("message").asText("(no message)"),
                error.path("is_transient").asBoolean(false), error.path("fbtrace_id").asText(null), null);
    }

    public int status() {
        return status;
    }

    public int code() {
        return code;
    }

    public int subcode() {
        return subcode;
    }

    public String type() {
        return type;
    }

    public String fbtraceId() {
        return fbtraceId;
    }

    public boolean isTransient() {
        return transientFlag || status == 0 || status == 429 || status >= 500 || TRANSIENT_CODES.contains(code);
    }

    /** What the failure means for thread control, by Graph's codes and subcodes. */
    public enum Kind {
        /** Worth another try later: rate limits, temporary errors, 5xx, no answer. */
        TRANSIENT,
        /** (#10) 2018278: outside the 24 h messaging window. */
        OUTSIDE_WINDOW,
        /** (#100) 2018151: the calling app is not the thread owner. */
        NOT_OWNER,
        /** (#10) 2018300: another app is controlling the thread. */
        ANOTHER_APP_CONTROLS,
        /** (#27) 2018464: take_thread_control is not available (no default app). */
        TAKE_NOT_SUPPORTED,
        /** 190: the token is invalid or expired. */
        INVALID_TOKEN,
        /** Anything else that trying again will not fix. */
        PERMANENT
    }

    public Kind kind() {
        if (isTransient()) {
            return Kind.TRANSIENT;
        }
        return switch (subcode) {
            case 2018278 -> Kind.OUTSIDE_WINDOW;
            case 2018151 -> Kind.NOT_OWNER;
            case 2018300 -> Kind.ANOTHER_APP_CONTROLS;
            case 2018464 -> Kind.TAKE_NOT_SUPPORTED;
            // WhatsApp's Cloud API dropped subcodes: its codes say it (131047: the 24 h window; 2494191: a take by
            // anyone but the escalation partner; 10 with 403: not the thread's owner, a code Meta does not document).
            default -> switch (code) {
                case 190 -> Kind.INVALID_TOKEN;
                case 131047 -> Kind.OUTSIDE_WINDOW;
                case 2494191 -> Kind.TAKE_NOT_SUPPORTED;
                case 10 -> status == 403 && subcode == 0 ? Kind.NOT_OWNER : Kind.PERMANENT;
                default -> Kind.PERMANENT;
            };
        };
    }

    public boolean isRateLimit() {
        return status == 429 || RATE_LIMIT_CODES.contains(code);
    }

    /** One line for logs: never contains the token (it travels in a header, not in the URL). */
    public String summary() {
        return "HTTP " + status + " code " + code + (subcode != 0 ? "/" + subcode : "") + " "
                + (isTransient() ? "transient" : "permanent") + ": " + getMessage()
                + (fbtraceId != null ? " (fbtrace_id " + fbtraceId + ")" : "");
    }
}
