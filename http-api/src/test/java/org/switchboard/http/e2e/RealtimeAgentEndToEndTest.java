package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.switchboard.http.e2e.E2eHarness.Caller;
import org.switchboard.http.e2e.TestTwimlApp.Response;
import org.switchboard.http.audio.G711;
import org.switchboard.http.stream.AudioProbe;
import org.switchboard.http.stream.FakeRealtimeServer;

/**
 * A call {@code <Connect>}s to a Realtime agent through a running node (real ticks): the caller's
 * audio reaches the fake agent as 24 kHz pcm16, the agent's reply reaches the caller, a caller
 * speaking over the second reply stops it and the truncate carries what was heard, and the
 * agent's {@code hangup} tool ends the call. {@link RealtimeAgentOnAsteriskTest} runs it on a real
 * Asterisk with espeak-ng speech and compares what the caller recorded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealtimeAgentEndToEndTest {
  static final int RATE = 24000;
  /**
   * The second reply: a 6 s 600 Hz tone, easy to find in a recording (long, as Asterisk writes the
   * caller's recording a second or two behind).
   */
  static final double TONE_HZ = 600;

  E2eHarness h;
  FakeRealtimeServer agent;

  /** The harness the test runs on; the simulator here. */
  E2eHarness newHarness() throws Exception {
    return new E2eHarness();
  }

  /** What the caller does: on the simulator nothing, the test makes it speak. */
  Caller caller() {
    return Caller.SILENT;
  }

  /** The agent's first reply, 24 kHz pcm16: a 1 kHz tone here. */
  short[] firstReply() {
    return AudioProbe.tone(1000, RATE, RATE, 8000);
  }

  /** Makes the caller speak once bridged and checks what the agent heard (24 kHz samples). */
  void callerSpeaksAndAgentHears(String channel, FakeRealtimeServer.Connection conn) {
    h.awaitBridged(channel);
    h.awaitTrue(() -> {
      h.sim.speak(channel, Duration.ofMillis(100));
      return conn.appended().length >= 2 * RATE / 2;
    }, "half a second heard by the agent");
    short[] heard = AudioProbe.pcm(conn.appended(), false);
    double at440 = AudioProbe.toneAmplitude(heard, 440, RATE);
    assertTrue(at440 > 6000 * 0.5, "the caller's 440 Hz tone at 24 kHz: " + at440);
  }

  /** What the caller has heard so far, 8 kHz samples. */
  short[] callerHeard() {
    byte[] ulaw = h.sim.rtp(emChannel()).received();
    return G711.decodeUlaw(ulaw, 0, ulaw.length);
  }

  /** Checks what the caller heard after the call, given the truncated length of reply two. */
  void checkRecording(String channel, long secondReplyMs) {
    byte[] ulaw = h.sim.rtp(emChannel()).received();
    short[] heard = G711.decodeUlaw(ulaw, 0, ulaw.length);
    assertTrue(AudioProbe.toneAmplitude(Arrays.copyOfRange(heard, 0, 8000), 1000, 8000) > 4000,
        "the first reply reached the caller");
    assertEquals(secondReplyMs, toneMs(heard, 8000, 2000), 40,
        "the second reply played for as long as the truncate says");
  }

  private String em;

  /** The ExternalMedia channel of the call (the simulator keeps its RTP after hangup). */
  private String emChannel() {
    if (em == null) {
      em = h.sim.channels().stream().map(c -> c.id()).filter(id -> id.contains("-em-"))
          .findFirst().orElseThrow();
    }
    return em;
  }

  @BeforeAll
  void start() throws Exception {
    h = newHarness();
    agent = new FakeRealtimeServer(h.node.system());
    h.app.on("/voice", r -> Response.twiml(
        "<Connect action=\"/agent-done\"><Stream url=\"" + agent.url().replace("&", "&amp;")
            + "\" protocol=\"openai-realtime\"><Parameter name=\"voice\" value=\"alloy\"/>"
            + "</Stream></Connect>"));
    h.app.on("/agent-done", r -> Response.twiml("<Hangup/>"));
  }

  @AfterAll
  void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (h != null) {
      h.close();
    }
  }

  @Test
  void callerAndAgentHearEachOtherBargeInCutsTheReplyAndHangupEndsTheCall() throws Exception {
    String channel = h.call("+15557770301", "+15550005001", caller());
    FakeRealtimeServer.Connection conn = agent.accept();
    JsonNode session = conn.next("session.update").path("session");
    assertEquals("pcm16", session.path("input_audio_format").asText());
    assertEquals("alloy", session.path("voice").asText());
    callerSpeaksAndAgentHears(channel, conn);

    // Reply one, then reply two (a long tone) queued behind it; the caller speaks over reply two.
    short[] one = firstReply();
    conn.speechStopped("item_in_1", 1000);
    sendReply(conn, "resp_1", "item_out_1", one);
    sendReply(conn, "resp_2", "item_out_2", AudioProbe.tone(TONE_HZ, RATE, 6 * RATE, 8000));
    h.awaitTrue(() -> toneMs(callerHeard(), 8000, 2000) >= 500, "half a second of reply two");
    long t0 = System.nanoTime();
    conn.speechStarted("item_in_2", 3000);
    JsonNode truncate = conn.next("conversation.item.truncate");
    long stopMs = (System.nanoTime() - t0) / 1_000_000;
    assertEquals("item_out_2", truncate.path("item_id").asText());
    long played = truncate.path("audio_end_ms").asLong();
    assertTrue(played >= 500 && played < 5500, "reply two cut after " + played + " ms");
    System.out.printf("barge-in: speech_started -> truncate at the agent %d ms, %d ms heard%n",
        stopMs, played);

    // What was sent before the cut reaches the caller before the hangup.
    awaitCutReplyHeard(played);
    conn.functionCall("call_bye", "hangup", "{}");
    h.awaitClean();
    checkRecording(channel, played);
  }

  /** Waits until the caller heard what was sent of the cut reply before the hangup. */
  void awaitCutReplyHeard(long played) {
    h.awaitTrue(() -> toneMs(callerHeard(), 8000, 2000) >= played - 60, "the cut reply heard");
  }

  private static void sendReply(FakeRealtimeServer.Connection conn, String response, String item,
      short[] audio) {
    for (int from = 0; from < audio.length; from += RATE / 10) {
      short[] part = Arrays.copyOfRange(audio, from, Math.min(audio.length, from + RATE / 10));
      conn.audioDelta(response, item, AudioProbe.bytes(part, false), from % 2 == 0);
    }
  }

  /**
   * The longest run, in milliseconds (10 ms windows), in which the {@value #TONE_HZ} Hz tone is
   * present with at least {@code minAmplitude}.
   */
  static long toneMs(short[] samples, int rate, double minAmplitude) {
    int window = rate / 100;
    long run = 0;
    long longest = 0;
    for (int at = 0; at + window <= samples.length; at += window) {
      double a = AudioProbe.toneAmplitude(Arrays.copyOfRange(samples, at, at + window), TONE_HZ,
          rate);
      run = a > minAmplitude ? run + 10 : 0;
      longest = Math.max(longest, run);
    }
    return longest;
  }
}
