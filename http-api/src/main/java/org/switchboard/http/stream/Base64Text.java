package org.switchboard.http.stream;

import java.util.Base64;

/**
 * Base64 read straight from a JSON parser's characters, without the {@code String} and the byte
 * copy {@code Base64.getDecoder().decode(String)} needs: the usual payload (whole 4-character
 * units, padding only at the end) is decoded here; anything else goes to the JDK's decoder, so
 * what is accepted, and the bytes it gives, are exactly the JDK's.
 */
final class Base64Text {

  private static final int[] VALUES = new int[128];

  static {
    java.util.Arrays.fill(VALUES, -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUES[alphabet.charAt(i)] = i;
    }
  }

  private Base64Text() {}

  /** The bytes {@code chars[offset, offset + length)} encode, or null where the JDK refuses them. */
  static byte[] decode(char[] chars, int offset, int length) {
    if (length % 4 != 0) {
      return jdk(chars, offset, length);
    }
    int end = offset + length;
    int pad = length == 0 || chars[end - 1] != '=' ? 0 : chars[end - 2] == '=' ? 2 : 1;
    byte[] out = new byte[length / 4 * 3 - pad];
    int wholeEnd = pad == 0 ? end : end - 4;
    int o = 0;
    for (int i = offset; i < wholeEnd; i += 4) {
      int bits = value(chars[i]) << 18 | value(chars[i + 1]) << 12 | value(chars[i + 2]) << 6
          | value(chars[i + 3]);
      if (bits < 0) {
        return jdk(chars, offset, length);
      }
      out[o++] = (byte) (bits >> 16);
      out[o++] = (byte) (bits >> 8);
      out[o++] = (byte) bits;
    }
    if (pad > 0) {
      int bits = value(chars[wholeEnd]) << 18 | value(chars[wholeEnd + 1]) << 12
          | (pad == 1 ? value(chars[wholeEnd + 2]) << 6 : 0);
      if (bits < 0) {
        return jdk(chars, offset, length);
      }
      out[o++] = (byte) (bits >> 16);
      if (pad == 1) {
        out[o] = (byte) (bits >> 8);
      }
    }
    return out;
  }

  /** A character's 6 bits, or a negative number (sign-extended into any shift) when not base64. */
  private static int value(char c) {
    return c < 128 ? VALUES[c] : -1;
  }

  private static byte[] jdk(char[] chars, int offset, int length) {
    try {
      return Base64.getDecoder().decode(new String(chars, offset, length));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
