package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.DialBehaviour;
import org.switchboard.asterisk.sim.DialRule;
import org.switchboard.asterisk.sim.SimConfig;
import org.switchboard.http.e2e.ClusterCalls.Call;
import org.switchboard.http.e2e.ClusterCalls.Departure;
import org.switchboard.http.e2e.ClusterCalls.Kind;

/**
 * The dial calls of the cluster test ({@link Kind#RINGING}, {@link Kind#BRIDGED}): what the
 * application answers for them, their legs (found by the numbers they ring and the servers'
 * originations), how each is finished after a node went away, and what its legs, Dial action and
 * recording must show at the end.
 */
final class ClusterDials {
  /** A caller whose {@code <Dial>} rings three legs: {@code +155508<caller's last 4 digits><1-3>}. */
  private static final String RING_TO = "+15550009003";
  /** A caller whose recorded {@code <Dial>} is answered by {@code +155509<last 4 digits>0}. */
  private static final String BRIDGE_TO = "+15550009004";
  private static final String RING_LEG = "+155508";
  private static final String CALLEE = "+155509";
  private static final String LEG_EVENTS =
      " statusCallback=\"/leg\" statusCallbackEvent=\"initiated ringing answered completed\"";
  /** The ringing leg that answers: the middle one of three. */
  private static final int WINNER = 1;

  /** An outbound leg of a dial: the number it rang, its CallSid and channel. */
  record Leg(String number, String callSid, String channel) {}

  private final TestTwimlApp app;
  private final Map<String, AriSimulator> sims;
  private final Duration wait;
  private final Map<Call, List<Leg>> legs = new LinkedHashMap<>();
  /** A bridged call's dial recording (its RecordingSid). */
  private final Map<Call, String> recordings = new HashMap<>();

  ClusterDials(TestTwimlApp app, Map<String, AriSimulator> sims, Duration wait) {
    this.app = app;
    this.sims = sims;
    this.wait = wait;
  }

  /**
   * A simulated server for the test's calls: the ringing legs ring until the test answers one, a
   * bridged call's callee answers after half a second; recordings under {@code recordings}.
   */
  static SimConfig simConfig(Path recordings) {
    return SimConfig.defaults().withApp("switchboard", "switchboard-in")
        .withRecordingsDir(recordings)
        .withDialRules(List.of(new DialRule("*" + RING_LEG + "*", DialBehaviour.parse("no-answer"))),
            DialBehaviour.parse("answer-after-500"));
  }

  /** The number a caller of {@code kind} dials. */
  static String dialled(Kind kind) {
    return kind == Kind.RINGING ? RING_TO : BRIDGE_TO;
  }

  /**
   * The application's answer to a call to {@code to} from {@code from}, if it is a dial call: a
   * Dial of three legs that ring for five minutes, or a recorded Dial to one callee.
   */
  static Optional<TestTwimlApp.Response> answer(String to, String from) {
    String tag = last4(from);
    if (to.equals(RING_TO)) {
      StringBuilder nouns = new StringBuilder();
      for (int i = 1; i <= 3; i++) {
        nouns.append("<Number").append(LEG_EVENTS).append('>').append(RING_LEG).append(tag)
            .append(i).append("</Number>");
      }
      return Optional.of(TestTwimlApp.Response.twiml(
          "<Dial action=\"/dialed\" timeout=\"300\">" + nouns + "</Dial>"));
    }
    if (to.equals(BRIDGE_TO)) {
      return Optional.of(TestTwimlApp.Response.twiml("<Dial action=\"/dialed\""
          + " record=\"record-from-answer\" recordingStatusCallback=\"/dialrec\"><Number"
          + LEG_EVENTS + ">" + CALLEE + tag + "0</Number></Dial>"));
    }
    return Optional.empty();
  }

  /**
   * The dial call {@code c} was placed: waits until every leg rang (its {@code ringing} callback)
   * and notes its channel; a bridged call's caller and callee are then bridged and recorded.
   */
  void placed(Call c) {
    String tag = last4(c.caller());
    List<String> numbers = new ArrayList<>();
    if (c.kind() == Kind.RINGING) {
      for (int leg = 1; leg <= 3; leg++) {
        numbers.add(RING_LEG + tag + leg);
      }
    } else {
      numbers.add(CALLEE + tag + "0");
    }
    List<Leg> rang = new ArrayList<>();
    for (String number : numbers) {
      String legSid = app.await(r -> r.path().equals("/leg") && number.equals(r.param("To"))
          && "ringing".equals(r.param("CallStatus")), "ringing of " + number, wait)
          .param("CallSid");
      rang.add(new Leg(number, legSid, originated(c.server(), number)));
    }
    legs.put(c, rang);
    if (c.kind() == Kind.BRIDGED) {
      AriSimulator sim = sims.get(c.server());
      awaitTrue(() -> bridgeOf(c).isPresent() && recordingOf(c)
              .filter(sim.liveRecordings()::contains).isPresent(),
          "caller " + c + " bridged with " + rang.get(0) + " and recorded");
      recordings.put(c, recordingOf(c).orElseThrow());
    }
  }

