package dev.messengerhandover.handover.event;

/**
 * The array an event arrived in. Messenger puts events on {@code messaging} for the app that owns the thread (or any
 * app while the thread is idle) and on {@code standby} for every other subscribed app: the channel tells us who owns
 * the thread right now, whatever our store believes.
 */
public enum Channel {
    MESSAGING, STANDBY
}
