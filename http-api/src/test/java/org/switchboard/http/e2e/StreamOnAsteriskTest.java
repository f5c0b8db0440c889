package org.switchboard.http.e2e;

import org.junit.jupiter.api.Tag;
import org.switchboard.http.realasterisk.RealAsterisk;

/** {@link StreamEndToEndTest} on a real Asterisk: ExternalMedia RTP to the node over loopback. */
@Tag(RealAsterisk.TAG)
class StreamOnAsteriskTest extends StreamEndToEndTest {
  @Override
  E2eHarness newHarness() throws Exception {
    return E2eHarness.onRealAsterisk();
  }
}
