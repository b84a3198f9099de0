package dev.messengerhandover.config;

/** {@code handover.routing-mode}: the Page's routing as configured, or {@code auto} to ask Graph. */
public enum RoutingMode {
    AUTO, ROUTING, DEFAULT_BEHAVIOUR
}
