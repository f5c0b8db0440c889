package org.switchboard.asterisk.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inbound calls are {@code sim-call-N} by default (the load test's call book reads that shape),
 * and {@code <prefix>-call-N} for a simulator given a prefix: the demo's per-run prefix gives
 * each run CallSids of its own.
 */
class InboundCallIdsTest {
  @TempDir Path recordings;

  @Test
  void theDefaultAndAPrefixedSimulatorNameTheirCalls() {
    SimConfig config = SimConfig.defaults().withRecordingsDir(recordings);
    try (AriSimulator plain = new AriSimulator(); AriSimulator run = new AriSimulator("sim-r1")) {
      plain.start(config);
      run.start(config);
      assertEquals("sim-call-1", plain.inboundCall("+15550001", "+15551234567"));
      assertEquals("sim-r1-call-1", run.inboundCall("+15550001", "+15551234567"));
      assertEquals("sim-r1-call-2", run.inboundCall("+15550002", "+15551234567"));
    }
  }
}
