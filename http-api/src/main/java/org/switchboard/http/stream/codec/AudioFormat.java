package org.switchboard.http.stream.codec;

import java.util.Locale;

/**
 * A mono audio format a media stream carries: µ-law at 8 kHz (Twilio's default) or 16-bit linear
 * PCM at 8, 16 or 24 kHz, little-endian ({@code audio/pcm}, what OpenAI Realtime and most speech
 * services speak) or big-endian ({@code audio/l16}, RFC 3551 network order, Asterisk's RTP
 * {@code slin}).
 *
 * <p>Names {@link #parse} accepts (case-insensitive, spaces ignored, {@code rate} in Hz):
 *
 * <table>
 *   <caption>format names</caption>
 *   <tr><th>name</th><th>format</th></tr>
 *   <tr><td>{@code audio/x-mulaw}, {@code audio/x-mulaw;rate=8000}, {@code audio/pcmu},
 *       {@code mulaw}, {@code ulaw}, {@code pcmu}, {@code g711_ulaw}</td><td>µ-law 8 kHz</td></tr>
 *   <tr><td>{@code audio/pcm;rate=N}, {@code pcm16;rate=N}</td>
 *       <td>PCM16 little-endian at N (8000, 16000, 24000); without a rate 24000, as in the
 *       OpenAI Realtime API</td></tr>
 *   <tr><td>{@code pcm16-8k}, {@code pcm16-16k}, {@code pcm16-24k}</td>
 *       <td>PCM16 little-endian at 8/16/24 kHz</td></tr>
 *   <tr><td>{@code audio/l16;rate=N}</td><td>PCM16 big-endian at N (rate required)</td></tr>
 * </table>
 *
 * <p>{@link #toString()} gives the canonical name ({@code audio/x-mulaw;rate=8000},
 * {@code audio/pcm;rate=16000}, {@code audio/l16;rate=16000}) which {@link #parse} reads back.
 *
 * @param encoding how each sample is coded
 * @param sampleRate samples per second
 */
public record AudioFormat(Encoding encoding, int sampleRate) {

  /** G.711 µ-law, 8 kHz: Twilio Media Streams' format. */
  public static final AudioFormat MULAW_8K = new AudioFormat(Encoding.MULAW, 8000);
  /** PCM16 little-endian, 8 kHz. */
  public static final AudioFormat PCM16_8K = new AudioFormat(Encoding.PCM16_LE, 8000);
  /** PCM16 little-endian, 16 kHz. */
  public static final AudioFormat PCM16_16K = new AudioFormat(Encoding.PCM16_LE, 16000);
  /** PCM16 little-endian, 24 kHz (OpenAI Realtime's {@code pcm16}). */
  public static final AudioFormat PCM16_24K = new AudioFormat(Encoding.PCM16_LE, 24000);
  /** PCM16 big-endian, 16 kHz (Asterisk's RTP {@code slin16}). */
  public static final AudioFormat L16_16K = new AudioFormat(Encoding.PCM16_BE, 16000);

  /** Frame length used everywhere in media streams. */
  public static final int FRAME_MILLIS = 20;

  /** How samples are coded. */
  public enum Encoding {
    /** G.711 µ-law, one byte per sample. */
    MULAW("audio/x-mulaw", 1),
    /** Signed 16-bit little-endian linear PCM. */
    PCM16_LE("audio/pcm", 2),
    /** Signed 16-bit big-endian linear PCM (RFC 3551 L16). */
    PCM16_BE("audio/l16", 2);

    private final String mimeType;
    private final int bytesPerSample;

    Encoding(String mimeType, int bytesPerSample) {
      this.mimeType = mimeType;
      this.bytesPerSample = bytesPerSample;
    }

    /** The media type, as reported in a stream's {@code start.mediaFormat.encoding}. */
    public String mimeType() {
      return mimeType;
    }

    /** Bytes per sample. */
    public int bytesPerSample() {
      return bytesPerSample;
    }
  }

  /** Validates: 8, 16 or 24 kHz; µ-law only at 8 kHz. */
  public AudioFormat {
    if (encoding == null) {
      throw new IllegalArgumentException("audio format needs an encoding");
    }
    if (sampleRate != 8000 && sampleRate != 16000 && sampleRate != 24000) {
      throw new IllegalArgumentException(
          "unsupported sample rate " + sampleRate + " (8000, 16000 or 24000)");
    }
    if (encoding == Encoding.MULAW && sampleRate != 8000) {
      throw new IllegalArgumentException("µ-law is only supported at 8000 Hz, not " + sampleRate);
    }
  }

  /**
   * Reads a format name (see the class comment).
   *
   * @throws IllegalArgumentException naming the value for anything else
   */
  public static AudioFormat parse(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("empty audio format");
    }
    String text = name.replace(" ", "").toLowerCase(Locale.ROOT);
    String[] parts = text.split(";");
    String type = parts[0];
    Integer rate = null;
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      if (p.isEmpty()) {
        continue;
      }
      if (!p.startsWith("rate=")) {
        throw new IllegalArgumentException("unknown audio format parameter '" + p + "' in '" + name + "'");
      }
      try {
        rate = Integer.valueOf(p.substring("rate=".length()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad rate in audio format '" + name + "'", e);
      }
    }
    try {
      return switch (type) {
        case "audio/x-mulaw", "audio/pcmu", "mulaw", "ulaw", "pcmu", "g711_ulaw" ->
            new AudioFormat(Encoding.MULAW, rate == null ? 8000 : rate);
        case "audio/pcm", "pcm16" -> new AudioFormat(Encoding.PCM16_LE, rate == null ? 24000 : rate);
        case "pcm16-8k" -> withoutRate(PCM16_8K, rate, name);
        case "pcm16-16k" -> withoutRate(PCM16_16K, rate, name);
        case "pcm16-24k" -> withoutRate(PCM16_24K, rate, name);
        case "audio/l16" -> {
          if (rate == null) {
            throw new IllegalArgumentException("audio/l16 needs a rate, e.g. audio/l16;rate=16000");
          }
          yield new AudioFormat(Encoding.PCM16_BE, rate);
        }
        default -> throw new IllegalArgumentException("unknown audio format '" + name + "'");
      };
    } catch (IllegalArgumentException e) {
      if (e.getMessage().contains(name)) {
        throw e;
      }
      throw new IllegalArgumentException(e.getMessage() + " in audio format '" + name + "'", e);
    }
  }

  private static AudioFormat withoutRate(AudioFormat format, Integer rate, String name) {
    if (rate != null && rate != format.sampleRate) {
      throw new IllegalArgumentException("rate " + rate + " contradicts '" + name + "'");
    }
    return format;
  }

  /** Bytes per sample. */
  public int bytesPerSample() {
    return encoding.bytesPerSample();
  }

  /** Samples in a 20 ms frame. */
  public int frameSamples() {
    return sampleRate / (1000 / FRAME_MILLIS);
  }

  /** Bytes in a 20 ms frame. */
  public int frameBytes() {
    return frameSamples() * bytesPerSample();
  }

  /** Bytes per second. */
  public int bytesPerSecond() {
    return sampleRate * bytesPerSample();
  }

  /** The canonical name, e.g. {@code audio/pcm;rate=16000}; {@link #parse} reads it back. */
  @Override
  public String toString() {
    return encoding.mimeType() + ";rate=" + sampleRate;
  }
}
