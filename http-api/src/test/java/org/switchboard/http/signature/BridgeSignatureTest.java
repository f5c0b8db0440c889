package org.switchboard.http.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BridgeSignatureTest {
  private static final String SECRET = "shared-secret-of-the-hotline";

  /** Vectors from {@code openssl dgst -sha256 -hmac SECRET} over {@code "timestamp.body"}. */
  @Test
  void matchesOpensslVectors() {
    byte[] body = "{\"parentCallSid\":\"CA1\"}".getBytes(StandardCharsets.UTF_8);
    assertEquals("7495a36aa01c0a5f01674b6eb76a995b5b78ea2100f6f6c43a7f71b8778f503c",
        BridgeSignature.sign(SECRET, 1_795_313_044L, body));
    assertEquals("f128e28d13b8ab7393dfa2fda95c99ea703c3f0acd334387162f9e4366dc3e50",
        BridgeSignature.sign(SECRET, 1_795_313_044L, new byte[0]));
  }

  @Test
  void reusedInstanceDependsOnlyOnItsInputs() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    String first = BridgeSignature.sign(SECRET, 1L, body);
    String other = BridgeSignature.sign("another-secret", 1L, body);
    assertNotEquals(first, other);
    assertEquals(first, BridgeSignature.sign(SECRET, 1L, body));
    assertNotEquals(first, BridgeSignature.sign(SECRET, 2L, body));
  }
}
