package org.switchboard.asterisk.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.ari.AriEvent;
import org.switchboard.asterisk.ari.AriJson;
import org.switchboard.asterisk.ari.Transcripts;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ServerEvent;

/** The real transcripts, routed end to end through the mapper, dedup and delivery stage. */
class EventRouterTranscriptTest {
  private static ActorSystem system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create("router-transcripts");
  }

  @AfterAll
  static void stop() {
    TestKit.shutdownActorSystem(system);
  }

  private static List<RouterInput> inputs(String prefix) {
    AriJson json = new AriJson();
    return Transcripts.eventJson(Transcripts.lines(prefix)).stream()
        .map(raw -> (RouterInput) new RouterInput.Ari("ast1", json.decode(raw)))
        .toList();
  }

  private record Run(EventRouter router, List<ChannelEvent> delivered, List<ServerEvent> server) {}

  private static Run run(String prefix) throws Exception {
    var sink = new EventRouterBackpressureTest.RecordingSink(e -> false);
    EventRouter router = new EventRouter(sink, RouterSettings.defaults());
    Source.from(inputs(prefix))
        .runWith(router.sink(), system)
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    return new Run(router, new ArrayList<>(sink.delivered), new ArrayList<>(sink.serverEvents));
  }

  @Test
  void parallelRingTranscriptIsRoutedPerChannelInOrder() throws Exception {
    Run run = run("04-");
    var stats = run.router().stats();
    assertEquals(stats.routed(), stats.delivered());
    assertEquals(stats.routed(), run.delivered().size());
    assertTrue(stats.ignored("ChannelCreated") > 0);
    assertTrue(stats.ignored("ChannelDialplan") > 0);
    assertTrue(stats.ignored("ChannelVarset") > 0);
    assertTrue(stats.ignored("DeviceStateChanged") > 0);
    assertEquals(1, stats.ignored("BridgeCreated"));

    Map<String, List<String>> perLeg = new LinkedHashMap<>();
    for (ChannelEvent e : run.delivered()) {
      perLeg.computeIfAbsent(e.routingId(), k -> new ArrayList<>()).add(describe(e));
    }
    String legA =
        perLeg.keySet().stream().filter(k -> k.startsWith("s04-legA-")).findFirst().orElseThrow();
    assertEquals(
        List.of(
            "Dial:",
            "State:Ringing",
            "Dial:RINGING",
            "State:Up",
            "Dial:ANSWER",
            "Stasis:[dial-leg, A]",
            "Entered",
            "Left",
            "HangupRequest:32",
            "StasisEnd",
            "Destroyed:16"),
        perLeg.get(legA).stream().filter(s -> !s.isEmpty()).toList());
  }

  @Test
  void bridgePlaybackDoubledBySubscribeAllIsDeliveredOnce() throws Exception {
    Run run = run("07-");
    assertEquals(2, run.router().stats().duplicates());
    List<ChannelEvent> bridgePlaybacks =
        run.delivered().stream().filter(e -> e.channelId().isEmpty()).toList();
    assertTrue(
        bridgePlaybacks.stream()
                .filter(ChannelEvent.PlaybackStarted.class::isInstance)
                .count()
            == 1);
    var finished =
        bridgePlaybacks.stream()
            .filter(ChannelEvent.PlaybackFinished.class::isInstance)
            .map(ChannelEvent.PlaybackFinished.class::cast)
            .toList();
    assertEquals(1, finished.size());
    assertTrue(finished.get(0).targetBridge().orElseThrow().startsWith("s07-bridge-"));
    assertEquals(false, finished.get(0).failed());
  }

  @Test
  void applicationReplacedBecomesAServerEvent() throws Exception {
    Run run = run("08-");
    assertTrue(run.server().stream().anyMatch(ServerEvent.Replaced.class::isInstance));
  }

  @Test
  void onlySelectedVariablesAreRouted() {
    AriEventMapper mapper = new AriEventMapper(java.util.Set.of("DIALSTATUS"), java.util.Set.of("SWITCHBOARD_"));
    var channel = Fixtures.channel("c1");
    assertInstanceOf(
        Routing.Ignored.class,
        mapper.map("a", new AriEvent.ChannelVarset(Fixtures.T0, "app", "x", "STASISSTATUS", "", channel)));
    var routed =
        assertInstanceOf(
            Routing.ToChannel.class,
            mapper.map("a", new AriEvent.ChannelVarset(Fixtures.T0, "app", "x", "SWITCHBOARD_Q", "v", channel)));
    assertEquals(
        new ChannelEvent.VariableSet("a", Fixtures.T0, "c1", "SWITCHBOARD_Q", "v"), routed.event());
    assertInstanceOf(
        Routing.ToChannel.class,
        mapper.map("a", new AriEvent.ChannelVarset(Fixtures.T0, "app", "x", "DIALSTATUS", "BUSY", channel)));
    assertInstanceOf(
        Routing.Ignored.class,
        mapper.map("a", new AriEvent.ChannelVarset(Fixtures.T0, "app", "x", "SWITCHBOARD_Q", "v", null)));
  }

  @Test
  void stasisStartCarriesTheChannelInfo() {
    AriEventMapper mapper = new AriEventMapper(java.util.Set.of(), java.util.Set.of());
    var start =
        new AriEvent.StasisStart(
            Fixtures.T0, "app", "x", List.of("inbound", "100"), Fixtures.channel("c1"), null);
    var routed = assertInstanceOf(Routing.ToChannel.class, mapper.map("a", start));
    var entered = assertInstanceOf(ChannelEvent.StasisEntered.class, routed.event());
    assertEquals("c1", entered.channel().id());
    assertEquals("+15550001", entered.channel().caller().number());
    assertEquals("in", entered.channel().context());
    assertEquals("100", entered.channel().exten());
    assertEquals(List.of("inbound", "100"), entered.args());
    assertEquals(Optional.empty(), entered.replaceChannelId());
  }

  private static String describe(ChannelEvent e) {
    if (e instanceof ChannelEvent.DialProgress d) {
      return "Dial:" + d.dialStatus();
    }
    if (e instanceof ChannelEvent.StateChanged s) {
      return "State:" + s.state();
    }
    if (e instanceof ChannelEvent.StasisEntered s) {
      return "Stasis:" + s.args();
    }
    if (e instanceof ChannelEvent.EnteredBridge) {
      return "Entered";
    }
    if (e instanceof ChannelEvent.LeftBridge) {
      return "Left";
    }
    if (e instanceof ChannelEvent.HangupRequested h) {
      return "HangupRequest:" + h.cause();
    }
    if (e instanceof ChannelEvent.StasisLeft) {
      return "StasisEnd";
    }
    if (e instanceof ChannelEvent.ChannelDestroyed d) {
      return "Destroyed:" + d.cause();
    }
    return e.getClass().getSimpleName();
  }
}
