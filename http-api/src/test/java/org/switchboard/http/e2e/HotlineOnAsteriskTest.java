package org.switchboard.http.e2e;

import org.junit.jupiter.api.Tag;
import org.switchboard.http.realasterisk.RealAsterisk;

/**
 * {@link HotlineEndToEndTest} on a real Asterisk: volunteers are numbers of the test dialplan's
 * {@code [sbtest-numbers]} (ringing forever, answering after 1 s, busy).
 */
@Tag(RealAsterisk.TAG)
class HotlineOnAsteriskTest extends HotlineEndToEndTest {
  @Override
  E2eHarness newHarness() throws Exception {
    return E2eHarness.onRealAsterisk();
  }
}
