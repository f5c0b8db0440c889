package org.switchboard.http.stream;

import java.nio.charset.StandardCharsets;

/**
 * Writes the {@code media} messages of one stream, 50 a second per track: the text of {@link
 * StreamMessages#render}{@code (media(...), sequenceNumber)} byte for byte, written into one
 * buffer the writer keeps (the constant parts copied in, the numbers written as digits, the
 * payload base64-encoded in place), so a frame costs one array and one {@code String}, not a JSON
 * tree, a builder and three copies. The stream SID and track names are Switchboard's own ASCII
 * names and need no escaping. Not thread-safe: the session guards it.
 */
final class MediaMessageWriter {

  private static final byte[] BASE64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
          .getBytes(StandardCharsets.ISO_8859_1);
  private static final byte[] EVENT = ascii("{\"event\":\"media\"");
  private static final byte[] SEQUENCE = ascii(",\"sequenceNumber\":\"");
  private static final byte[] TRACK = ascii("\",\"media\":{\"track\":\"");
  private static final byte[] CHUNK = ascii("\",\"chunk\":\"");
  private static final byte[] TIMESTAMP = ascii("\",\"timestamp\":\"");
  private static final byte[] PAYLOAD = ascii("\",\"payload\":\"");
  private static final byte[] END = ascii("\"}}");

  /** {@code "streamSid":"<sid>} with the comma before it: the same in every message. */
  private final byte[] streamSid;
  private byte[] buffer = new byte[512];
  private int length;

  /** A writer for the messages of stream {@code streamSid}. */
  MediaMessageWriter(String streamSid) {
    this.streamSid = ascii(",\"streamSid\":\"" + streamSid);
  }

  /**
   * The {@code media} message of one frame: {@code sequenceNumber} (none when 0), {@code track}'s
   * wire name, the frame's {@code chunk} and {@code timestamp}, and its audio as the payload.
   */
  String media(long sequenceNumber, String track, long chunk, long timestampMs, byte[] audio) {
    // The constant parts, three numbers of up to 20 characters, the track, base64.
    int most = 160 + streamSid.length + track.length() + (audio.length + 2) / 3 * 4;
    if (buffer.length < most) {
      buffer = new byte[most];
    }
    length = 0;
    put(EVENT);
    if (sequenceNumber > 0) {
      put(SEQUENCE);
      putDigits(sequenceNumber);
      buffer[length++] = '"';
    }
    put(streamSid);
    put(TRACK);
    for (int i = 0; i < track.length(); i++) {
      buffer[length++] = (byte) track.charAt(i);
    }
    put(CHUNK);
    putDigits(chunk);
    put(TIMESTAMP);
    putDigits(timestampMs);
    put(PAYLOAD);
    putBase64(audio);
    put(END);
    return new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
  }

  private void put(byte[] bytes) {
    System.arraycopy(bytes, 0, buffer, length, bytes.length);
    length += bytes.length;
  }

  private void putDigits(long value) {
    if (value < 0) {
      buffer[length++] = '-';
      if (value == Long.MIN_VALUE) {
        put(ascii("9223372036854775808"));
        return;
      }
      value = -value;
    }
    int digits = 1;
    for (long v = value / 10; v != 0; v /= 10) {
      digits++;
    }
    for (int i = length + digits - 1; i >= length; i--) {
      buffer[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    length += digits;
  }

  /** RFC 4648 base64 with padding, as {@code Base64.getEncoder()} writes it. */
  private void putBase64(byte[] audio) {
    int whole = audio.length / 3 * 3;
    int out = length;
    for (int i = 0; i < whole; i += 3) {
      int bits = (audio[i] & 0xFF) << 16 | (audio[i + 1] & 0xFF) << 8 | (audio[i + 2] & 0xFF);
      buffer[out++] = BASE64[bits >>> 18];
      buffer[out++] = BASE64[bits >>> 12 & 0x3F];
      buffer[out++] = BASE64[bits >>> 6 & 0x3F];
      buffer[out++] = BASE64[bits & 0x3F];
    }
    int rest = audio.length - whole;
    if (rest > 0) {
      int bits = (audio[whole] & 0xFF) << 16 | (rest == 2 ? (audio[whole + 1] & 0xFF) << 8 : 0);
      buffer[out++] = BASE64[bits >>> 18];
      buffer[out++] = BASE64[bits >>> 12 & 0x3F];
      buffer[out++] = rest == 2 ? BASE64[bits >>> 6 & 0x3F] : (byte) '=';
      buffer[out++] = '=';
    }
    length = out;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
