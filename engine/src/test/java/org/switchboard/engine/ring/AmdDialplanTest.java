package org.switchboard.engine.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.switchboard.engine.twiml.verb.MachineDetection;
import org.switchboard.engine.twiml.verb.Method;

class AmdDialplanTest {

  @Test
  void twilioDefaultsBecomeAmdArguments() {
    assertEquals("amd-5000-2400-1200-30000-0-0",
        AmdDialplan.extension(MachineDetection.of(MachineDetection.Mode.ENABLE)));
  }

  @Test
  void detectMessageEndWaitsForSilenceUpToTheTimeout() {
    MachineDetection d = new MachineDetection(MachineDetection.Mode.DETECT_MESSAGE_END, 12, 3000,
        800, 4000, Optional.of(URI.create("http://app/amd")), Method.POST);
    assertEquals("amd-4000-3000-800-12000-1200-12", AmdDialplan.extension(d));
  }

  @ParameterizedTest(name = "{0} with {1} -> {2}")
  @CsvSource({
    "'amd,HUMAN,HUMAN-1200-1200', ENABLE, human",
    "'amd,MACHINE,MAXWORDS-4-3', ENABLE, machine_start",
    "'amd,MACHINE,LONGGREETING-2400-2400', ENABLE, machine_start",
    "'amd,MACHINE,INITIALSILENCE-5000-5000', ENABLE, unknown",
    "'amd,NOTSURE,TOOLONG-30000', ENABLE, unknown",
    "'amd,HANGUP,', ENABLE, unknown",
    "'amd,MACHINE,MAXWORDS-4-3,SILENCE', DETECT_MESSAGE_END, machine_end_silence",
    "'amd,MACHINE,MAXWORDS-4-3,TIMEOUT', DETECT_MESSAGE_END, machine_end_other",
    "'amd,HUMAN,HUMAN-1200-1200', DETECT_MESSAGE_END, human",
  })
  void stasisArgsBecomeAnsweredBy(String args, MachineDetection.Mode mode, String expected) {
    List<String> list = Arrays.asList(args.split(",", -1));
    assertEquals(Optional.of(expected), AmdDialplan.answeredBy(list, mode));
  }

  @Test
  void otherStasisArgsAreNoVerdict() {
    assertEquals(Optional.empty(),
        AmdDialplan.answeredBy(List.of("dial-leg", "CA1"), MachineDetection.Mode.ENABLE));
    assertEquals(Optional.empty(), AmdDialplan.answeredBy(List.of(), MachineDetection.Mode.ENABLE));
  }

  @Test
  void machinesAreTheMachineValuesAndFax() {
    assertTrue(AmdDialplan.isMachine("machine_start"));
    assertTrue(AmdDialplan.isMachine("machine_end_silence"));
    assertTrue(AmdDialplan.isMachine("fax"));
    assertFalse(AmdDialplan.isMachine("human"));
    assertFalse(AmdDialplan.isMachine("unknown"));
  }
}
