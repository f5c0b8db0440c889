package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.switchboard.http.e2e.E2eHarness.Caller;
import org.switchboard.http.realasterisk.RealAsterisk;
import org.switchboard.http.stream.AudioProbe;
import org.switchboard.http.stream.FakeRealtimeServer;

/**
 * {@link RealtimeAgentEndToEndTest} on a real Asterisk 22: the caller ({@code [sbtest-agent]}) says
 * an espeak-ng sentence and records what it hears with MixMonitor; the agent hears the sentence
 * (compared by energy envelope at 24 kHz), the caller's recording holds the agent's spoken reply
 * (envelope again) and as much of the interrupted tone as the truncate says (less the frames still
 * in Asterisk's bridge at the hangup).
 */
@Tag(RealAsterisk.TAG)
class RealtimeAgentOnAsteriskTest extends RealtimeAgentEndToEndTest {
  private static final String CALLER_SAYS = "Hello, I would like to know where my order is.";
  private static final String AGENT_SAYS = "Your order left our warehouse this morning.";
  private static final String FROM = "+15557770301";

  private short[] callerSpeech;
  private short[] agentSpeech;

  @Override
  E2eHarness newHarness() throws Exception {
    // An Asterisk of its own: the sentence is heard through ExternalMedia RTP ports and a Stasis
    // registration that nothing earlier in the JVM may have touched.
    E2eHarness harness = E2eHarness.onOwnRealAsterisk(nodeSettings());
    try {
      Path sounds = harness.asterisk.dir().resolve("var/lib/asterisk/sounds/en/sbrt");
      Files.createDirectories(sounds);
      callerSpeech = speak(CALLER_SAYS, 8000, sounds.resolve("caller.wav"));
      agentSpeech = speak(AGENT_SAYS, RATE, sounds.resolve("agent.wav"));
      return harness;
    } catch (Exception | Error e) {
      harness.close();
      throw e;
    }
  }

  /** Settings added to the node's configuration. */
  Map<String, String> nodeSettings() {
    return Map.of();
  }

  @Override
  Caller caller() {
    return new Caller("caller@sbtest-agent", Optional.empty());
  }

  @Override
  short[] firstReply() {
    return agentSpeech;
  }

  @Override
  void callerSpeaksAndAgentHears(String channel, FakeRealtimeServer.Connection conn) {
    long needed = 2L * RATE * callerSpeech.length / 8000;
    try {
      h.awaitTrue(() -> conn.appended().length >= 2 * needed, "the sentence heard twice");
    } catch (AssertionError e) {
      throw new AssertionError("the agent got " + conn.appended().length + " bytes of "
          + 2 * needed + "; the application saw " + requests() + "; Asterisk logged "
          + asteriskWarnings(), e);
    }
    short[] heard = AudioProbe.pcm(conn.appended(), false);
    double correlation = AudioProbe.envelopeCorrelation(
        AudioProbe.resample(callerSpeech, 8000, RATE), heard, RATE, heard.length / 240);
    System.out.printf("caller's speech at the agent: envelope correlation %.3f%n", correlation);
    assertTrue(correlation > 0.8, "the agent heard the sentence: " + correlation);
  }

  /**
   * Before the hangup, waits until the caller's recording holds what was sent of the cut reply, or
   * has gone on for a second past the cut: on a loaded machine Asterisk's bridge and MixMonitor
   * lag the media socket by up to a second, and a hangup before they catch up drops the tail of
   * what the caller was hearing (seen: 420 ms). MixMonitor buffers the file's last part until the
   * hangup, so neither may happen; then {@link #checkRecording} judges what was recorded.
   */
  @Override
  void awaitCutReplyHeard(long played) {
    int atCut = recorded().length;
    try {
      h.awaitTrue(() -> {
        short[] heard = recorded();
        return toneMs(heard, 8000, 2000) >= played - 60 || heard.length >= atCut + 8000;
      }, "the cut reply recorded, or a second past it");
    } catch (AssertionError e) {
      System.out.println("the caller's recording did not catch up before the hangup: " + e);
    }
  }

