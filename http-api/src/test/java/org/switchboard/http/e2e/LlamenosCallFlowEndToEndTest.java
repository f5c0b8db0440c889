package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.asterisk.sim.SimConfig;
import org.switchboard.http.Main;
import org.switchboard.http.SwitchboardNode;
import org.switchboard.http.config.SwitchboardConfig;
import org.switchboard.http.config.SwitchboardSettings;
import org.switchboard.http.e2e.LlamenosHotline.Volunteer;
import org.switchboard.http.e2e.LlamenosWorker.Request;
import org.switchboard.http.e2e.LlamenosWorker.Scheme;
import org.switchboard.http.testing.SteppedClock;

/**
 * A Llamenos hotline end to end, as an operator replacing the bridge runs it: Switchboard started
 * from the seed README's {@code .env} verbatim (only ports, and on a real Asterisk its ARI user and
 * Stasis app, differ), and the Worker's Twilio-adapter application ({@link LlamenosHotline}, written
 * from the protocol document) on a real HTTP server, every webhook checked by the Worker's own
 * validators for the signature mode under test ({@link Scheme}: Twilio only, llamenos-hotline,
 * llamenos-platform; a webhook that fails them is answered 403 and the call goes wrong).
 *
 * <p>A call goes through the language menu (digit 2), the CAPTCHA (the four digits it speaks) and
 * into its own queue; the Worker rings the volunteers through {@code POST /ring} with the bridge's
 * payload ({@code parentCallSid}, {@code callerNumber}, {@code volunteers:[{pubkey, phone,
 * browserIdentity}]}, {@code callbackUrl}, {@code hubId}), signed as its bridge client signs in
 * that lineage. In {@link #aVolunteerAnswersIsBridgedAndRecorded} one volunteer's phone answers:
 * {@code volunteer-answer} gets {@code <Dial record><Queue>}, the caller is bridged, the other legs
 * report {@code canceled} to {@code call-status} (never {@code completed}, which would end the
 * call), and the bridge recording reaches {@code call-recording}. In {@link
 * #nobodyAnswersSoTheWaitLoopLeavesForVoicemail} nobody answers: the wait loop's {@code QueueTime}
 * reaches 90 s, the Worker answers {@code <Leave/>}, {@code queue-exit} gets {@code
 * QueueResult=leave} and answers the voicemail {@code <Record>}, whose {@code action} and {@code
 * recordingStatusCallback} ({@code voicemail-recording}) follow.
 *
 * <p>No real 90 s pass: {@code QueueTime} is computed from the node's clock, a {@link SteppedClock}
 * that follows system time and that the test moves 91 s ahead once the first wait request (with
 * {@code QueueTime} below 90) has been answered. The Worker's own rule ({@code QueueTime >= 90} →
 * {@code <Leave/>}, the real comparison with the Worker's default timeout) then decides on the next
 * wait request, and the test checks that the {@code <Leave/>} followed a request whose {@code
 * QueueTime} was at least 90 and that every earlier one was below it. Only the time source is
 * stepped; the wait loop, its re-fetch and the exit run as in production.
 *
 * <p>{@link LlamenosCallFlowOnAsteriskTest} runs the same on a real Asterisk 22.
 */
