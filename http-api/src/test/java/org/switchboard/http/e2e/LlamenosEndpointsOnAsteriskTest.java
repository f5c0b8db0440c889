package org.switchboard.http.e2e;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.switchboard.http.realasterisk.RealAsterisk;

/**
 * {@link LlamenosEndpointsEndToEndTest} on a real Asterisk 22 configured with the sample {@code
 * conf/sorcery.conf}: PJSIP endpoints created, read, rolled back and deleted through ARI's dynamic
 * configuration. (The ring test needs the simulator's dial rules and is skipped.)
 */
@Tag(RealAsterisk.TAG)
class LlamenosEndpointsOnAsteriskTest extends LlamenosEndpointsEndToEndTest {
  @Override
  E2eHarness newHarness(Map<String, String> settings) throws Exception {
    return E2eHarness.onRealAsterisk(settings);
  }
}
