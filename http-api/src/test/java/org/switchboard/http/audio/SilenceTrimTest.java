package org.switchboard.http.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.SoundSpan;

/** Twilio's trim-silence: leading and trailing silence go, 200 ms kept around the sound. */
class SilenceTrimTest {

  /** {@code silentMs} of silence, {@code loudMs} of a 440 Hz tone, {@code tailMs} of silence. */
  private static Pcm audio(int silentMs, int loudMs, int tailMs, int rate) {
    int lead = silentMs * rate / 1000;
    int loud = loudMs * rate / 1000;
    short[] s = new short[lead + loud + tailMs * rate / 1000];
    for (int i = 0; i < loud; i++) {
      s[lead + i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / rate));
    }
    return new Pcm(rate, s);
  }

  @Test
  void leadingAndTrailingSilenceGoWithAMarginOnEachSide() {
    assertEquals(new SoundSpan(1300, 2700), SilenceTrim.span(audio(1500, 1000, 2000, 8000)));
    assertEquals(new SoundSpan(1300, 2700), SilenceTrim.span(audio(1500, 1000, 2000, 16000)));
  }

  @Test
  void soundAtTheEdgesKeepsTheEdges() {
    assertEquals(new SoundSpan(0, 1000), SilenceTrim.span(audio(0, 1000, 0, 8000)));
  }

  @Test
  void quietNoiseUnderAsterisksThresholdIsSilence() {
    short[] s = new short[8000];
    for (int i = 0; i < s.length; i++) {
      s[i] = (short) (i % 2 == 0 ? 200 : -200);
    }
    assertEquals(new SoundSpan(0, 0), SilenceTrim.span(new Pcm(8000, s)));
  }

  @Test
  void theCutFileHoldsTheSpanOnly() throws AudioFormatException {
    byte[] wav = WavCodec.encodeWav(audio(1500, 1000, 2000, 8000));
    Pcm cut = WavCodec.decodeWav(SilenceTrim.cut(wav, new SoundSpan(1300, 2700)));
    assertEquals(8000, cut.sampleRate());
    assertEquals(1.4, cut.durationSeconds(), 0.001);
    assertEquals(0, cut.samples()[0]);
    assertEquals(new SoundSpan(0, 1400), SilenceTrim.span(cut));
  }
}
