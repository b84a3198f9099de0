package dev.messengerhandover;

import dev.messengerhandover.thread.HandoffFlowTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The whole handoff flow again, against the packaged function (the jar inside function.zip), not the test class path. */
@QuarkusIntegrationTest
class PackagedFunctionIT extends HandoffFlowTest {
}
