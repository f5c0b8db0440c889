package org.switchboard.http.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.http.stream.StreamCallFixture.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.call.CallRouting;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.twiml.verb.Connect;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.Parameter;
import org.switchboard.engine.twiml.verb.Stream;
import org.switchboard.http.api.MetricsRegistry;
import org.switchboard.http.audio.AudioSettings;
import org.switchboard.http.audio.G711;
import org.switchboard.http.stream.realtime.AgentLatency;
import org.switchboard.http.stream.realtime.RealtimeEvents;
import org.switchboard.http.stream.realtime.RealtimeSettings;

/**
 * {@code <Connect><Stream protocol="openai-realtime">} end to end on the ARI simulator: the real
 * ARI client, ExternalMedia RTP from and to the simulator, a fake Realtime agent over a real
 * WebSocket, ticks by hand.
 */
class RealtimeAgentTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:05Z");
  private static final URI TOOLS = URI.create("https://app.example.com/tools");

  static ActorTestKit testKit;
  static FakeRealtimeServer agent;
  StreamCallFixture f;
  ManualTicks ticks;
  AgentLatency latency;
  MediaStreamDelegates delegates;
  final LinkedBlockingQueue<WebhookPort.WebhookRequest> toolCalls = new LinkedBlockingQueue<>();
  final LinkedBlockingQueue<String> toolAnswers = new LinkedBlockingQueue<>();

  @BeforeAll
  static void startKit() throws Exception {
    testKit = ActorTestKit.create();
    agent = new FakeRealtimeServer(testKit.system());
  }

  @AfterAll
  static void stopKit() throws Exception {
    agent.close();
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() throws Exception {
    f = new StreamCallFixture(testKit);
    ticks = new ManualTicks();
    latency = new AgentLatency(new MetricsRegistry());
    WebhookPort webhooks = new WebhookPort() {
      @Override
      public CompletionStage<WebhookResponse> fetch(WebhookRequest request) {
        toolCalls.add(request);
        String body = toolAnswers.poll();
        return body == null ? CompletableFuture.failedFuture(new IllegalStateException("down"))
            : CompletableFuture.completedFuture(new WebhookResponse(request.url(), 200,
                "text/plain", body.getBytes(StandardCharsets.UTF_8)));
      }

      @Override
      public void notify(WebhookRequest request) {}
    };
    delegates = new MediaStreamDelegates(CallDelegates.unsupported(), f.ari, webhooks,
        new AudioSettings.Stream("127.0.0.1", 3000, Duration.ofSeconds(10), "ulaw"),
        new RealtimeSettings("sk-test-key", true, Duration.ofSeconds(10), 3000), latency, ticks,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  @Test
  void callerIsHeardAsPcm16At24kAndTheAgentIsHeardBack() throws Exception {
    StreamRelay relay = start(List.of(new Parameter("voice", "alloy"),
        new Parameter("instructions", "Be brief.")));
    FakeRealtimeServer.Connection conn = agent.accept();
    assertEquals(Optional.of("Bearer sk-test-key"), conn.authorization);
    JsonNode session = conn.next("session.update").path("session");
    assertEquals("pcm16", session.path("input_audio_format").asText());
    assertEquals("pcm16", session.path("output_audio_format").asText());
    assertEquals("alloy", session.path("voice").asText());
    assertEquals("Be brief.", session.path("instructions").asText());
    assertEquals("server_vad", session.path("turn_detection").path("type").asText());
    assertEquals("hangup", session.path("tools").path(0).path("name").asText());
    await(() -> "pcm16".equals(conn.inputFormat()), "the agent took the beta shape as pcm16");
    String em = awaitBridged();

    // The caller speaks (the simulator sends a 440 Hz tone as 8 kHz µ-law).
    f.sim.speak(f.callerId, Duration.ofMillis(400));
    f.advance(400);
    short[] sent = G711.decodeUlaw(f.sim.rtp(em).sent(), 0, f.sim.rtp(em).sent().length);
    await(() -> conn.appended().length >= sent.length * 2 * 3, "the caller's audio appended");
    short[] heard = AudioProbe.pcm(conn.appended(), false);
    assertEquals(sent.length * 3, heard.length, "24 kHz: 3 samples per 8 kHz sample");
    assertTone(heard, 440, 24000, AudioProbe.toneAmplitude(sent, 440, 8000));

    // The agent answers with 300 ms of a 1 kHz tone in three deltas, beta and GA names mixed.
    short[] reply = AudioProbe.tone(1000, 24000, 7200, 8000);
    conn.speechStopped("item_in_1", 400);
    for (int i = 0; i < 3; i++) {
      short[] part = java.util.Arrays.copyOfRange(reply, i * 2400, (i + 1) * 2400);
      conn.audioDelta("resp_1", "item_out_1", AudioProbe.bytes(part, false), i == 1);
    }
    await(() -> relay.relayed() instanceof RealtimeSession s && s.queuedFrames() == 14,
        "the reply queued, its first frame sent at once");
    for (int i = 0; i < 14; i++) {
      ticks.tick();
    }
    await(() -> f.sim.rtp(em).received().length == 15 * 160, "300 ms of reply at the simulator");
    byte[] received = f.sim.rtp(em).received();
    assertTone(G711.decodeUlaw(received, 0, received.length), 1000, 8000, 8000);
    assertEquals(1, latency.playoutTotals().count());
    assertEquals(1, latency.responseTotals().count());
  }

  @Test
  void bargeInStopsTheReplyAtOnceAndTruncatesAtWhatWasHeard() throws Exception {
    start(List.of());
    FakeRealtimeServer.Connection conn = agent.accept();
    conn.next("session.update");
    String em = awaitBridged();
    RealtimeSession session = (RealtimeSession) lastRelay.relayed();

    conn.audioDelta("resp_2", "item_out_2",
        AudioProbe.bytes(AudioProbe.tone(500, 24000, 24000, 6000), false), false);
    await(() -> session.queuedFrames() == 49, "one second queued, one frame sent");
    for (int i = 0; i < 10; i++) {
      ticks.tick();
    }
    await(() -> f.sim.rtp(em).received().length == 11 * 160, "220 ms played");

    conn.speechStarted("item_in_2", 1200);
    JsonNode truncate = conn.next("conversation.item.truncate");
    assertEquals("item_out_2", truncate.path("item_id").asText());
    assertEquals(0, truncate.path("content_index").asInt());
    assertEquals(220, truncate.path("audio_end_ms").asLong());
    assertEquals(0, session.queuedFrames());
    // The next tick plays nothing, and late audio of the cut item is dropped.
    conn.audioDelta("resp_2", "item_out_2",
        AudioProbe.bytes(AudioProbe.tone(500, 24000, 2400, 6000), false), false);
    conn.functionCall("call_sync", "no_such_tool", "{}");
    conn.next("conversation.item.create");
    ticks.tick();
    ticks.tick();
    assertEquals(11 * 160, f.sim.rtp(em).received().length);
    // Nothing was playing: a second speech_started truncates nothing.
    conn.speechStarted("item_in_3", 2000);
    conn.functionCall("call_sync2", "no_such_tool", "{}");
    JsonNode next = conn.next("conversation.item.create");
    assertEquals("call_sync2", next.path("item").path("call_id").asText());
    assertTrue(conn.events.stream().noneMatch(
        e -> e.path("type").asText().equals("conversation.item.truncate")));
  }

  @Test
  void hangupToolEndsTheCallOnceTheGoodbyeHasPlayed() throws Exception {
    start(List.of());
    FakeRealtimeServer.Connection conn = agent.accept();
    conn.next("session.update");
    String em = awaitBridged();
    conn.audioDelta("resp_3", "item_bye", new byte[2 * 2400], false);
    conn.functionCall("call_1", "hangup", "{}");
    await(() -> f.sim.rtp(em).received().length == 160, "the goodbye's first frame");
    RealtimeSession session = (RealtimeSession) lastRelay.relayed();
    await(session::hangUpPending, "the hangup call read");
    // Four ticks send the rest of the goodbye, ten more give it time to reach the phone.
    for (int i = 0; i < 4 + RealtimeSession.HANGUP_GRACE_TICKS; i++) {
      ticks.tick();
    }
    f.callProbe.expectNoMessage(Duration.ofMillis(100));
    ticks.tick();
    assertInstanceOf(CallCommand.HangUp.class, f.callProbe.receiveMessage());
    assertEquals(5 * 160, f.sim.rtp(em).received().length);
  }

  @Test
  void dtmfIsTextAndToolsAndTransferGoToTheToolsUrl() throws Exception {
    StreamRelay relay = start(List.of(new Parameter("toolsUrl", TOOLS.toString()),
        new Parameter("tool.lookup_order", "{\"description\":\"Finds an order\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"order\":{\"type\":\"string\"}}}}")));
    FakeRealtimeServer.Connection conn = agent.accept();
    JsonNode tools = conn.next("session.update").path("session").path("tools");
    assertEquals(List.of("hangup", "transfer", "lookup_order"), names(tools));
    assertEquals("string", tools.path(2).path("parameters").path("properties").path("order")
        .path("type").asText());
    awaitBridged();

    f.sim.pressDtmf(f.callerId, "7");
    f.advance(1000);
    relay.onEvent(f.awaitEvent(e -> e instanceof ChannelEvent.DtmfReceived d
        && d.id().equals(f.callerId)));
    JsonNode text = conn.next("conversation.item.create").path("item");
    assertEquals("user", text.path("role").asText());
    assertEquals("DTMF: 7", text.path("content").path(0).path("text").asText());
    conn.next("response.create");

    toolAnswers.add("{\"status\":\"shipped\"}");
    conn.functionCall("call_2", "lookup_order", "{\"order\":\"42\"}");
    JsonNode output = conn.next("conversation.item.create").path("item");
    assertEquals("function_call_output", output.path("type").asText());
    assertEquals("call_2", output.path("call_id").asText());
    assertEquals("{\"status\":\"shipped\"}", output.path("output").asText());
    conn.next("response.create");
    Map<String, String> posted = params(toolCalls.poll(10, TimeUnit.SECONDS));
    assertEquals(TOOLS.toString(), posted.get("#url"));
    assertEquals("lookup_order", posted.get("ToolName"));
    assertEquals("{\"order\":\"42\"}", posted.get("Arguments"));
    assertEquals("call_2", posted.get("ToolCallId"));
    assertEquals(f.callSid, posted.get("CallSid"));
    assertEquals("AC0123", posted.get("AccountSid"));
    assertEquals(1, toolCalls.size() + 1, "the call was posted once, not once per event");

    // The application is down: the agent hears that the tool failed.
    conn.functionCall("call_3", "lookup_order", "{}");
    assertTrue(conn.next("conversation.item.create").path("item").path("output").asText()
        .contains("failed"));

    toolAnswers.add("<Response><Dial>+15550002222</Dial></Response>");
    conn.functionCall("call_4", "transfer", "{\"to\":\"sales\"}");
    CallCommand.Redirect redirect = (CallCommand.Redirect) f.callProbe.receiveMessage();
    assertEquals(Optional.of("<Response><Dial>+15550002222</Dial></Response>"), redirect.twiml());
  }

  @Test
  void aRefusingOrVanishingAgentLetsTheCallGoOnAndGarbageIsSkipped() throws Exception {
    f.run(c -> delegates.connect(c, connect(agent.refusingUrl(), List.of())));
    connects++;
    CallCommand.StreamClosed refused = (CallCommand.StreamClosed) f.callProbe.receiveMessage(
        Duration.ofSeconds(10));
    assertTrue(refused.params().get("StreamError").contains("401"), refused.params().toString());
    assertFalse(refused.params().get("StreamError").contains("sk-test-key"));

    StreamRelay relay = start(List.of());
    FakeRealtimeServer.Connection conn = agent.accept();
    conn.next("session.update");
    String em = awaitBridged();
    conn.send("this is not json");
    conn.send("{\"type\":\"response.audio.delta\",\"item_id\":\"i\",\"delta\":\"***\"}");
    conn.send("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
        + "\"code\":\"x\",\"message\":\"bad\"}}");
    conn.audioDelta("resp_5", "item_ok", new byte[2 * 480], false);
    await(() -> f.sim.rtp(em).received().length == 160, "audio after garbage still plays");

    conn.close();
    CallCommand.StreamClosed closed = (CallCommand.StreamClosed) f.callProbe.receiveMessage(
        Duration.ofSeconds(10));
    assertFalse(closed.params().containsKey("StreamError"), closed.params().toString());
    relay.released().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertFalse(f.hasChannel(em), "ExternalMedia channel hung up");
  }

  /**
   * With {@code session-shape = ga} the agent gets the GA {@code session.update} (type realtime,
   * formats and voice under {@code audio}), which the fake agent accepts as pcm16.
   */
  @Test
  void theGaSessionShapeIsSentWhenConfigured() throws Exception {
    delegates = new MediaStreamDelegates(CallDelegates.unsupported(), f.ari, f.webhooks(),
        new AudioSettings.Stream("127.0.0.1", 3000, Duration.ofSeconds(10), "ulaw"),
        new RealtimeSettings("", false, Duration.ofSeconds(10), 3000,
            RealtimeEvents.SessionShape.GA), latency, ticks, Clock.fixed(NOW, ZoneOffset.UTC));
    start(List.of(new Parameter("voice", "alloy")));
    FakeRealtimeServer.Connection conn = agent.accept();
    JsonNode session = conn.next("session.update").path("session");
    assertEquals("realtime", session.path("type").asText());
    assertEquals("audio/pcm", session.path("audio").path("input").path("format").path("type")
        .asText());
    assertEquals(24000, session.path("audio").path("input").path("format").path("rate").asInt());
    assertEquals("server_vad", session.path("audio").path("input").path("turn_detection")
        .path("type").asText());
    assertEquals("audio/pcm", session.path("audio").path("output").path("format").path("type")
        .asText());
    assertEquals("alloy", session.path("audio").path("output").path("voice").asText());
    assertEquals("audio", session.path("output_modalities").path(0).asText());
    assertFalse(session.has("input_audio_format") || session.has("voice")
        || session.has("modalities"), session.toString());
    assertEquals("hangup", session.path("tools").path(0).path("name").asText());
    await(() -> "pcm16".equals(conn.inputFormat()), "the agent took the GA shape as pcm16");
  }

  /**
   * On a server configured for chan_websocket the agent's ExternalMedia channel carries slin16
   * over the WebSocket (no RTP port): the caller reaches the agent as 24 kHz pcm16 resampled from
   * 16 kHz, and the agent's reply reaches the channel as 16 kHz linear frames.
   */
  @Test
  void anAgentTakesItsMediaOverChanWebsocketInSlin16() throws Exception {
    OverWebSocket call = startOverChanWebsocket();
    FakeRealtimeServer.Connection conn = call.conn();
    String em = call.em();
    RealtimeSession session = call.session();
    assertEquals(StreamParams.Transport.WEBSOCKET, session.params().transport());
    assertEquals(MediaEncoding.SLIN16, session.params().encoding());

    f.sim.speak(f.callerId, Duration.ofMillis(400));
    f.advance(400);
    short[] sent = AudioProbe.pcm(f.sim.rtp(em).sent(), false);
    assertTrue(sent.length >= 16 * 300, "the channel sent " + sent.length + " samples");
    await(() -> conn.appended().length >= sent.length * 2 * 3 / 2, "the caller's audio appended");
    short[] heard = AudioProbe.pcm(conn.appended(), false);
    assertEquals(sent.length * 3 / 2, heard.length, "24 kHz: 3 samples per 2 at 16 kHz");
    assertTone(heard, 440, 24000, AudioProbe.toneAmplitude(sent, 440, 16000));

    // 300 ms of reply: ten frames go to chan_websocket's queue at once, the rest as it plays.
    short[] reply = AudioProbe.tone(1000, 24000, 7200, 8000);
    conn.audioDelta("resp_1", "item_out_1", AudioProbe.bytes(reply, false), true);
    await(() -> session.queuedFrames() == 5 && session.unplayedFrames() == 10
        && f.sim.mediaQueued(em) == 10, "ten frames in the channel's queue, five waiting");
    assertEquals(0, f.sim.rtp(em).received().length, "nothing plays before the channel's tick");
    playFrames(em, session, 15, 15);
    assertTone(AudioProbe.pcm(f.sim.rtp(em).received(), false), 1000, 16000, 8000);

    lastRelay.stop("hangup");
    lastRelay.released().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertFalse(f.hasChannel(em), "the WebSocket channel hung up");
  }

  /**
   * Barge-in over chan_websocket: Asterisk holds up to ten frames the caller has not heard yet, so
   * the session sends {@code FLUSH_MEDIA} (nothing queued plays after it) and truncates at what
   * Asterisk reported played, not at what was sent; the hangup waits for the goodbye to play on
   * Asterisk's clock, then for the grace.
   */
  @Test
  void bargeInOverChanWebsocketFlushesAsteriskAndTruncatesAtWhatItPlayed() throws Exception {
    OverWebSocket call = startOverChanWebsocket();
    FakeRealtimeServer.Connection conn = call.conn();
    String em = call.em();
    RealtimeSession session = call.session();

    conn.audioDelta("resp_2", "item_out_2",
        AudioProbe.bytes(AudioProbe.tone(500, 24000, 24000, 6000), false), false);
    await(() -> session.queuedFrames() == 40 && f.sim.mediaQueued(em) == 10,
        "one second of reply: ten frames in the channel's queue");
    playFrames(em, session, 7, 50);

    conn.speechStarted("item_in_2", 1200);
    JsonNode truncate = conn.next("conversation.item.truncate");
    assertEquals("item_out_2", truncate.path("item_id").asText());
    assertEquals(140, truncate.path("audio_end_ms").asLong(),
        "7 frames played; 17 were sent");
    assertEquals(0, f.sim.mediaQueued(em), "the channel's queue flushed");
    assertEquals(0, session.queuedFrames());
    assertEquals(0, session.unplayedFrames());
    f.advance(100);
    assertEquals(7 * 640, f.sim.rtp(em).received().length, "nothing played after the cut");

    // A 60 ms goodbye, then the hangup: it waits until the channel has played the goodbye.
    conn.audioDelta("resp_3", "item_bye", new byte[2 * 1440], false);
    conn.functionCall("call_bye", "hangup", "{}");
    await(() -> session.hangUpPending() && session.unplayedFrames() == 3
        && f.sim.mediaQueued(em) == 3, "the goodbye in the channel's queue");
    for (int i = 0; i < 2 * RealtimeSession.HANGUP_GRACE_TICKS; i++) {
      ticks.tick();
    }
    f.callProbe.expectNoMessage(Duration.ofMillis(100));
    f.advance(60);
    await(() -> session.unplayedFrames() == 0, "the goodbye played");
    for (int i = 0; i < RealtimeSession.HANGUP_GRACE_TICKS; i++) {
      ticks.tick();
    }
    f.callProbe.expectNoMessage(Duration.ofMillis(100));
    ticks.tick();
    assertInstanceOf(CallCommand.HangUp.class, f.callProbe.receiveMessage());
    assertEquals(10 * 640, f.sim.rtp(em).received().length);
  }

  /** An agent session whose ExternalMedia runs over chan_websocket, bridged with the caller. */
  private record OverWebSocket(FakeRealtimeServer.Connection conn, String em,
      RealtimeSession session) {}

  /** Connects an agent with its ExternalMedia on the simulator's chan_websocket. */
  private OverWebSocket startOverChanWebsocket() throws Exception {
    delegates = new MediaStreamDelegates(CallDelegates.unsupported(), f.ari, f.webhooks(),
        new AudioSettings.Stream("127.0.0.1", 3000, Duration.ofSeconds(10), "ulaw"),
        new RealtimeSettings("", false, Duration.ofSeconds(10), 3000), latency, ticks,
        Clock.fixed(NOW, ZoneOffset.UTC), RelayDelays.NONE,
        MediaStreamDelegates.mediaSockets(List.of(StreamCallFixture.SERVER),
            Map.of(StreamCallFixture.SERVER, f.sim.baseUrl() + "/ari")));
    start(List.of());
    FakeRealtimeServer.Connection conn = agent.accept();
    conn.next("session.update");
    String em = awaitBridged();
    return new OverWebSocket(conn, em, (RealtimeSession) lastRelay.relayed());
  }

  /**
   * Lets the chan_websocket channel play {@code frames} frames, one per 20 ms of its clock; after
   * each the session tops the channel's queue up again ({@code total} frames in the reply).
   */
  private void playFrames(String em, RealtimeSession session, int frames, int total) {
    int before = f.sim.rtp(em).received().length / 640;
    for (int i = 1; i <= frames; i++) {
      int played = before + i;
      int waiting = Math.min(RealtimeSession.WEBSOCKET_WINDOW, total - played);
      f.advance(20);
      await(() -> f.sim.rtp(em).received().length == played * 640
          && session.unplayedFrames() == waiting && f.sim.mediaQueued(em) == waiting,
          played + " frames played, " + waiting + " in the channel's queue");
    }
  }

  private StreamRelay lastRelay;
  private int connects;

  private StreamRelay start(List<Parameter> parameters) throws Exception {
    MediaStreamDelegates current = delegates;
    lastRelay = (StreamRelay) f.run(c -> current.connect(c, connect(agent.url(), parameters)));
    return lastRelay;
  }

  /** The ExternalMedia channel of the latest {@code <Connect>}, once bridged with the caller. */
  private String awaitBridged() {
    String em = CallRouting.channelId(f.callSid, "em", ++connects);
    String bridge = f.callSid + "-br-stream-" + connects;
    await(() -> f.bridgeMembers(bridge).containsAll(List.of(f.callerId, em)),
        "caller and ExternalMedia channel in the stream bridge");
    await(() -> ((RealtimeSession) lastRelay.relayed()).queuedFrames() == 0
        && f.sim.rtp(em) != null, "media path up");
    return em;
  }

  static Connect connect(String url, List<Parameter> parameters) {
    return new Connect(Optional.empty(), Method.POST, new Stream(URI.create(url),
        Optional.empty(), Stream.Track.INBOUND_TRACK, Optional.empty(), Method.POST,
        parameters, Stream.Protocol.OPENAI_REALTIME));
  }

  private static void assertTone(short[] samples, double hz, int rate, double amplitude) {
    double at = AudioProbe.toneAmplitude(samples, hz, rate);
    assertTrue(Math.abs(at - amplitude) < amplitude * 0.15,
        hz + " Hz at " + at + ", expected about " + amplitude);
    double rms = AudioProbe.rms(samples);
    assertTrue(Math.abs(rms - amplitude / Math.sqrt(2)) < amplitude * 0.15,
        "energy " + rms + " for a tone of " + amplitude);
  }

  private static List<String> names(JsonNode tools) {
    List<String> names = new ArrayList<>();
    tools.forEach(t -> names.add(t.path("name").asText()));
    return names;
  }

  private static Map<String, String> params(WebhookPort.WebhookRequest r) {
    assertTrue(r != null, "a tool call was posted");
    Map<String, String> params = new java.util.LinkedHashMap<>();
    r.params().forEach(e -> params.put(e.getKey(), e.getValue()));
    params.put("#url", r.url().toString());
    return params;
  }
}
