package org.switchboard.http.stream;

import org.switchboard.http.stream.codec.AudioFormat;

/** The RTP formats an Asterisk ExternalMedia channel sends and receives. */
public enum MediaEncoding {
  /** G.711 µ-law, 8 kHz, payload type 0, 160 bytes per 20 ms. */
  ULAW("ulaw", 0, 8000, 160),
  /** Signed 16-bit big-endian linear, 16 kHz, payload type 118, 640 bytes per 20 ms. */
  SLIN16("slin16", 118, 16000, 640);

  private final String asteriskFormat;
  private final int payloadType;
  private final int clockRate;
  private final int frameBytes;

  MediaEncoding(String asteriskFormat, int payloadType, int clockRate, int frameBytes) {
    this.asteriskFormat = asteriskFormat;
    this.payloadType = payloadType;
    this.clockRate = clockRate;
    this.frameBytes = frameBytes;
  }

  /**
   * The encoding whose ExternalMedia format is {@code format} ({@code ulaw}, {@code slin16}).
   *
   * @throws IllegalArgumentException for any other format
   */
  public static MediaEncoding forFormat(String format) {
    for (MediaEncoding e : values()) {
      if (e.asteriskFormat.equals(format)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unsupported media stream format '" + format + "'");
  }

  /** The ExternalMedia {@code format} parameter. */
  public String asteriskFormat() {
    return asteriskFormat;
  }

  /** RTP payload type. */
  public int payloadType() {
    return payloadType;
  }

  /** RTP clock rate (samples per second). */
  public int clockRate() {
    return clockRate;
  }

  /** Bytes in a 20 ms frame. */
  public int frameBytes() {
    return frameBytes;
  }

  /** The audio format of the payload. */
  public AudioFormat audioFormat() {
    return this == ULAW ? AudioFormat.MULAW_8K : AudioFormat.L16_16K;
  }

  /** Samples in a 20 ms frame (the RTP timestamp step). */
  public int frameSamples() {
    return clockRate / 50;
  }
}
