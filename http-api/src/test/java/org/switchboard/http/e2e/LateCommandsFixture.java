package org.switchboard.http.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.asterisk.sim.SimFault;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * What the tests of commands Asterisk carries out late ({@link SimFault#late}) share: one harness
 * for the test class, with admission control off (the held commands would make the node shed the
 * next call) and one callee that answers after 300 ms; a tone the application serves; after each
 * test the faults left are cleared and the calls must have ended.
 */
abstract class LateCommandsFixture {
  static E2eHarness h;

  /** Starts {@link #h}: {@code callee} answers after 300 ms, {@code settings} under the node's. */
  static void startHarness(String callee, Map<String, String> settings) throws IOException {
    Map<String, String> all = new HashMap<>(settings);
    all.put("switchboard.overload.enabled", "false");
    h = new E2eHarness(
        List.of(new DialRule("*" + callee + "*", DialBehaviour.parse("answer-after-300"))), all);
  }

  /** The application serves a 440 Hz tone of {@code length} at {@code path}. */
  static void serveTone(String path, Duration length) {
    byte[] tone = AriGapEndToEndTest.wav(length);
    h.app.on(path, r -> Response.binary("audio/wav", tone));
  }

  @AfterEach
  void clearFaults() {
    h.sim.clearFaults();
    h.awaitClean();
  }

  @AfterAll
  static void stopHarness() {
    h.close();
  }
}
