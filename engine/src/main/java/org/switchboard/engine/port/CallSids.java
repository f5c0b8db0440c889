package org.switchboard.engine.port;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Twilio-style ids: a two-letter prefix and 32 lower-case hex digits.
 *
 * <p>A call's CallSid is derived from its channel ({@code serverId/channelId}), so every node of
 * a cluster computes the same sharding key for an event without a shared map, and the CallSid is
 * stable for the life of the call.
 */
public final class CallSids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private CallSids() {}

  /** The CallSid of the call that lives on this channel. */
  public static String forChannel(ChannelRef channel) {
    return "CA" + digest(channel.serverId() + "/" + channel.channelId());
  }

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

  private static String digest(String input) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
      return HEX.formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
