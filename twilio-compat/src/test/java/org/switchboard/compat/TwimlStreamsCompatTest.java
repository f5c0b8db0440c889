package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.compat.CompatHarness.decoded;

import com.fasterxml.jackson.databind.JsonNode;
import com.twilio.http.HttpMethod;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Connect;
import com.twilio.twiml.voice.Gather;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Parameter;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.Start;
import com.twilio.twiml.voice.Stop;
import com.twilio.twiml.voice.Stream;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.SimLog;

/**
 * Media Streams built with the SDK's {@code VoiceResponse}: {@code <Start><Stream>} (a fork of
 * both tracks through two snoops, stopped by {@code <Stop><Stream>}) and {@code
 * <Connect><Stream>} (the caller bridged with an ExternalMedia channel, audio both ways, the
 * action once the application closes the socket), each with {@code <Parameter>}s and status
 * callbacks. The application's side is a real WebSocket server ({@link MediaStreamsApp}) that
 * checks the Twilio messages it receives.
 */
class TwimlStreamsCompatTest extends CompatTest {
  private MediaStreamsApp streams;

  @Override
  CompatHarness harness() throws Exception {
    CompatHarness harness = new CompatHarness(List.of());
    streams = new MediaStreamsApp(harness.node.system());
    harness.app.on("/voice", byCallee(harness));
    harness.app.on("/stop-fork", w -> TwimlVerbsCompatTest.verbs(new VoiceResponse.Builder()
        .stop(new Stop.Builder().stream(new Stream.Builder().name("fork").build()).build())
        .say(new Say.Builder("The fork is stopped.").build())
        .hangup(new Hangup.Builder().build()).build()));
    harness.app.on("/connected", "<Hangup/>");
    return harness;
  }

  private Function<WebhookApp.Webhook, String> byCallee(CompatHarness harness) {
    String status = harness.app.url("/stream-status").toString();
    return w -> TwimlVerbsCompatTest.verbs(switch (w.param("To")) {
      case "+15550007001" -> new VoiceResponse.Builder()
          .start(new Start.Builder().action(harness.app.url("/start-action"))
              .method(HttpMethod.GET)
              .stream(new Stream.Builder().url(streams.url("fork")).name("fork")
                  .track(Stream.Track.BOTH_TRACKS).statusCallback(status)
                  .statusCallbackMethod(Stream.StatusCallbackMethod.POST)
                  .parameter(new Parameter.Builder().name("Agent").value("ana").build())
                  .parameter(new Parameter.Builder().name("Case").value("42").build())
                  .build())
              .build())
          .gather(new Gather.Builder().numDigits(1).timeout(15)
              .action(harness.app.url("/stop-fork"))
              .say(new Say.Builder("Talk, then press a key.").build()).build())
          .build();
      case "+15550007002" -> new VoiceResponse.Builder()
          .connect(new Connect.Builder().action(harness.app.url("/connected"))
              .method(HttpMethod.GET)
              .stream(new Stream.Builder().url(streams.url("agent")).name("agent")
                  .track(Stream.Track.INBOUND_TRACK).statusCallback(status)
                  .statusCallbackMethod(Stream.StatusCallbackMethod.GET)
                  .parameter(new Parameter.Builder().name("Lang").value("en").build())
                  .build())
              .build())
          .say(new Say.Builder("Only after the socket closes.").build())
          .build();
      default -> throw new IllegalArgumentException("no TwiML for " + w.param("To"));
    });
  }

  @Test
  void startForksBothTracksToTheSocketUntilStop() throws Exception {
    String channel = h.sim.inboundCall("+15557770701", "+15550007001");
    String sid = CompatHarness.callSid(channel);
    MediaStreamsApp.Socket fork = streams.await("fork");
    JsonNode start = started(fork, sid);
    assertEquals(List.of("inbound", "outbound"), texts(start.path("start").path("tracks")));
    assertEquals("ana", start.path("start").path("customParameters").path("Agent").asText());
    assertEquals("42", start.path("start").path("customParameters").path("Case").asText());
    String streamSid = start.path("streamSid").asText();
    WebhookApp.Webhook started = h.app.await("/stream-status", sid,
        Map.of("StreamEvent", "stream-started", "StreamName", "fork"), CompatHarness.WAIT);
    assertEquals("POST", started.method());
    assertEquals(streamSid, started.param("StreamSid"));

    h.awaitTrue(() -> h.ari("POST", channel + "/snoop").size() == 2
        && h.ari("POST", "/externalMedia").stream()
            .filter(r -> decoded(r).contains(sid + "-em-")).count() == 2,
        "a snoop and an ExternalMedia channel per track");
    List<String> snoops =
        h.ari("POST", channel + "/snoop").stream().map(CompatHarness::decoded).toList();
    assertEquals(List.of("in", "out"), snoops.stream()
        .map(q -> q.replaceAll(".*spy=(\\w+).*", "$1")).sorted().toList(), snoops.toString());
    assertTrue(h.ari("POST", "/externalMedia").stream().map(CompatHarness::decoded)
        .filter(q -> q.contains(sid + "-em-"))
        .allMatch(q -> q.contains("format=ulaw") && q.contains("external_host=127.0.0.1:")),
        "ulaw RTP to Switchboard");
    h.awaitTrue(() -> h.sim.bridges().stream().filter(b -> b.id().contains(sid)).count() == 2,
        "each snoop bridged with its ExternalMedia channel");
    assertTrue(h.sim.bridges().stream().noneMatch(b -> b.channels().contains(channel)),
        "the caller itself stays out of any bridge");

    h.sim.speak(channel, Duration.ofMillis(400));
    h.sim.speak(snoopId(snoops, "out"), Duration.ofMillis(400));
    for (String track : List.of("inbound", "outbound")) {
      JsonNode media = fork.await(m -> m.path("event").asText().equals("media")
          && m.path("media").path("track").asText().equals(track), track + " media",
          CompatHarness.WAIT);
      assertEquals(160, Base64.getDecoder().decode(media.path("media").path("payload").asText())
          .length, "20 ms of µ-law");
      assertEquals(streamSid, media.path("streamSid").asText());
    }

    h.sim.pressDtmf(channel, "1");
    JsonNode stop = fork.await("stop");
    assertEquals(sid, stop.path("stop").path("callSid").asText());
    fork.closed.get(CompatHarness.WAIT.toSeconds(), TimeUnit.SECONDS);
    h.app.await("/stream-status", sid, Map.of("StreamEvent", "stream-stopped",
        "StreamSid", streamSid), CompatHarness.WAIT);
    h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    assertFalse(fork.events().contains("dtmf"), "a fork carries no DTMF, as Twilio's");
    assertTrue(h.app.webhooks().stream().noneMatch(w -> w.path().equals("/start-action")),
        "<Start action> is never requested");
  }