  /** The legs of every dial call of {@code batch}, by CallSid. */
  List<String> legSids(Collection<Call> batch) {
    List<String> out = new ArrayList<>();
    batch.forEach(c -> legs.getOrDefault(c, List.of()).forEach(l -> out.add(l.callSid())));
    return out;
  }

  /** Whether a dial call of {@code batch}, or one of its legs, ran on the node that went. */
  boolean touched(Collection<Call> batch, Departure departure) {
    return batch.stream().filter(legs::containsKey).anyMatch(c ->
        departure.wasOnGone(c.callSid())
            || legs.get(c).stream().anyMatch(l -> departure.wasOnGone(l.callSid())));
  }

  /**
   * Every dial call of {@code batch} goes on after {@code departure}: once taken back, each
   * ringing dial has its middle leg answered, which wins (the others are cancelled) and is
   * bridged, then the leg hangs up; each bridged dial, still bridged, ends when its callee hangs
   * up (its Dial action and recording follow).
   */
  void goOn(Collection<Call> batch, Departure departure) {
    List<Call> mine = batch.stream().filter(legs::containsKey).toList();
    mine.forEach(c -> awaitTakenBack(c, departure));
    for (Call c : mine) {
      if (c.kind() == Kind.RINGING) {
        answerMiddleLeg(c);
      } else {
        calleeHangsUp(c);
      }
    }
  }

  /**
   * The dial of {@code c} and its legs run again after {@code departure}: a dial that ran on the
   * node that went was taken back on another node (it logs so), and each leg whose entity ran
   * there was taken back from the store (it asked the server about its channel since). A call or
   * leg elsewhere never stopped.
   */
  private void awaitTakenBack(Call c, Departure departure) {
    if (departure.wasOnGone(c.callSid())) {
      awaitTrue(() -> departure.loggedSince(c.callSid() + " <Dial> taken back"),
          "the dial of " + c + " taken back on another node");
    }
    for (Leg leg : legs.get(c)) {
      if (departure.wasOnGone(leg.callSid())) {
        awaitTrue(() -> lookedUpSince(c.server(), leg.channel(), departure.at()),
            "leg " + leg + " of " + c + " taken back after " + departure.gone().name() + " went");
      }
    }
  }

  /**
   * The middle leg of the ringing dial {@code c} answers: it wins, the other two are cancelled,
   * it is bridged with the caller; then it hangs up and the Dial action reports the bridge.
   */
  private void answerMiddleLeg(Call c) {
    AriSimulator sim = sims.get(c.server());
    List<Leg> rang = legs.get(c);
    Leg winner = rang.get(WINNER);
    sim.answerLeg(winner.channel());
    for (Leg leg : rang) {
      if (leg != winner) {
        app.await(r -> r.path().equals("/leg") && leg.callSid().equals(r.param("CallSid"))
            && "canceled".equals(r.param("CallStatus")), "canceled of " + leg + " of " + c, wait);
      }
    }
    awaitTrue(() -> bridgeOf(c).isPresent(), "caller " + c + " bridged with " + winner);
    sim.callerHangup(winner.channel());
    dialed(c, winner);
  }

  /**
   * The callee of the bridged dial {@code c}, still bridged with the caller, hangs up: the Dial
   * action reports the bridge and its recording, and the recording's callback arrives.
   */
  private void calleeHangsUp(Call c) {
    Leg callee = legs.get(c).get(0);
    assertTrue(bridgeOf(c).isPresent(), "the bridge of " + c + " outlived the node");
    sims.get(c.server()).callerHangup(callee.channel());
    TestTwimlApp.Request dialed = dialed(c, callee);
    assertEquals(recordings.get(c), dialed.param("RecordingSid"), "RecordingSid of " + c);
    TestTwimlApp.Request recorded = app.await("/dialrec", c.callSid(), wait);
    assertEquals("completed", recorded.param("RecordingStatus"), "RecordingStatus of " + c);
    assertEquals(recordings.get(c), recorded.param("RecordingSid"), "RecordingSid of " + c);
  }

