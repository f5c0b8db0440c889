package org.switchboard.http.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the Media Streams messages an application sends: any text frame is
 * a message or an {@link IllegalArgumentException} (which the session logs and skips), and audio
 * survives its own encoding. Seeds and regressions: {@code StreamMessagesFuzzTestInputs/parse/}.
 */
class StreamMessagesFuzzTest {

  @FuzzTest(maxDuration = "5s")
  void parse(byte[] frame) {
    try {
      assertNotNull(StreamMessages.parse(new String(frame, StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException refused) {
      assertNotNull(refused.getMessage());
    }
    String media = StreamMessages.render(StreamMessages.media("MZ1", "outbound", 1, 20, frame), 1);
    StreamMessages.AppMessage back = StreamMessages.parse(media);
    assertArrayEquals(frame, ((StreamMessages.Media) back).ulaw());
  }
}
