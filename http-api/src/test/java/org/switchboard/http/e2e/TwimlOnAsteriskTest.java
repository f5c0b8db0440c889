package org.switchboard.http.e2e;

import org.junit.jupiter.api.Tag;
import org.switchboard.http.realasterisk.RealAsterisk;

/** {@link TwimlEndToEndTest} on a real Asterisk configured from {@code conf/}. */
@Tag(RealAsterisk.TAG)
class TwimlOnAsteriskTest extends TwimlEndToEndTest {
  @Override
  E2eHarness newHarness() throws Exception {
    return E2eHarness.onRealAsterisk();
  }
}
