package org.switchboard.http.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TtsCheckTest {
  @TempDir Path dir;

  @Test
  void aMissingExecutableIsNamedInOneLine() {
    Optional<String> problem = TtsCheck.espeakProblem("/nonexistent/espeak-ng");
    assertTrue(problem.isPresent());
    assertTrue(problem.get().startsWith("the TTS engine '/nonexistent/espeak-ng' cannot run ("),
        problem.get());
    assertEquals(1, problem.get().lines().count());
  }

  @Test
  void anExecutableThatFailsIsAProblemAndOneThatAnswersIsNot() {
    assertEquals(Optional.of("the TTS engine 'false' cannot run (exited with 1)"),
        TtsCheck.espeakProblem("false"));
    assertEquals(Optional.empty(), TtsCheck.espeakProblem("true"));
  }

  @Test
  void requiredRefusesToStartAndOptionalOnlyWarns() {
    AudioSettings missing = withExecutable("/nonexistent/espeak-ng");
    IllegalStateException refused =
        assertThrows(IllegalStateException.class, () -> TtsCheck.atStart(missing, true));
    assertTrue(refused.getMessage().contains("switchboard.audio.tts.required-at-start = false"),
        refused.getMessage());
    TtsCheck.atStart(missing, false);
    TtsCheck.atStart(withExecutable("true"), true);
  }

  private AudioSettings withExecutable(String executable) {
    return AudioTestSupport.withEspeak(AudioTestSupport.settings(dir), executable);
  }
}
