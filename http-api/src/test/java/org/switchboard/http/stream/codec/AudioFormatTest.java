package org.switchboard.http.stream.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AudioFormatTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "audio/x-mulaw;rate=8000|MULAW|8000",
        "audio/x-mulaw|MULAW|8000",
        "Audio/X-Mulaw; rate=8000|MULAW|8000",
        "g711_ulaw|MULAW|8000",
        "pcm16|PCM16_LE|24000",
        "pcm16;rate=16000|PCM16_LE|16000",
        "audio/pcm;rate=8000|PCM16_LE|8000",
        "pcm16-16k|PCM16_LE|16000",
        "audio/l16;rate=16000|PCM16_BE|16000"
      })
  void parsesTheDocumentedNames(String name, AudioFormat.Encoding encoding, int rate) {
    AudioFormat f = AudioFormat.parse(name);
    assertEquals(new AudioFormat(encoding, rate), f);
    assertEquals(f, AudioFormat.parse(f.toString()));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "audio/x-mulaw;rate=16000|only supported at 8000",
        "audio/pcm;rate=44100|unsupported sample rate 44100",
        "audio/l16|needs a rate",
        "opus|unknown audio format 'opus'",
        "pcm16;rate=abc|bad rate",
        "pcm16-8k;rate=16000|contradicts",
        "pcm16;bits=16|unknown audio format parameter"
      })
  void rejectsOthersWithTheReason(String name, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AudioFormat.parse(name));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void frameSizesOf20ms() {
    assertEquals(160, AudioFormat.MULAW_8K.frameBytes());
    assertEquals(320, AudioFormat.PCM16_8K.frameBytes());
    assertEquals(640, AudioFormat.PCM16_16K.frameBytes());
    assertEquals(960, AudioFormat.PCM16_24K.frameBytes());
    assertEquals("audio/pcm;rate=24000", AudioFormat.PCM16_24K.toString());
  }
}
