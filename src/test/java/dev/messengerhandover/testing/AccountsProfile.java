package dev.messengerhandover.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A test's own {@link Platform}: Pages from another source ({@code accounts}: {@code many}, {@code messenger.pages};
 * {@code secret}, a Secrets Manager secret), or the team's hours ({@code hours}: {@code paris}). The global platform
 * is off (its single Page would be a second source of Pages).
 */
public abstract class AccountsProfile implements QuarkusTestProfile {

    private final Map<String, String> args;

    /** {@code args}: the {@link Platform}'s ({@code accounts}, {@code hours}). */
    protected AccountsProfile(String... args) {
        var map = new java.util.HashMap<String, String>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            map.put(args[i], args[i + 1]);
        }
        this.args = Map.copyOf(map);
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Platform.class, args));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
