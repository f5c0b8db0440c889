package org.switchboard.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.switchboard.http.stream.codec.AudioFormat;
import org.switchboard.http.stream.codec.FormatConverter;

/**
 * The CPU one 20 ms frame costs in a media stream's {@link FormatConverter}, per direction:
 * Asterisk's format to the application's. {@code mulaw→mulaw} is the pass-through (a copy), the
 * others decode, resample with the polyphase filter and encode.
 */
public class StreamCodecBenchmark extends MicroBenchmark {

  @Param({
    "audio/x-mulaw;rate=8000>audio/x-mulaw;rate=8000",
    "audio/x-mulaw;rate=8000>audio/pcm;rate=8000",
    "audio/x-mulaw;rate=8000>audio/pcm;rate=16000",
    "audio/pcm;rate=16000>audio/x-mulaw;rate=8000",
    "audio/x-mulaw;rate=8000>audio/pcm;rate=24000",
    "audio/pcm;rate=24000>audio/x-mulaw;rate=8000",
    "audio/l16;rate=16000>audio/pcm;rate=24000",
    "audio/pcm;rate=24000>audio/l16;rate=16000"
  })
  public String conversion;

  private FormatConverter converter;
  private byte[] frame;

  @Setup
  public void setUp() {
    String[] formats = conversion.split(">");
    AudioFormat from = AudioFormat.parse(formats[0]);
    converter = new FormatConverter(from, AudioFormat.parse(formats[1]));
    short[] samples = new short[from.frameSamples()];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / from.sampleRate()));
    }
    frame = FormatConverter.encode(samples, from.encoding());
  }

  /** One 20 ms frame. */
  @Benchmark
  public byte[] convertFrame() {
    return converter.convert(frame);
  }
}
