package org.switchboard.http.e2e;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.switchboard.http.realasterisk.RealAsterisk;

/** {@link StreamEndToEndTest} on a real Asterisk: ExternalMedia RTP to the node over loopback. */
@Tag(RealAsterisk.TAG)
class StreamOnAsteriskTest extends StreamEndToEndTest {
  @Override
  E2eHarness newHarness() throws Exception {
    return new E2eHarness(RealAsterisk.shared(), Map.of());
  }
}
