package dev.messengerhandover.testing;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A test's own {@link Platform} whose Pages come from another source ({@code many}: {@code messenger.pages};
 * {@code secret}: a Secrets Manager secret). The global platform's single Page would be a second source, so it is off.
 */
public abstract class AccountsProfile implements QuarkusTestProfile {

    private final String accounts;

    protected AccountsProfile(String accounts) {
        this.accounts = accounts;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Platform.class, Map.of("accounts", accounts)));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
