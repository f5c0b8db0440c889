package org.switchboard.http.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.switchboard.http.signature.BridgeVerification.Status;

/**
 * Coverage-guided fuzzing of the {@code X-Bridge-Signature} checker: any header pair and body is
 * cleanly refused unless the secret signed it, a signature by another secret is never accepted,
 * and a correctly signed request is accepted exactly when its timestamp is within the window
 * (whatever the long). Regressions: {@code BridgeSignatureFuzzTestInputs/bridge/}.
 */
class BridgeSignatureFuzzTest {

  private static final String SECRET = "bridge-secret";
  private static final long NOW = 1_700_000_000L;
  private static final long TOLERANCE = 300;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

  @FuzzTest(maxDuration = "5s")
  void bridge(FuzzedDataProvider data) {
    String timestampHeader = data.consumeString(30);
    String signatureHeader = data.consumeString(80);
    long timestamp = data.consumeBoolean() ? NOW + data.consumeInt(-1000, 1000) : data.consumeLong();
    byte[] body = data.consumeRemainingAsBytes();

    BridgeVerification any = verifier().verify(timestampHeader, signatureHeader, body);
    if (any.valid()) {
      assertEquals(BridgeSignature.sign(SECRET, Long.parseLong(timestampHeader.trim()), body),
          signatureHeader.trim().toLowerCase(java.util.Locale.ROOT));
    }

    String signed = BridgeSignature.sign(SECRET, timestamp, body);
    boolean inWindow = BigInteger.valueOf(timestamp).subtract(BigInteger.valueOf(NOW)).abs()
        .compareTo(BigInteger.valueOf(TOLERANCE)) <= 0;
    BridgeVerification verdict = verifier().verify(String.valueOf(timestamp), signed, body);
    assertEquals(inWindow ? Status.VALID : Status.EXPIRED, verdict.status(),
        "timestamp " + timestamp + ": " + verdict.detail());

    String forged = BridgeSignature.sign(SECRET + "x", timestamp, body);
    assertNotEquals(Status.VALID, verifier().verify(String.valueOf(timestamp), forged, body).status());
  }

  private static BridgeSignatureVerifier verifier() {
    return new BridgeSignatureVerifier(SECRET, Duration.ofSeconds(TOLERANCE), 16, CLOCK);
  }
}