class LlamenosCallFlowEndToEndTest {
  // A deadline, not a pause: generous for a loaded 2-core machine.
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String SECRET = "your-shared-secret-here";
  static final String HOTLINE = "+15551234567";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final SteppedClock clock = SteppedClock.followingSystemTime();
  private Backend backend;
  private LlamenosWorker worker;
  private LlamenosHotline hotline;
  private SwitchboardNode node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    if (hotline != null) {
      hotline.close();
    }
    if (worker != null) {
      worker.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  /**
   * Where calls come from and volunteers are rung: the ARI simulator here. Phones {@code
   * +15550200001} ring forever, {@code +15550300001} answers after a second, browser identities
   * {@code vol_…} ring forever.
   */
  Backend newBackend(Path dir) {
    return new SimulatedBackend(dir);
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void aVolunteerAnswersIsBridgedAndRecorded(Scheme scheme) throws Exception {
    start(scheme);
    String from = "+15550001" + (100 + scheme.ordinal());
    hotline.shift(from, List.of(
        new Volunteer("aaaaaaaaaaaaaaaa01", "+15550200001", "vol_aaaaaaaaaaaa"),
        new Volunteer("bbbbbbbbbbbbbbbb02", "+15550300001", null)));
    String caller = backend.call(from, HOTLINE);
    String sid = menuAndCaptcha(caller, from);

    LlamenosHotline.Ring ring = awaitRing(sid);
    assertEquals(200, ring.status(), ring.answer());
    JsonNode answer = JSON.readTree(ring.answer());
    assertTrue(answer.path("ok").asBoolean(), ring.answer());
    assertEquals(3, answer.path("channelIds").size(), "a phone and a browser leg for the first"
        + " volunteer, a phone leg for the second: " + ring.answer());

    Request answered = worker.awaitAnswered(r -> r.path().equals("/api/telephony/volunteer-answer")
        && sid.equals(r.query().get("parentCallSid")), "volunteer-answer of " + sid, WAIT);
    assertEquals("bbbbbbbbbbbbbbbb02", answered.query().get("pubkey"));
    assertEquals("hub1", answered.query().get("hub"), "the request's hubId comes back as hub=");
    String volunteerSid = answered.param("CallSid");
    backend.awaitBridgeRecording(caller);

    // The first volunteer's two legs lost the race: canceled, never completed.
    for (int legs = 0; legs < 2; legs++) {
      int seen = legs;
      worker.await(r -> loserStatuses(sid).size() > seen, "a losing leg's final status", WAIT);
    }
    List<Request> losers = loserStatuses(sid);
    assertEquals(2, losers.stream().map(r -> r.param("CallSid")).distinct().count(), "" + losers);
    assertTrue(losers.stream().allMatch(r -> "canceled".equals(r.param("CallStatus"))),
        "losing legs report canceled: " + losers);

    backend.speak(caller, Duration.ofMillis(1500));
    backend.hangUp(caller);
    Request exit = worker.await(r -> r.path().equals("/api/telephony/queue-exit")
        && sid.equals(r.query().get("callSid")), "queue-exit of " + sid, WAIT);
    assertEquals("bridged", exit.param("QueueResult"));
    Request recording = worker.await(r -> r.path().equals("/api/telephony/call-recording")
        && sid.equals(r.query().get("parentCallSid")), "call-recording of " + sid, WAIT);
    assertEquals("bbbbbbbbbbbbbbbb02", recording.query().get("pubkey"));
    assertEquals("completed", recording.param("RecordingStatus"));
    assertNotNull(recording.param("RecordingUrl"), "the Worker downloads the recording from it");
    Request callerStatus = worker.await(r -> r.path().equals("/api/telephony/call-status")
        && sid.equals(r.param("CallSid")), "call-status of the caller " + sid, WAIT);
    assertEquals("completed", callerStatus.param("CallStatus"));
    assertFalse(callerStatus.query().containsKey("parentCallSid"), "" + callerStatus);
    assertTrue(worker.requests().stream().noneMatch(r -> r.path().endsWith("/call-status")
            && sid.equals(r.query().get("parentCallSid"))
            && "completed".equals(r.param("CallStatus"))
            && !volunteerSid.equals(r.param("CallSid"))),
        "only the answering volunteer's leg completes");
    allSignaturesValid();
    backend.awaitClean();
  }

  @ParameterizedTest
  @EnumSource(Scheme.class)
  void nobodyAnswersSoTheWaitLoopLeavesForVoicemail(Scheme scheme) throws Exception {
    start(scheme);
    String from = "+15550002" + (100 + scheme.ordinal());
    hotline.shift(from, List.of(new Volunteer("cccccccccccccccc03", "+15550200001", null)));
    String caller = backend.call(from, HOTLINE);
    String sid = menuAndCaptcha(caller, from);
    LlamenosHotline.Ring ring = awaitRing(sid);
    assertEquals(200, ring.status(), ring.answer());

    Request firstWait = worker.awaitAnswered(r -> r.path().equals("/api/telephony/wait-music")
        && sid.equals(r.param("CallSid")), "the first wait-music of " + sid, WAIT);
    assertEquals("en", firstWait.query().get("lang"));
    int before = Integer.parseInt(firstWait.param("QueueTime"));
    assertTrue(before < LlamenosHotline.QUEUE_TIMEOUT_SECONDS, "QueueTime " + before);
    clock.advance(Duration.ofSeconds(LlamenosHotline.QUEUE_TIMEOUT_SECONDS + 1));

    Request exit = worker.awaitAnswered(r -> r.path().equals("/api/telephony/queue-exit")
        && sid.equals(r.query().get("callSid")), "queue-exit of " + sid, WAIT);
    assertEquals("leave", exit.param("QueueResult"));
    assertEquals("en", exit.query().get("lang"), "&amp; decoded in the Enqueue action");
    List<Integer> waits = worker.requests().stream()
        .filter(r -> r.path().equals("/api/telephony/wait-music") && sid.equals(r.param("CallSid")))
        .map(r -> Integer.parseInt(r.param("QueueTime"))).toList();
    assertTrue(waits.get(waits.size() - 1) >= LlamenosHotline.QUEUE_TIMEOUT_SECONDS,
        "the Leave answered a wait with QueueTime >= 90: " + waits);
    assertTrue(waits.subList(0, waits.size() - 1).stream()
            .allMatch(t -> t < LlamenosHotline.QUEUE_TIMEOUT_SECONDS),
        "every earlier wait was answered with hold music: " + waits);

    backend.speak(caller, Duration.ofSeconds(15));
    Request complete = worker.await(r -> r.path().equals("/api/telephony/voicemail-complete")
        && sid.equals(r.query().get("callSid")), "voicemail-complete of " + sid, WAIT);
    assertEquals("en", complete.query().get("lang"));
    assertNotNull(complete.param("RecordingUrl"), "" + complete);
    Request recording = worker.await(r -> r.path().equals("/api/telephony/voicemail-recording")
        && sid.equals(r.query().get("callSid")), "voicemail-recording of " + sid, WAIT);
    assertEquals("completed", recording.param("RecordingStatus"));
    assertEquals(complete.param("RecordingSid"), recording.param("RecordingSid"));
    Request callerStatus = worker.await(r -> r.path().equals("/api/telephony/call-status")
        && sid.equals(r.param("CallSid")), "call-status of the caller " + sid, WAIT);
    assertEquals("completed", callerStatus.param("CallStatus"));
    // The volunteer still ringing when the caller hung up is canceled with the call.
    Request leg = worker.await(r -> r.path().equals("/api/telephony/call-status")
            && sid.equals(r.query().get("parentCallSid"))
            && !Set.of("initiated", "ringing").contains(r.param("CallStatus")),
        "the volunteer leg's final status", WAIT);
    assertTrue(Set.of("canceled", "no-answer").contains(leg.param("CallStatus")), "" + leg);
    allSignaturesValid();
    backend.awaitClean();
  }

  /**
   * Language menu, then CAPTCHA; the CallSid of the call from {@code from}. The caller presses
   * each time once the Worker has answered the Gather (so the digits reach the Gather).
   */
  private String menuAndCaptcha(String caller, String from) {
    Request incoming = worker.awaitAnswered(r -> r.path().equals("/api/telephony/incoming")
        && from.equals(r.param("From")), "incoming from " + from, WAIT);
    assertEquals(HOTLINE, incoming.param("To"), "the DID, as E.164");
    String sid = incoming.param("CallSid");
    backend.press(caller, "2");
    Request selected = worker.awaitAnswered(r -> r.path().equals("/api/telephony/language-selected")
        && sid.equals(r.param("CallSid")), "language-selected of " + sid, WAIT);
    assertEquals("2", selected.param("Digits"), "the menu digit, not the ?auto=1 redirect");
    backend.press(caller, LlamenosHotline.captchaDigits(sid));
    Request captcha = worker.awaitAnswered(r -> r.path().equals("/api/telephony/captcha")
        && sid.equals(r.param("CallSid")), "captcha of " + sid, WAIT);
    // &amp; decoded: expected, callSid and lang all arrive.
    assertEquals(Map.of("expected", LlamenosHotline.captchaDigits(sid), "callSid", sid,
        "lang", "en"), captcha.query());
    assertEquals(LlamenosHotline.captchaDigits(sid), captcha.param("Digits"));
    return sid;
  }

  private LlamenosHotline.Ring awaitRing(String sid) {
    Supplier<Optional<LlamenosHotline.Ring>> ring = () -> hotline.rings().stream()
        .filter(r -> r.parentCallSid().equals(sid)).findFirst();
    Backend.await(() -> ring.get().isPresent(), () -> "the answer to the Worker's /ring for " + sid);
    return ring.get().orElseThrow();
  }

  /** The final call-status reports of legs of {@code sid} other than the answering volunteer's. */
  private List<Request> loserStatuses(String sid) {
    return worker.requests().stream()
        .filter(r -> r.path().equals("/api/telephony/call-status")
            && sid.equals(r.query().get("parentCallSid"))
            && "aaaaaaaaaaaaaaaa01".equals(r.query().get("pubkey"))
            && !Set.of("initiated", "ringing", "answered", "in-progress")
                .contains(r.param("CallStatus")))
        .toList();
  }

  private void allSignaturesValid() {
    for (Request r : worker.requests()) {
      assertTrue(r.twilioValid() && r.bridgeValid(), "the Worker's validators refused " + r);
    }
  }

  /** Starts the Worker and Switchboard from the seed's {@code .env} on {@link #backend}. */
  private void start(Scheme scheme) throws Exception {
    backend = newBackend(dir);
    worker = new LlamenosWorker(SECRET, scheme);
    int bridgePort = Main.freePort("127.0.0.1");
    hotline = new LlamenosHotline(worker, scheme, SECRET,
        URI.create("http://127.0.0.1:" + bridgePort), "hub1", 3);
    Path env = dir.resolve(".env");
    Files.writeString(env, """
        ARI_URL=%s/events
        ARI_REST_URL=%s
        ARI_USERNAME=%s
        ARI_PASSWORD=%s
        WORKER_WEBHOOK_URL=%s
        BRIDGE_SECRET=your-shared-secret-here
        BRIDGE_PORT=%d
        STASIS_APP=%s
        HOTLINE_NUMBER=+15551234567
        """.formatted(backend.restUrl().replaceFirst("^http", "ws"), backend.restUrl(),
        backend.user(), backend.password(), worker.url(), bridgePort, backend.app()));
    Map<String, String> environment = new HashMap<>();
    if (scheme != Scheme.HOTLINE) {
      // twilio+bridge is what WORKER_WEBHOOK_URL selects by default.
      environment.put("SWITCHBOARD_SIGNATURE_MODE", scheme.signatureMode);
    }
    Config loaded = SwitchboardConfig.load(Optional.of(env), environment);
    Map<String, String> local = new HashMap<>(backend.settings());
    local.put("switchboard.webhooks.outbox.dir", dir.resolve("outbox").toString());
    local.put("switchboard.webhooks.outbox.initial-backoff", "100ms");
    local.put("switchboard.audio.cache-dir", dir.resolve("audio").toString());
    // The Worker's prompts spoken at 450 words a minute instead of 160: each call waits for every
    // <Say> in real time, and what the prompts sound like is not what this test is about.
    local.put("switchboard.audio.tts.espeak.speed", "450");
    Config config = ConfigFactory.parseMap(local).withFallback(loaded);
    SwitchboardSettings settings = SwitchboardSettings.fromConfig(config);
    assertEquals(bridgePort, settings.httpPort());
    node = SwitchboardNode.start(config, settings, Main.defaultApplication(config, settings),
        List.of(), clock);
    Backend.await(() -> {
      LinkStatus link = node.ari().links().get("asterisk-1");
      return link != null && link.connected();
    }, () -> "the Stasis app to connect: " + node.ari().links());
  }

  /** Where calls come from: the simulator or a real Asterisk. */
  interface Backend extends AutoCloseable {
    String restUrl();

    String user();

    String password();

    String app();

    /** Node settings besides the {@code .env} (how volunteers are dialled on this backend). */
    Map<String, String> settings();

    /** An inbound call to {@code did}; the id of its Stasis channel. */
    String call(String from, String did);

    /** The caller of {@code channel} presses {@code digits}. */
    void press(String channel, String digits);

    /** The caller talks (recordings hear it). */
    void speak(String channel, Duration duration);

    void hangUp(String channel);

    /** Waits until the bridge {@code channel} is in records. */
    void awaitBridgeRecording(String channel);

    /** Waits until no channel or bridge is left. */
    void awaitClean();

    @Override
    void close();

    /** Polls {@code condition} until it holds, failing after {@link #WAIT}. */
    static void await(Supplier<Boolean> condition, Supplier<String> description) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      Object monitor = new Object();
      while (System.nanoTime() < deadline) {
        if (condition.get()) {
          return;
        }
        synchronized (monitor) {
          try {
            monitor.wait(50);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
          }
        }
      }
      throw new AssertionError("timed out waiting for " + description.get());
    }
  }

  /** The ARI simulator with the seed's credentials and Stasis app. */
  static final class SimulatedBackend implements Backend {
    private final AriSimulator sim = new AriSimulator();
    private final int port;

    SimulatedBackend(Path dir) {
      port = sim.start(SimConfig.defaults()
          .withCredentials("llamenos", "changeme")
          .withApp("llamenos", "llamenos-in")
          .withRecordingsDir(dir.resolve("recordings"))
          .withDialRules(List.of(
              new DialRule("*+15550200001*", DialBehaviour.parse("no-answer")),
              new DialRule("*+15550300001*", DialBehaviour.parse("answer-after-1000")),
              new DialRule("*vol_*", DialBehaviour.parse("no-answer"))),
              DialBehaviour.parse("busy")));
    }

    @Override
    public String restUrl() {
      return "http://127.0.0.1:" + port + "/ari";
    }

    @Override
    public String user() {
      return "llamenos";
    }

    @Override
    public String password() {
      return "changeme";
    }

    @Override
    public String app() {
      return "llamenos";
    }

    @Override
    public Map<String, String> settings() {
      return Map.of();
    }

    @Override
    public String call(String from, String did) {
      return sim.inboundCall(from, did);
    }

    @Override
    public void press(String channel, String digits) {
      Backend.await(() -> !sim.playbacks().isEmpty(), () -> "a prompt playing on " + channel);
      sim.pressDtmf(channel, digits);
    }

    @Override
    public void speak(String channel, Duration duration) {
      sim.speak(channel, duration);
    }

    @Override
    public void hangUp(String channel) {
      sim.callerHangup(channel);
    }

    @Override
    public void awaitBridgeRecording(String channel) {
      Backend.await(() -> sim.bridges().stream().anyMatch(b -> b.channels().contains(channel)
              && b.channels().size() == 2) && !sim.liveRecordings().isEmpty(),
          () -> channel + " bridged and recorded: " + sim.bridges() + " " + sim.liveRecordings());
    }

    @Override
    public void awaitClean() {
      Backend.await(() -> sim.channels().isEmpty() && sim.bridges().isEmpty()
              && sim.liveRecordings().isEmpty(),
          () -> "nothing left on the simulator: " + sim.channels() + " " + sim.bridges());
    }

    @Override
    public void close() {
      sim.close();
    }
  }
}
