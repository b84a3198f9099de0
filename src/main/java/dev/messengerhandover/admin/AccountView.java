package dev.messengerhandover.admin;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One account as the operator API shows it: never its token. {@code routing} is what Graph said last
 * ({@code routing}, {@code default-behaviour}), or the configured mode, or {@code not probed yet}.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccountView(String id, String platform, String name, String pageId, String inboxAppId, String routing,
        LastError lastGraphError) {

    @RegisterForReflection
    public record LastError(String at, String summary) {
        static LastError of(long at, String summary) {
            return new LastError(Instant.ofEpochMilli(at).toString(), summary);
        }
    }
}
