package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One {@link CompatHarness} per test class; after every test the simulator is left clean and the
 * SDK's {@code RequestValidator} has accepted every webhook the application received.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CompatTest {
  CompatHarness h;

  /** The harness of this class, its application's TwiML scripted. */
  abstract CompatHarness harness() throws Exception;

  @BeforeAll
  void start() throws Exception {
    h = harness();
  }

  @AfterAll
  void stop() {
    if (h != null) {
      h.close();
    }
  }

  @AfterEach
  void everyWebhookValidates() {
    h.awaitClean();
    assertEquals(List.of(), h.app.invalid(), "webhooks the SDK's RequestValidator refused");
  }

  /** Every item of an SDK list, following its pages. */
  static <T> List<T> all(Iterable<T> items) {
    return StreamSupport.stream(items.spliterator(), false).toList();
  }
}
