package org.switchboard.engine.port;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Twilio-style ids: a two-letter prefix and 32 lower-case hex digits (recordings {@code RE…},
 * queues {@code QU…}, conferences {@code CF…}), and the random ids Switchboard gives what it
 * creates. A CallSid is a {@link CallSid}.
 */
public final class Sids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private Sids() {}

  /** A fresh random id with the given two-letter prefix, e.g. {@code RE} for recordings. */
  public static String random(String prefix) {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return prefix + HEX.formatHex(bytes);
  }

  /** A deterministic id with the given prefix, derived from a name (queues, conferences). */
  public static String named(String prefix, String name) {
    return prefix + digest(name);
  }

  /** The first 16 bytes of the SHA-256 of {@code input}, in lower-case hex. */
  static String digest(String input) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
      return HEX.formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