  @Test
  void connectStreamsBothWaysAndRunsItsActionWhenTheApplicationCloses() throws Exception {
    String channel = h.sim.inboundCall("+15557770702", "+15550007002");
    String sid = CompatHarness.callSid(channel);
    MediaStreamsApp.Socket agent = streams.await("agent");
    JsonNode start = started(agent, sid);
    assertEquals(List.of("inbound"), texts(start.path("start").path("tracks")));
    assertEquals("en", start.path("start").path("customParameters").path("Lang").asText());
    String streamSid = start.path("streamSid").asText();
    WebhookApp.Webhook started = h.app.await("/stream-status", sid,
        Map.of("StreamEvent", "stream-started", "StreamName", "agent"), CompatHarness.WAIT);
    assertEquals("GET", started.method());

    h.awaitTrue(() -> h.sim.bridges().stream().anyMatch(b -> b.channels().contains(channel)
        && b.channels().size() == 2), "the caller bridged with the ExternalMedia channel");
    String media = h.sim.bridges().stream().filter(b -> b.channels().contains(channel))
        .flatMap(b -> b.channels().stream()).filter(c -> !c.equals(channel)).findFirst()
        .orElseThrow();
    SimLog.Request external = h.ari("POST", "/externalMedia").stream()
        .filter(r -> decoded(r).contains("channelId=" + media)).findFirst()
        .orElseThrow(() -> new AssertionError("no externalMedia for " + media));
    assertTrue(decoded(external).contains("format=ulaw"), decoded(external));
    assertTrue(h.ari("POST", channel + "/snoop").isEmpty(), "no snoop: the caller is bridged");

    h.sim.speak(channel, Duration.ofMillis(400));
    agent.await(m -> m.path("event").asText().equals("media")
        && m.path("media").path("track").asText().equals("inbound"), "inbound media",
        CompatHarness.WAIT);
    h.sim.pressDtmf(channel, "5");
    JsonNode dtmf = agent.await("dtmf");
    assertEquals("5", dtmf.path("dtmf").path("digit").asText());

    String frame = Base64.getEncoder().encodeToString(new byte[160]);
    for (int i = 0; i < 5; i++) {
      agent.send("{\"event\":\"media\",\"streamSid\":\"" + streamSid
          + "\",\"media\":{\"payload\":\"" + frame + "\"}}");
    }
    agent.send("{\"event\":\"mark\",\"streamSid\":\"" + streamSid
        + "\",\"mark\":{\"name\":\"greeting\"}}");
    agent.await(m -> m.path("event").asText().equals("mark")
        && m.path("mark").path("name").asText().equals("greeting"), "the mark played",
        CompatHarness.WAIT);
    h.awaitTrue(() -> h.sim.rtp(media).packetsReceived() >= 5,
        "the application's five frames reached Asterisk over RTP");

    agent.close();
    WebhookApp.Webhook connected = h.app.await("/connected", sid, Map.of(), CompatHarness.WAIT);
    assertEquals("GET", connected.method());
    h.app.await("/stream-status", sid, Map.of("StreamEvent", "stream-stopped",
        "StreamSid", streamSid), CompatHarness.WAIT);
    h.app.await("/status", sid, Map.of("CallStatus", "completed"), CompatHarness.WAIT);
    assertTrue(h.ari("POST", channel + "/play").isEmpty(),
        "the verbs after <Connect> never ran: the action's TwiML replaced them");
  }

  /** {@code connected}, then {@code start} for call {@code sid}; returns {@code start}. */
  private static JsonNode started(MediaStreamsApp.Socket socket, String sid) {
    JsonNode start = socket.await("start");
    assertEquals(List.of("connected", "start"), socket.events().subList(0, 2));
    assertEquals(sid, start.path("start").path("callSid").asText());
    assertEquals("audio/x-mulaw", start.path("start").path("mediaFormat").path("encoding")
        .asText());
    return start;
  }

  private static String snoopId(List<String> snoops, String spy) {
    return snoops.stream().filter(q -> q.contains("spy=" + spy)).findFirst().orElseThrow()
        .replaceAll(".*snoopId=([^&]+).*", "$1");
  }

  private static List<String> texts(JsonNode array) {
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Override
  @AfterAll
  void stop() {
    if (streams != null) {
      streams.close();
    }
    super.stop();
  }
}
