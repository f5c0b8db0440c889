package org.switchboard.http.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.switchboard.http.signature.BridgeVerification.Status;

class BridgeSignatureVerifierTest {
  private static final String SECRET = "s3cret";
  private static final byte[] BODY = "CallSid=CA1&Digits=1".getBytes(StandardCharsets.UTF_8);

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.ofEpochSecond(1_700_000_000));
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };
  private final BridgeSignatureVerifier verifier =
      new BridgeSignatureVerifier(SECRET, Duration.ofSeconds(300), 1000, clock);

  private long ts() {
    return now.get().getEpochSecond();
  }

  @Test
  void signatureIsHexHmacSha256OfTimestampDotBody() {
    // Reference: printf '1700000000.CallSid=CA1&Digits=1' | openssl dgst -sha256 -hmac s3cret
    assertEquals("7a8b5bfb14a52e4d16b203d461e41549cdcb6210d2d014259344ed21104f8c13",
        BridgeSignature.sign(SECRET, 1_700_000_000L, BODY));
  }

  @Test
  void validSignatureIsAccepted() {
    String sig = BridgeSignature.sign(SECRET, ts(), BODY);
    assertEquals(Status.VALID, verifier.verify(Long.toString(ts()), sig, BODY).status());
  }

  @Test
  void upperCaseHexIsAccepted() {
    String sig = BridgeSignature.sign(SECRET, ts(), BODY).toUpperCase();
    assertEquals(Status.VALID, verifier.verify(Long.toString(ts()), sig, BODY).status());
  }

  @Test
  void forgedSignaturesAreMismatches() {
    String wrongKey = BridgeSignature.sign("other", ts(), BODY);
    assertEquals(Status.MISMATCH, verifier.verify(Long.toString(ts()), wrongKey, BODY).status());
    String good = BridgeSignature.sign(SECRET, ts(), BODY);
    byte[] tampered = "CallSid=CA1&Digits=2".getBytes(StandardCharsets.UTF_8);
    assertEquals(Status.MISMATCH, verifier.verify(Long.toString(ts()), good, tampered).status());
    assertEquals(Status.MISMATCH, verifier.verify(Long.toString(ts() - 1), good, BODY).status());
    assertEquals(0, verifier.remembered(), "forgeries must not enter the replay cache");
  }

  @Test
  void timestampsThatOverflowTheDistanceFromNowAreExpired() {
    for (long far : new long[] {ts() - Long.MIN_VALUE, ts() + Long.MIN_VALUE, Long.MIN_VALUE,
        Long.MAX_VALUE, ts() - Long.MAX_VALUE}) {
      String sig = BridgeSignature.sign(SECRET, far, BODY);
      assertEquals(Status.EXPIRED, verifier.verify(Long.toString(far), sig, BODY).status(),
          "timestamp " + far);
    }
    assertEquals(0, verifier.remembered());
  }

  @Test
  void timestampsOutsideToleranceAreExpired() {
    long old = ts() - 301;
    String sig = BridgeSignature.sign(SECRET, old, BODY);
    assertEquals(Status.EXPIRED, verifier.verify(Long.toString(old), sig, BODY).status());
    long future = ts() + 301;
    String sigFuture = BridgeSignature.sign(SECRET, future, BODY);
    assertEquals(Status.EXPIRED, verifier.verify(Long.toString(future), sigFuture, BODY).status());
    long edge = ts() - 300;
    String sigEdge = BridgeSignature.sign(SECRET, edge, BODY);
    assertEquals(Status.VALID, verifier.verify(Long.toString(edge), sigEdge, BODY).status());
  }

  @Test
  void secondUseIsReplayedUntilItExpires() {
    long sent = ts();
    String sig = BridgeSignature.sign(SECRET, sent, BODY);
    assertEquals(Status.VALID, verifier.verify(Long.toString(sent), sig, BODY).status());
    assertEquals(Status.REPLAYED, verifier.verify(Long.toString(sent), sig, BODY).status());
    now.set(now.get().plusSeconds(299));
    assertEquals(Status.REPLAYED, verifier.verify(Long.toString(sent), sig, BODY).status());
    now.set(now.get().plusSeconds(2));
    assertEquals(Status.EXPIRED, verifier.verify(Long.toString(sent), sig, BODY).status());
    String fresh = BridgeSignature.sign(SECRET, ts(), BODY);
    assertEquals(Status.VALID, verifier.verify(Long.toString(ts()), fresh, BODY).status());
    assertEquals(1, verifier.remembered(), "expired signatures are purged from the cache");
  }

  @Test
  void aSignatureIsReplayedOnlyInItsOwnScope() {
    long sent = ts();
    String sig = BridgeSignature.sign(SECRET, sent, new byte[0]);
    String ts = Long.toString(sent);
    assertEquals(Status.VALID, verifier.verify(ts, sig, new byte[0], "GET /recordings/RE1").status());
    assertEquals(Status.VALID, verifier.verify(ts, sig, new byte[0], "GET /recordings/RE2").status(),
        "the same empty-body signature on another path is another request");
    assertEquals(Status.REPLAYED,
        verifier.verify(ts, sig, new byte[0], "GET /recordings/RE1").status());
  }

  @Test
  void missingAndMalformedHeaders() {
    String sig = BridgeSignature.sign(SECRET, ts(), BODY);
    assertEquals(Status.MISSING, verifier.verify(null, sig, BODY).status());
    assertEquals(Status.MISSING, verifier.verify(Long.toString(ts()), " ", BODY).status());
    assertEquals(Status.MALFORMED, verifier.verify("yesterday", sig, BODY).status());
    assertEquals(Status.MALFORMED, verifier.verify(Long.toString(ts()), "abc", BODY).status());
    assertTrue(verifier.verify(Long.toString(ts()), "zz" + sig.substring(2), BODY).detail()
        .contains("hex"));
  }

  @Test
  void timestampsFarFromNowAreExpiredWithoutOverflow() {
    long now = ts();
    for (long far : new long[] {Long.MIN_VALUE, Long.MAX_VALUE, now + Long.MIN_VALUE,
        Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, now - 301, now + 301, -1, 0}) {
      String sig = BridgeSignature.sign(SECRET, far, BODY);
      assertEquals(Status.EXPIRED, verifier.verify(Long.toString(far), sig, BODY).status(),
          "timestamp " + far);
    }
    assertEquals(0, verifier.remembered(), "nothing expired is remembered");
  }

  @Test
  void theWindowIsInclusiveAtBothEnds() {
    for (long edge : new long[] {ts() - 300, ts() + 300}) {
      String sig = BridgeSignature.sign(SECRET, edge, BODY);
      assertEquals(Status.VALID, verifier.verify(Long.toString(edge), sig, BODY).status());
      assertEquals(Status.REPLAYED, verifier.verify(Long.toString(edge), sig, BODY).status());
    }
  }

  @Test
  void anExtremeToleranceDoesNotOverflowEither() {
    BridgeSignatureVerifier lax = new BridgeSignatureVerifier(
        SECRET, Duration.ofSeconds(Long.MAX_VALUE), 10, clock);
    String sig = BridgeSignature.sign(SECRET, Long.MAX_VALUE, BODY);
    assertEquals(Status.VALID, lax.verify(Long.toString(Long.MAX_VALUE), sig, BODY).status());
    assertEquals(Status.REPLAYED, lax.verify(Long.toString(Long.MAX_VALUE), sig, BODY).status());
  }
}
