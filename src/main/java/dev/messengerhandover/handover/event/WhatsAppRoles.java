package dev.messengerhandover.handover.event;

/**
 * WhatsApp names the parties of a thread by role, never by app
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/conversation-routing/routing-roles):
 * in a WhatsApp account's rules the roles are the parties' ids.
 */
public final class WhatsAppRoles {

    /** The primary for the Service entry point: this app, the bot. */
    public static final String PRIMARY = "customer_service";
    /** The escalation partner: the helpdesk the bot hands over to, and the only party that may take a thread. */
    public static final String ESCALATION = "escalation";

    private WhatsAppRoles() {
    }
}
