package org.switchboard.http.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A dual-channel recording as one file: two mono recordings (one per party, as Asterisk wrote them)
 * interleaved into a 16-bit stereo WAV, the first on the left channel. The second is resampled to
 * the first's rate when they differ; the shorter is padded with silence, so both channels keep
 * their place in time from the recording's start.
 */
public final class StereoWav {
  private StereoWav() {}

  /** The stereo WAV of {@code left} and {@code right} (WAV files of any format WavCodec reads). */
  public static byte[] merge(byte[] left, byte[] right) throws AudioFormatException {
    Pcm first = WavCodec.decodeWav(left);
    Pcm second = WavCodec.decodeWav(right).resampledTo(first.sampleRate());
    int frames = Math.max(first.samples().length, second.samples().length);
    int dataBytes = frames * 4;
    int rate = first.sampleRate();
    ByteBuffer buf = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    buf.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(36 + dataBytes);
    buf.put(new byte[] {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '}).putInt(16);
    buf.putShort((short) 1).putShort((short) 2).putInt(rate);
    buf.putInt(rate * 4).putShort((short) 4).putShort((short) 16);
    buf.put(new byte[] {'d', 'a', 't', 'a'}).putInt(dataBytes);
    for (int i = 0; i < frames; i++) {
      buf.putShort(i < first.samples().length ? first.samples()[i] : 0);
      buf.putShort(i < second.samples().length ? second.samples()[i] : 0);
    }
    return buf.array();
  }
}
