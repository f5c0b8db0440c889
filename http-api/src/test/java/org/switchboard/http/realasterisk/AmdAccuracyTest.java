package org.switchboard.http.realasterisk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.ring.AmdDialplan;
import org.switchboard.engine.twiml.verb.MachineDetection;

/**
 * How well Asterisk's {@code AMD()}, as Switchboard runs it ({@code [switchboard-amd]}, Twilio's
 * default thresholds), tells voicemail greetings from people: every sample of {@link AmdSamples}
 * is the far end of an originated leg that continues into the detection dialplan; the verdict
 * comes back as Stasis args. The table goes to {@code target/amd-accuracy.md} (docs/amd.md
 * quotes it). It must stay at least as good as measured when the dialplan was written: at most
 * one mistake on each side.
 */
@Tag(RealAsterisk.TAG)
class AmdAccuracyTest {

  @Test
  void amdTellsMachinesFromPeopleOnTheSamples() throws IOException {
    RealAsterisk asterisk = RealAsterisk.shared();
    AmdSamples.install(asterisk);
    String extension = AmdDialplan.extension(MachineDetection.of(MachineDetection.Mode.ENABLE));
    List<AmdSamples.Sample> samples = AmdSamples.all();
    Map<String, String> verdicts = new LinkedHashMap<>();
    try (AriSession s = new AriSession(asterisk.ariUrl(), asterisk.user(), asterisk.password(),
        RealAsterisk.APP)) {
      // In batches of six: each leg is a Local pair playing a file, cheap for Asterisk.
      for (int from = 0; from < samples.size(); from += 6) {
        List<AmdSamples.Sample> batch = samples.subList(from, Math.min(samples.size(), from + 6));
        for (AmdSamples.Sample sample : batch) {
          s.rest("POST", "/channels", Map.of("endpoint", "Local/" + sample.name() + "@sbtest-amd",
              "app", RealAsterisk.APP, "appArgs", "dial-leg,x", "channelId", "amd-" + sample.name(),
              "otherChannelId", "amd-" + sample.name() + "-far", "timeout", "20"));
        }
        for (AmdSamples.Sample sample : batch) {
          s.await("StasisStart", "amd-" + sample.name());
          s.rest("POST", "/channels/amd-" + sample.name() + "/continue", Map.of("context",
              AmdDialplan.CONTEXT, "extension", extension, "priority", "1"));
        }
        for (AmdSamples.Sample sample : batch) {
          JsonNode back = s.await(e -> e.path("type").asText().equals("StasisStart")
              && AriSession.idOf(e).equals("amd-" + sample.name())
              && e.path("args").path(0).asText().equals("amd"), "the verdict on " + sample.name());
          List<String> args = new ArrayList<>();
          back.path("args").forEach(a -> args.add(a.asText()));
          verdicts.put(sample.name(), String.join(",", args.subList(1, args.size())));
          s.rest("DELETE", "/channels/amd-" + sample.name(), Map.of());
        }
      }
    }
    StringBuilder table = new StringBuilder(
        "| sample | truth | text | AMDSTATUS,AMDCAUSE | AnsweredBy | right |\n|---|---|---|---|---|---|\n");
    int machinesRight = 0;
    int humansRight = 0;
    int machines = 0;
    for (AmdSamples.Sample sample : samples) {
      String verdict = verdicts.get(sample.name());
      List<String> args = new ArrayList<>(List.of("amd"));
      args.addAll(List.of(verdict.split(",", -1)));
      String answeredBy = AmdDialplan.answeredBy(args, MachineDetection.Mode.ENABLE).orElseThrow();
      boolean right = sample.machine() == AmdDialplan.isMachine(answeredBy);
      machines += sample.machine() ? 1 : 0;
      machinesRight += sample.machine() && right ? 1 : 0;
      humansRight += !sample.machine() && right ? 1 : 0;
      table.append("| ").append(sample.name()).append(" | ")
          .append(sample.machine() ? "machine" : "human").append(" | ")
          .append(sample.text()).append(sample.beep() ? " (beep)" : "").append(" | ")
          .append(verdict).append(" | ").append(answeredBy).append(" | ")
          .append(right ? "yes" : "**no**").append(" |\n");
    }
    int humans = samples.size() - machines;
    table.append("\nmachines detected: ").append(machinesRight).append("/").append(machines)
        .append("; people passed as human: ").append(humansRight).append("/").append(humans)
        .append("\n");
    Path out = Path.of("target", "amd-accuracy.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table.toString());
    System.err.println("AmdAccuracyTest:\n" + table);
    assertTrue(machines >= 10 && humans >= 10, "at least ten samples of each");
    assertTrue(machinesRight >= machines - 1, "machines detected: " + machinesRight + "/" + machines
        + "\n" + table);
    assertTrue(humansRight >= humans - 1, "people passed: " + humansRight + "/" + humans + "\n"
        + table);
  }
}
