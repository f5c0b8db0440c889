package org.switchboard.http.e2e;

import org.junit.jupiter.api.Tag;
import org.switchboard.http.realasterisk.RealAsterisk;

/**
 * {@link ApiEndToEndTest} on a real Asterisk: the Calls API's numbers are dialled into the test
 * dialplan's {@code [sbtest-numbers]}, which answers them.
 */
@Tag(RealAsterisk.TAG)
class ApiOnAsteriskTest extends ApiEndToEndTest {
  @Override
  E2eHarness newHarness() throws Exception {
    return E2eHarness.onRealAsterisk();
  }
}
