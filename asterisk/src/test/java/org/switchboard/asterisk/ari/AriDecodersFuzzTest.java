package org.switchboard.asterisk.ari;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of ARI event decoding: the streaming decoder and the tree decoder read
 * every frame into the same event or both refuse it, and {@link AriJson#decode} answers an event
 * or throws {@link AriDecodeException}, nothing else. Seeds: one recorded Asterisk 22 event of
 * each type; regressions: {@code AriDecodersFuzzTestInputs/decodersAgree/}.
 */
class AriDecodersFuzzTest {

  private static final AriJson JSON = new AriJson();

  @FuzzTest(maxDuration = "5s")
  void decodersAgree(byte[] frame) {
    String json = new String(frame, StandardCharsets.UTF_8);
    AriEvent streamed = AriJson.STREAMING.decode(json);
    Object tree = outcome(() -> JSON.decodeTree(json));
    Object decoded = outcome(() -> JSON.decode(json));
    if (streamed != null) {
      assertEquals(tree, streamed, json);
      assertEquals(refusedOr(streamed), decoded, json);
    } else if (!(decoded instanceof Refused)) {
      assertEquals(tree, decoded, json);
    }
  }

  private static Object refusedOr(AriEvent event) {
    return AriEventChecks.missing(event) == null ? event : new Refused();
  }

  private static Object outcome(Decode decode) {
    try {
      return decode.run();
    } catch (AriDecodeException e) {
      return new Refused();
    }
  }

  /** Either decoder refused the frame with {@link AriDecodeException}. */
  private record Refused() {}

  @FunctionalInterface
  private interface Decode {
    AriEvent run();
  }
}
