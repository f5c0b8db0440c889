package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.client.AriServerConfig;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.Main;
import org.switchboard.http.SwitchboardNode;
import org.switchboard.http.config.SwitchboardSettings;
import org.switchboard.http.e2e.TestTwimlApp.Response;
import org.switchboard.http.realasterisk.RealAsterisk;

/**
 * {@code <Dial record="record-from-answer">} on a real Asterisk 22 whose callee hangs up: the
 * recording status callback arrives with a duration and the Dial action carries
 * RecordingDuration, for every one of a batch of calls placed together. Before the bridge
 * outlived its recording, Asterisk emitted the recording's single {@code RecordingFinished} after
 * the bridge (and the app's subscription to it) was gone, in some of the calls.
 */
@Tag(RealAsterisk.TAG)
class DialRecordRealAsteriskTest {
  private static final String SERVER = "ast";
  private static final String AUTH_TOKEN = "real-asterisk-token-0123456789ab";
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final int CALLS = 12;

  private static RealAsterisk asterisk;
  private static TestTwimlApp app;
  private static SwitchboardNode node;

  @BeforeAll
  static void start() throws Exception {
    asterisk = RealAsterisk.shared();
    app = new TestTwimlApp(AUTH_TOKEN);
    app.on("/voice", r -> Response.twiml("<Dial record=\"record-from-answer\" action=\"/dial-done\""
        + " recordingStatusCallback=\"/recording\"><Number>+15550004444</Number></Dial>"));
    app.on("/dial-done", r -> Response.twiml("<Hangup/>"));
    Path dir = Files.createTempDirectory("switchboard-real-ast");
    Config config = ConfigFactory.parseMap(Map.of(
            "switchboard.auth-token", AUTH_TOKEN,
            "switchboard.dial.number-template", "Local/{number}@sbtest-dial-record",
            "switchboard.webhooks.outbox.dir", dir.resolve("outbox").toString(),
            "switchboard.webhooks.outbox.initial-backoff", "100ms",
            "switchboard.audio.cache-dir", dir.resolve("audio").toString()))
        .withFallback(ConfigFactory.load());
    VoiceApplication voice = new VoiceApplication(app.url("/voice"), Method.POST, Optional.empty(),
        Method.POST, Optional.of(app.url("/status")), Method.POST, Set.of("completed"));
    SwitchboardSettings settings = SwitchboardSettings.fromConfig(config)
        .withHttpPort(Main.freePort("127.0.0.1"))
        .withAsterisk(List.of(AriServerConfig.basic(SERVER, asterisk.ariUrl(), RealAsterisk.APP,
            asterisk.user(), asterisk.password())), voice);
    node = SwitchboardNode.start(config, settings, voice, List.of(), Clock.systemUTC());
    // Calls are placed once the event socket has stayed up for a while: a socket that drops
    // while a call enters Stasis loses its StasisStart (a different matter than the recordings).
    long[] upSince = {Long.MAX_VALUE};
    awaitTrue(() -> {
      LinkStatus s = node.ari().links().get(SERVER);
      long now = System.nanoTime();
      upSince[0] = s != null && s.connected() ? Math.min(upSince[0], now) : Long.MAX_VALUE;
      return now - upSince[0] > Duration.ofSeconds(3).toNanos();
    }, "ARI link up for 3 s");
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void everyRecordedDialSendsItsRecordingCallbackWithADuration() throws Exception {
    String run = Long.toHexString(System.nanoTime() & 0xffffff);
    List<String> sids = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      // The ;2 half enters Stasis as the inbound call; the ;1 half (the caller) stays on the line.
      String in = asterisk.inboundCall("rt" + run + "n" + i, "+1555777" + (1000 + i),
          "+15551230000", "answer");
      sids.add(CallSid.forChannel(new ChannelRef(SERVER, in)));
    }
    for (String sid : sids) {
      app.await("/voice", sid, WAIT);
    }
    List<String> problems = new ArrayList<>();
    for (String sid : sids) {
      TestTwimlApp.Request done = app.await("/dial-done", sid, WAIT);
      TestTwimlApp.Request rec = app.await(r -> r.path().equals("/recording")
          && sid.equals(r.param("CallSid")) && "completed".equals(r.param("RecordingStatus")),
          "recording callback of " + sid, WAIT);
      if (done.param("RecordingDuration") == null || done.param("RecordingDuration").isEmpty()) {
        problems.add(sid + ": Dial action without RecordingDuration " + done.params());
      }
      if (rec.param("RecordingDuration") == null || rec.param("RecordingDuration").isEmpty()) {
        problems.add(sid + ": recording callback without RecordingDuration " + rec.params());
      }
      assertEquals("completed", done.param("DialCallStatus"), done.params().toString());
      assertTrue(Integer.parseInt(rec.param("RecordingDuration")) >= 1, rec.params().toString());
    }
    assertEquals(List.of(), problems);
    awaitTrue(() -> {
      try {
        return asterisk.channelIds().isEmpty() && asterisk.bridgeIds().isEmpty();
      } catch (Exception e) {
        return false;
      }
    }, "no channel or bridge left on Asterisk");
    assertFalse(app.requests().isEmpty());
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      synchronized (DialRecordRealAsteriskTest.class) {
        DialRecordRealAsteriskTest.class.wait(50);
      }
    }
  }
}
