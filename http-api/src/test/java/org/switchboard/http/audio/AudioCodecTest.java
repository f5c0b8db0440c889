package org.switchboard.http.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** G.711, resampling, WAV parsing, cache policy, voice mapping and phrase files. */
class AudioCodecTest {

  @Test
  void g711RoundTripsWithinQuantisationError() {
    for (int s = -32768; s <= 32767; s += 7) {
      int ulaw = G711.ulawToLinear(G711.linearToUlaw(s));
      int alaw = G711.alawToLinear(G711.linearToAlaw(s));
      int tolerance = Math.max(16, Math.abs(s) / 16);
      assertTrue(Math.abs(ulaw - s) <= tolerance, "µ-law " + s + " -> " + ulaw);
      assertTrue(Math.abs(alaw - s) <= tolerance, "A-law " + s + " -> " + alaw);
    }
    assertEquals(0, G711.ulawToLinear(G711.ULAW_SILENCE));
    assertEquals((byte) 0xFF, G711.linearToUlaw(0));
  }

  @Test
  void resamplerKeepsInBandToneAndRemovesOutOfBandTone() {
    Pcm inBand = new Pcm(22050, AudioTestSupport.tone(22050, 1.0, 440)).resampledTo(8000);
    Pcm outOfBand = new Pcm(22050, AudioTestSupport.tone(22050, 1.0, 6000)).resampledTo(8000);

    assertEquals(8000, inBand.samples().length, 2);
    assertEquals(7071, inBand.rms(), 300);
    assertTrue(outOfBand.rms() < 300, "6 kHz must not alias into 8 kHz audio: " + outOfBand.rms());
  }

  @Test
  void wavEncodingsAreDecoded() throws Exception {
    short[] tone = AudioTestSupport.tone(8000, 0.5, 300);
    byte[] ulaw = G711.encodeUlaw(tone);
    byte[] alaw = new byte[tone.length];
    byte[] pcm8 = new byte[tone.length];
    ByteBuffer pcm24 = ByteBuffer.allocate(tone.length * 3).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer f32 = ByteBuffer.allocate(tone.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < tone.length; i++) {
      alaw[i] = G711.linearToAlaw(tone[i]);
      pcm8[i] = (byte) ((tone[i] >> 8) + 128);
      int v = tone[i] << 8;
      pcm24.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
      f32.putFloat(tone[i] / 32768f);
    }
    for (byte[] wav : List.of(wav(7, 8, ulaw), wav(6, 8, alaw), wav(1, 8, pcm8),
        wav(1, 24, pcm24.array()), wav(3, 32, f32.array()))) {
      Pcm pcm = AudioNormalizer.decode(wav, "audio/wav");
      assertEquals(8000, pcm.sampleRate());
      assertEquals(tone.length, pcm.samples().length);
      assertEquals(7071, pcm.rms(), 250);
    }
    assertEquals(7071, AudioNormalizer.decode(ulaw, "audio/basic").rms(), 250);
  }

  @Test
  void garbageIsRejectedWithAClearMessage() {
    AudioFormatException e = assertThrows(AudioFormatException.class,
        () -> AudioNormalizer.decode("<html>oops</html>".getBytes(), "text/html"));
    assertTrue(e.getMessage().contains("unrecognised audio"), e.getMessage());
    assertThrows(AudioFormatException.class, () -> AudioNormalizer.decode(new byte[0], null));
    assertThrows(AudioFormatException.class, () -> Mp3Decoder.decode(new byte[] {(byte) 0xFF, (byte) 0xFB, 1, 2, 3}));
  }

  @Test
  void cachePolicyFollowsCacheControlThenExpires() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    Duration fallback = Duration.ofMinutes(5);
    assertEquals(now.plusSeconds(60), CachePolicy.of(Optional.of("public, max-age=60"), Optional.empty(), now, fallback).freshUntil());
    assertTrue(CachePolicy.of(Optional.of("no-store"), Optional.empty(), now, fallback).noStore());
    assertTrue(!CachePolicy.of(Optional.of("no-cache"), Optional.empty(), now, fallback).isFresh(now));
    assertEquals(Instant.parse("2026-01-02T00:00:00Z"), CachePolicy.of(Optional.empty(),
        Optional.of("Fri, 02 Jan 2026 00:00:00 GMT"), now, fallback).freshUntil());
    assertEquals(now.plus(fallback), CachePolicy.of(Optional.empty(), Optional.empty(), now, fallback).freshUntil());
  }

  @Test
  void voicesMapToEspeakWithFamilyThenEnglishFallback() {
    assertEquals("en-us", VoiceMap.resolve(null, null).argument());
    assertEquals("es-419+f3", VoiceMap.resolve("woman", "es-MX").argument());
    assertEquals("fr-fr", VoiceMap.resolve("man", "fr-CA").argument());
    assertEquals("cmn", VoiceMap.resolve("alice", "zh-CN").language());
    assertEquals("en-us", VoiceMap.resolve("man", "fil-PH").argument());
    assertEquals("en-us", VoiceMap.resolve("man", "tl").argument());
    assertEquals("ht", VoiceMap.resolve("man", "ht").argument());
    assertEquals("es+f3", VoiceMap.resolve("Polly.Lucia", null).argument());
    assertEquals("pt-br", VoiceMap.resolve("Polly.Ricardo-Neural", "pt-BR").argument());
    assertEquals("de+f3", VoiceMap.resolve("Google.de-DE-Standard-C", null).argument());
    assertEquals("en-gb", VoiceMap.resolve("Google.en-GB-Neural2-B", "").argument());
  }

  @Test
  void phraseFileLinesExpandPerLanguage() throws Exception {
    List<Prerender.Job> jobs = Prerender.jobs(
        List.of("Hello", "# skip", "", "es-MX|Hola", "a|b is not a language prefix"),
        List.of("en-US", "fr-FR"));
    assertEquals(List.of(new Prerender.Job("en-US", "Hello"), new Prerender.Job("fr-FR", "Hello"),
        new Prerender.Job("es-MX", "Hola"),
        new Prerender.Job("en-US", "a|b is not a language prefix"),
        new Prerender.Job("fr-FR", "a|b is not a language prefix")), jobs);
  }

  private static byte[] wav(int format, int bits, byte[] data) {
    int blockAlign = bits / 8;
    ByteBuffer b = ByteBuffer.allocate(44 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + data.length).put("WAVEfmt ".getBytes()).putInt(16);
    b.putShort((short) format).putShort((short) 1).putInt(8000).putInt(8000 * blockAlign);
    b.putShort((short) blockAlign).putShort((short) bits).put("data".getBytes()).putInt(data.length);
    b.put(data);
    return b.array();
  }
}
