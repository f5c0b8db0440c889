package org.switchboard.http.audio;

import java.io.ByteArrayInputStream;
import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.BitstreamException;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.DecoderException;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.SampleBuffer;

/** Decodes MPEG-1/2/2.5 Layer I/II/III audio (MP3) to mono PCM with JLayer. */
public final class Mp3Decoder {

  private Mp3Decoder() {}

  /** True when {@code data} starts with an ID3v2 tag or an MPEG audio frame sync. */
  public static boolean isMp3(byte[] data) {
    if (data.length >= 3 && data[0] == 'I' && data[1] == 'D' && data[2] == '3') {
      return true;
    }
    return data.length >= 2 && (data[0] & 0xFF) == 0xFF && (data[1] & 0xE0) == 0xE0;
  }

  /** Decodes a whole MP3 file, mixing stereo down to mono. */
  public static Pcm decode(byte[] data) throws AudioFormatException {
    Bitstream bitstream = new Bitstream(new ByteArrayInputStream(data));
    Decoder decoder = new Decoder();
    ShortSink out = new ShortSink();
    int rate = 0;
    try {
      for (Header header = bitstream.readFrame(); header != null; header = bitstream.readFrame()) {
        SampleBuffer frame = (SampleBuffer) decoder.decodeFrame(header, bitstream);
        rate = frame.getSampleFrequency();
        int channels = frame.getChannelCount();
        short[] samples = frame.getBuffer();
        int length = frame.getBufferLength();
        for (int i = 0; i + channels - 1 < length; i += channels) {
          int sum = 0;
          for (int ch = 0; ch < channels; ch++) {
            sum += samples[i + ch];
          }
          out.add((short) (sum / channels));
        }
        bitstream.closeFrame();
      }
    } catch (BitstreamException | DecoderException e) {
      if (out.size == 0) {
        throw new AudioFormatException("MP3 could not be decoded: " + e.getMessage(), e);
      }
      // A damaged tail: keep what was decoded, as players do.
    } catch (RuntimeException e) {
      throw new AudioFormatException("MP3 decoder failed on corrupt data: " + e, e);
    } finally {
      try {
        bitstream.close();
      } catch (BitstreamException ignored) {
        // in-memory stream: nothing to release
      }
    }
    if (out.size == 0 || rate <= 0) {
      throw new AudioFormatException("no MPEG audio frames found");
    }
    return new Pcm(rate, java.util.Arrays.copyOf(out.data, out.size));
  }

  /** A growable short array. */
  private static final class ShortSink {
    private short[] data = new short[8192];
    private int size;

    void add(short s) {
      if (size == data.length) {
        data = java.util.Arrays.copyOf(data, data.length * 2);
      }
      data[size++] = s;
    }
  }
}
