package org.switchboard.http.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.switchboard.http.realasterisk.RealAsterisk;

/**
 * {@link SipTrunkEndToEndTest} on a real Asterisk 22 configured with the sample {@code
 * conf/sorcery.conf} (endpoint, aor and auth backed by the memory wizard; registrations not).
 */
@Tag(RealAsterisk.TAG)
class SipTrunkOnAsteriskTest extends SipTrunkEndToEndTest {
  @Override
  LlamenosCallFlowEndToEndTest.Backend newBackend(Path dir) {
    return new LlamenosCallFlowOnAsteriskTest.RealBackend(RealAsterisk.shared());
  }
}