  @Override
  short[] callerHeard() {
    return recorded();
  }

  @Override
  void checkRecording(String channel, long secondReplyMs) {
    short[] heard = recorded();
    double correlation = AudioProbe.envelopeCorrelation(
        AudioProbe.resample(agentSpeech, RATE, 8000), heard, 8000, heard.length / 80);
    long toneMs = toneMs(heard, 8000, 2000);
    System.out.printf("at the caller: reply envelope correlation %.3f, tone %d ms, truncate %d ms%n",
        correlation, toneMs, secondReplyMs);
    assertTrue(correlation > 0.8, "the caller heard the agent's sentence: " + correlation);
    // Never more than the truncate says (nothing plays after the cut); up to 150 ms less: the
    // frames still in Asterisk's bridge when the hangup tool ends the call right after the cut
    // never reach MixMonitor's file (seen: 60 and 70 ms short).
    assertTrue(toneMs <= secondReplyMs + 60,
        "the caller heard " + toneMs + " ms of the cut reply, more than the truncate's "
            + secondReplyMs + " ms");
    assertTrue(toneMs >= secondReplyMs - 150,
        "the caller heard only " + toneMs + " ms of the cut reply, the truncate says "
            + secondReplyMs + " ms");
  }

  /** What the application was asked, with the parameters that say how a stream ended. */
  private List<String> requests() {
    List<String> out = new ArrayList<>();
    for (TestTwimlApp.Request r : h.app.requests()) {
      out.add(r.method() + " " + r.path() + " " + r.params().entrySet().stream()
          .filter(e -> e.getKey().startsWith("Stream") || e.getKey().equals("CallStatus"))
          .toList());
    }
    return out;
  }

  /** The last warnings and errors of the Asterisk's log (why a channel or a stream failed). */
  private List<String> asteriskWarnings() {
    Path log = h.asterisk.dir().resolve("var/log/asterisk/messages.log");
    try (Stream<String> lines = Files.lines(log)) {
      List<String> bad = lines.filter(l -> l.contains("WARNING") || l.contains("ERROR")).toList();
      return bad.subList(Math.max(0, bad.size() - 15), bad.size());
    } catch (IOException | UncheckedIOException e) {
      return List.of("(no log: " + e + ")");
    }
  }

  /** The caller's recording so far (the WAV header skipped). */
  private short[] recorded() {
    Optional<Path> file = recording();
    if (file.isEmpty()) {
      return new short[0];
    }
    try {
      byte[] wav = Files.readAllBytes(file.get());
      return AudioProbe.pcm(Arrays.copyOfRange(wav, Math.min(44, wav.length), wav.length), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Optional<Path> recording() {
    try (Stream<Path> files = Files.walk(h.asterisk.dir().resolve("var/spool/asterisk"))) {
      return files.filter(p -> p.getFileName().toString().equals("agent-heard-" + FROM + ".wav"))
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** espeak-ng says {@code text}; written as a WAV at {@code rate}, returned as samples. */
  private static short[] speak(String text, int rate, Path wav) throws Exception {
    Path raw = Files.createTempFile("espeak", ".wav");
    run("espeak-ng", "-w", raw.toString(), text);
    run("sox", raw.toString(), "-r", Integer.toString(rate), "-c", "1", "-b", "16",
        wav.toString());
    byte[] bytes = Files.readAllBytes(wav);
    return AudioProbe.pcm(Arrays.copyOfRange(bytes, 44, bytes.length), false);
  }

  private static void run(String... cmd) throws Exception {
    Assumptions.assumeTrue(Stream.of("/usr/bin/", "/usr/local/bin/")
        .anyMatch(d -> Files.isExecutable(Path.of(d, cmd[0]))), cmd[0] + " is needed");
    Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, cmd[0] + ": " + out);
  }
}
