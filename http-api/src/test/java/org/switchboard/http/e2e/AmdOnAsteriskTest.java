package org.switchboard.http.e2e;

import org.junit.jupiter.api.Tag;
import org.switchboard.http.realasterisk.AmdSamples;
import org.switchboard.http.realasterisk.RealAsterisk;

/**
 * {@link AmdEndToEndTest} on a real Asterisk: {@code [sbtest-numbers]} sends {@code +15550400001}
 * to a far end that plays a voicemail greeting and {@code +15550400002} to one that says hello
 * (espeak-ng samples, {@link AmdSamples}), and Asterisk's {@code AMD()} tells them apart.
 */
@Tag(RealAsterisk.TAG)
class AmdOnAsteriskTest extends AmdEndToEndTest {
  @Override
  E2eHarness newHarness() throws Exception {
    AmdSamples.install(RealAsterisk.shared());
    return E2eHarness.onRealAsterisk();
  }
}