  /** The Dial action of {@code c}: completed, bridged with {@code leg}. */
  private TestTwimlApp.Request dialed(Call c, Leg leg) {
    TestTwimlApp.Request dialed = app.await("/dialed", c.callSid(), wait);
    assertEquals("completed", dialed.param("DialCallStatus"), "DialCallStatus of " + c);
    assertEquals(leg.callSid(), dialed.param("DialCallSid"), "DialCallSid of " + c);
    assertEquals("true", dialed.param("DialBridged"), "DialBridged of " + c);
    return dialed;
  }

  /**
   * Every leg's callbacks as in an uninterrupted run (the winner and the callee answered and
   * completed, the losers cancelled), each leg hung up only when cancelled (never as an orphan),
   * one Dial action per dial and one recording callback per recorded one.
   */
  void verify() {
    legs.forEach((c, rang) -> {
      for (Leg leg : rang) {
        boolean answered = c.kind() == Kind.BRIDGED || leg == rang.get(WINNER);
        List<String> expected = answered
            ? List.of("initiated:0", "ringing:1", "in-progress:2", "completed:3")
            : List.of("initiated:0", "ringing:1", "canceled:2");
        assertEquals(expected, app.requests().stream()
            .filter(r -> r.path().equals("/leg") && leg.callSid().equals(r.param("CallSid")))
            .map(r -> r.param("CallStatus") + ":" + r.param("SequenceNumber")).toList(),
            "callbacks of leg " + leg + " of " + c);
        assertEquals(answered ? 0 : 1, ClusterCalls.hangups(sims.get(c.server()), leg.channel()),
            "hangups of leg " + leg + " of " + c + ": a loser cancelled once, none an orphan");
      }
      assertEquals(1, requests("/dialed", c), "Dial actions of " + c);
      assertEquals(c.kind() == Kind.BRIDGED ? 1 : 0, requests("/dialrec", c),
          "recording callbacks of " + c);
    });
  }

  /**
   * How long after {@code departure} server {@code server} was asked for its channels ({@code GET
   * /channels}): the resync of the node that holds its event socket from then on, once connected.
   */
  Optional<Duration> resyncedAfter(String server, Departure departure) {
    return sims.get(server).log().requests().stream()
        .filter(r -> r.method().equals("GET") && r.path().endsWith("/channels")
            && !r.at().isBefore(departure.at()))
        .map(r -> Duration.between(departure.at(), r.at()))
        .findFirst();
  }

  private long requests(String path, Call c) {
    return app.requests().stream()
        .filter(r -> r.path().equals(path) && c.callSid().equals(r.param("CallSid"))).count();
  }

  private boolean lookedUpSince(String server, String channel, Instant since) {
    return sims.get(server).log().requests().stream().anyMatch(r -> r.method().equals("GET")
        && r.path().endsWith("/channels/" + channel) && !r.at().isBefore(since));
  }

  /** The channel id the node originated to {@code number} on {@code server} ({@code POST /channels}). */
  private String originated(String server, String number) {
    for (var r : sims.get(server).log().requests()) {
      if (r.method().equals("POST") && r.path().endsWith("/channels") && r.query() != null) {
        Map<String, String> q = query(r.query());
        if (q.getOrDefault("endpoint", "").contains(number)) {
          return q.get("channelId");
        }
      }
    }
    throw new AssertionError("no origination to " + number + " on " + server);
  }

  /** The bridge holding the caller of {@code c} and its answering leg, if up. */
  private Optional<AriSimulator.BridgeView> bridgeOf(Call c) {
    String leg = legs.get(c).get(c.kind() == Kind.RINGING ? WINNER : 0).channel();
    return sims.get(c.server()).bridges().stream()
        .filter(b -> b.channels().contains(c.channel()) && b.channels().contains(leg))
        .findFirst();
  }

  /** The name of the recording the node started on the bridge of {@code c}, if it did. */
  private Optional<String> recordingOf(Call c) {
    for (var r : sims.get(c.server()).log().requests()) {
      if (r.method().equals("POST") && r.path().contains("/bridges/" + c.callSid() + "-br-")
          && r.path().endsWith("/record") && r.query() != null) {
        return Optional.ofNullable(query(r.query()).get("name"));
      }
    }
    return Optional.empty();
  }

  private static Map<String, String> query(String query) {
    Map<String, String> q = new HashMap<>();
    for (String pair : query.split("&")) {
      String[] kv = pair.split("=", 2);
      q.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return q;
  }

  private static String last4(String number) {
    return number == null || number.length() < 4 ? "0000" : number.substring(number.length() - 4);
  }

  private void awaitTrue(Supplier<Boolean> condition, String what) {
    ClusterNodeProcess.awaitTrue(condition, what, wait);
  }
}
