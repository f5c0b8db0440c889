package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import org.switchboard.asterisk.sim.AriSimulator;

/**
 * The calls of the cluster test and what each must do to count as having gone on: what the
 * application answers for each kind ({@link #install}), placing them on the simulated servers,
 * which node runs each, finishing each after a node went away, and the checks every call must pass
 * at the end (its callbacks exactly as in an uninterrupted run, its channel hung up by its own
 * script only, nothing left on any server).
 *
 * <p>A kind of call is a dialled number and the way it is finished ({@link Kind}).
 */
final class ClusterCalls {
  /** A caller waiting for one digit; finished by pressing it: the action runs, then hangup. */
  static final String GATHER_TO = "+15550009001";
  /** A caller in queue q{n} is at {@code +1555000910n}, the agent dequeuing it at {@code …920n}. */
  private static final String QUEUE_TO = "+155500091";
  private static final String AGENT_TO = "+155500092";
  private static final String ACCOUNT = "AC00000000000000000000000000000000";

  /** What a call is doing while nodes go away. */
  enum Kind {
    GATHER,
    QUEUED,
    /** A simultaneous {@code <Dial>} of three legs that ring until the test answers one. */
    RINGING,
    /** A recorded {@code <Dial>} to one callee, answered and bridged until the callee hangs up. */
    BRIDGED
  }

  /**
   * Node {@code gone} goes away at {@code at}: where the calls and legs of a batch ran before
   * (CallSid to node), the nodes left, and how many lines each had written by then.
   */
  record Departure(ClusterNodeProcess gone, Instant at, Map<String, ClusterNodeProcess> before,
      List<ClusterNodeProcess> rest, Map<ClusterNodeProcess, Integer> linesBefore) {
    /** {@code gone} goes away now; the calls and legs ran {@code before}, {@code rest} stay. */
    static Departure now(ClusterNodeProcess gone, Map<String, ClusterNodeProcess> before,
        List<ClusterNodeProcess> rest) {
      Map<ClusterNodeProcess, Integer> lines = new HashMap<>();
      rest.forEach(n -> lines.put(n, n.lineCount()));
      return new Departure(gone, Instant.now(), Map.copyOf(before), List.copyOf(rest), lines);
    }

    boolean wasOnGone(String callSid) {
      return before.get(callSid) == gone;
    }

    /** Whether a node left wrote a line with {@code text} since. */
    boolean loggedSince(String text) {
      return rest.stream().anyMatch(n -> !n.linesWith(text, linesBefore.get(n)).isEmpty());
    }
  }

  /** When the application got a request of {@code path} for {@code callSid}. */
  private record Seen(Instant at, String path, String callSid) {}

  /** One placed call. {@code position}: its place in its queue (1 = front), 0 for others. */
  record Call(String caller, String server, String channel, String callSid, Kind kind, int queue,
      int position) {}

  private final TestTwimlApp app;
  private final Map<String, AriSimulator> sims;
  private final String token;
  private final Duration wait;
  private final List<Call> calls = new ArrayList<>();
  private final List<Call> agents = new ArrayList<>();
  private final ClusterDials dials;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private int callers;

  ClusterCalls(TestTwimlApp app, Map<String, AriSimulator> sims, String token, Duration wait) {
    this.app = app;
    this.sims = sims;
    this.token = token;
    this.wait = wait;
    this.dials = new ClusterDials(app, sims, wait);
  }

  /**
   * The application's answers: Gather, Enqueue with a 1 s wait loop, an agent's Dial Queue, a
   * Dial of three ringing legs, a recorded Dial to one callee; each request's arrival is noted.
   */
  void install() {
    on("/voice", r -> {
      String to = r.param("To");
      Optional<TestTwimlApp.Response> dial = ClusterDials.answer(to, r.param("From"));
      if (dial.isPresent()) {
        return dial.get();
      }
      if (to.startsWith(QUEUE_TO)) {
        return TestTwimlApp.Response.twiml("<Enqueue waitUrl=\"/wait\" action=\"/left\">q"
            + to.substring(QUEUE_TO.length() + 1) + "</Enqueue>");
      }
      if (to.startsWith(AGENT_TO)) {
        return TestTwimlApp.Response.twiml("<Dial><Queue>q" + to.substring(AGENT_TO.length() + 1)
            + "</Queue></Dial>");
      }
      return TestTwimlApp.Response.twiml("<Gather numDigits=\"1\" timeout=\"300\""
          + " action=\"/gathered\"/>");
    });
    on("/wait", r -> TestTwimlApp.Response.twiml("<Pause length=\"1\"/>"));
    on("/gathered", r -> TestTwimlApp.Response.twiml("<Hangup/>"));
    on("/left", r -> TestTwimlApp.Response.twiml("<Hangup/>"));
    on("/dialed", r -> TestTwimlApp.Response.twiml("<Hangup/>"));
    for (String path : List.of("/status", "/leg", "/dialrec")) {
      on(path, r -> TestTwimlApp.Response.empty());
    }
  }

  private void on(String path, Function<TestTwimlApp.Request, TestTwimlApp.Response> answer) {
    app.on(path, r -> {
      seen.add(new Seen(Instant.now(), path, String.valueOf(r.param("CallSid"))));
      return answer.apply(r);
    });
  }

  /** Places {@code n} Gather callers, alternating over the servers. */
  List<Call> gathers(int n) {
    List<Call> placed = new ArrayList<>();
    List<String> servers = List.copyOf(sims.keySet());
    for (int i = 0; i < n; i++) {
      String server = servers.get(i % servers.size());
      String caller = nextCaller();
      String channel = sims.get(server).inboundCall(caller, GATHER_TO);
      placed.add(new Call(caller, server, channel, awaitVoice(caller), Kind.GATHER, 0, 0));
    }
    calls.addAll(placed);
    return placed;
  }

  /**
   * Places {@code n} callers in queue q{@code queue}, alternating over the servers, each after the
   * one before is in the queue: their positions are 1..n.
   */
  List<Call> queued(int queue, int n) {
    List<Call> placed = new ArrayList<>();
    List<String> servers = List.copyOf(sims.keySet());
    for (int i = 0; i < n; i++) {
      String server = servers.get(i % servers.size());
      String caller = nextCaller();
      String channel = sims.get(server).inboundCall(caller, QUEUE_TO + "0" + queue);
      String sid = awaitVoice(caller);
      int expected = i + 1;
      app.await(r -> r.path().equals("/wait") && sid.equals(r.param("CallSid"))
          && String.valueOf(expected).equals(r.param("QueuePosition")),
          "the wait loop of " + sid + " at position " + expected, wait);
      placed.add(new Call(caller, server, channel, sid, Kind.QUEUED, queue, expected));
    }
    calls.addAll(placed);
    return placed;
  }

  /** Places {@code n} callers whose {@code <Dial>} rings three legs ({@link ClusterDials}). */
  List<Call> ringing(int n) {
    return dials(n, Kind.RINGING);
  }

  /** Places {@code n} callers whose recorded {@code <Dial>} is answered and bridged. */
  List<Call> bridged(int n) {
    return dials(n, Kind.BRIDGED);
  }

  private List<Call> dials(int n, Kind kind) {
    List<Call> placed = new ArrayList<>();
    List<String> servers = List.copyOf(sims.keySet());
    for (int i = 0; i < n; i++) {
      String server = servers.get(i % servers.size());
      String caller = nextCaller();
      String channel = sims.get(server).inboundCall(caller, ClusterDials.dialled(kind));
      Call c = new Call(caller, server, channel, awaitVoice(caller), kind, 0, 0);
      dials.placed(c);
      placed.add(c);
    }
    calls.addAll(placed);
    return placed;
  }

  /**
   * Every call of {@code batch} goes on after a node went away ({@code departure}), when the
   * application had got {@code since} requests ({@link #mark}): each queued caller's wait loop
   * tells its old position again (in a queue as long as before), then agents dequeue them front
   * first; each ringing dial, once taken back, has its middle leg answered, which wins (the others
   * are cancelled) and is bridged, and the leg hangs up; each bridged dial, still bridged, ends
   * when its callee hangs up (its Dial action and recording follow); each Gather caller's digit
   * reaches its action.
   */
  void goOn(List<Call> batch, int since, Departure departure) {
    Map<Integer, List<Call>> queues = new LinkedHashMap<>();
    for (Call c : batch) {
      if (c.kind() == Kind.QUEUED) {
        queues.computeIfAbsent(c.queue(), q -> new ArrayList<>()).add(c);
      }
    }
    for (List<Call> queue : queues.values()) {
      for (Call c : queue) {
        String size = String.valueOf(queue.size());
        awaitTrue(() -> {
          List<TestTwimlApp.Request> after = app.requests();
          return after.subList(since, after.size()).stream().anyMatch(r ->
              r.path().equals("/wait") && c.callSid().equals(r.param("CallSid"))
                  && String.valueOf(c.position()).equals(r.param("QueuePosition"))
                  && size.equals(r.param("CurrentQueueSize")));
        },
            c.callSid() + " back at position " + c.position() + " of " + size);
      }
    }
    for (List<Call> queue : queues.values()) {
      for (Call c : queue) {
        dequeue(c);
      }
    }
    dials.goOn(batch, departure);
    for (Call c : batch) {
      if (c.kind() == Kind.GATHER) {
        pressUntilGathered(c);
      }
    }
  }

  /** Each call of {@code batch} ended with its callbacks complete and in order. */
  void allCompleted(Collection<Call> batch) {
    for (Call c : batch) {
      app.await(r -> r.path().equals("/status") && c.callSid().equals(r.param("CallSid"))
          && "completed".equals(r.param("CallStatus")), "completed of " + c.callSid(), wait);
    }
  }

  /**
   * The end of the test: every call's status callbacks exactly as in an uninterrupted run (each
   * once, in order, numbered 0..3), every caller's channel hung up once, by its own script (never
   * as an orphan), every leg's callbacks as in an uninterrupted run (the winner and the callee
   * answered and completed, the losers cancelled) and hung up only when cancelled, one Dial action
   * per dial and one recording callback per recorded one, and nothing left on either server.
   */
  void verify() {
    List<Call> all = new ArrayList<>(calls);
    all.addAll(agents);
    allCompleted(all);
    for (Call c : all) {
      List<String> statuses = app.requests().stream()
          .filter(r -> r.path().equals("/status") && c.callSid().equals(r.param("CallSid")))
          .map(r -> r.param("CallStatus") + ":" + r.param("SequenceNumber")).toList();
      assertEquals(List.of("initiated:0", "ringing:1", "in-progress:2", "completed:3"), statuses,
          "callbacks of " + c);
    }
    for (Call c : calls) {
      assertEquals(1, hangups(sims.get(c.server()), c.channel()),
          "hangups of " + c + ": its script's only");
    }
    dials.verify();
    sims.forEach((id, sim) -> awaitTrue(() -> sim.channels().isEmpty() && sim.bridges().isEmpty(),
        "server " + id + " holds nothing: " + sim.channels() + " " + sim.bridges()));
  }

  /** How often {@code channel} was hung up on {@code sim} ({@code DELETE /channels/{id}}). */
  static long hangups(AriSimulator sim, String channel) {
    return sim.log().requests().stream()
        .filter(r -> r.method().equals("DELETE") && r.path().endsWith("/channels/" + channel))
        .count();
  }

  /**
   * Which node runs each call of {@code batch}, by its live calls in the REST list (the store's
   * ended calls are never {@code in-progress}); waits until each is run by one of {@code nodes}.
   */
  Map<Call, ClusterNodeProcess> nodeOfEach(List<Call> batch, List<ClusterNodeProcess> nodes) {
    Map<String, ClusterNodeProcess> bySid = live(batch.stream().map(Call::callSid).toList(),
        nodes, List.of("in-progress"));
    Map<Call, ClusterNodeProcess> where = new LinkedHashMap<>();
    batch.forEach(c -> where.put(c, bySid.get(c.callSid())));
    return where;
  }

  /**
   * Which node runs each call and leg of {@code batch} (CallSid to node), by the live calls and
   * legs in the REST lists (ringing or in progress); waits until each is run by one of {@code
   * nodes}.
   */
  Map<String, ClusterNodeProcess> whereLive(Collection<Call> batch,
      List<ClusterNodeProcess> nodes) {
    List<String> sids = new ArrayList<>(batch.stream().map(Call::callSid).toList());
    sids.addAll(dials.legSids(batch));
    return live(sids, nodes, List.of("ringing", "in-progress"));
  }

  private Map<String, ClusterNodeProcess> live(List<String> sids,
      List<ClusterNodeProcess> nodes, List<String> statuses) {
    Map<String, ClusterNodeProcess> where = new LinkedHashMap<>();
    awaitTrue(() -> {
      where.clear();
      for (ClusterNodeProcess node : nodes) {
        for (String status : statuses) {
          JsonNode list;
          try {
            list = read(new ApiClient(node.url("/")).twilioGet("/2010-04-01/Accounts/" + ACCOUNT
                + "/Calls.json?Status=" + status + "&PageSize=1000", ACCOUNT, token).body());
          } catch (AssertionError unanswered) {
            return false;
          }
          for (JsonNode call : list.path("calls")) {
            String sid = call.path("sid").asText();
            if (sids.contains(sid)) {
              where.put(sid, node);
            }
          }
        }
      }
      return where.keySet().containsAll(sids);
    }, "every call and leg listed live by a node");
    return where;
  }

  /**
   * How long after {@code departure} the application got the first request of a call that ran on
   * the node that went and was taken back on another node: a queued caller's wait document,
   * requested again once it rejoined its queue, if such a call made one. Only requests after the
   * first resync since the departure count: a call is taken back by a resync, and a request the
   * dead node sent just before it died may still arrive after it.
   */
  Optional<Duration> firstStepOfATakenBackCall(Departure departure) {
    Optional<Instant> resynced = sims.keySet().stream()
        .flatMap(id -> dials.resyncedAfter(id, departure).stream())
        .min(Duration::compareTo).map(departure.at()::plus);
    return resynced.flatMap(after -> seen.stream()
        .filter(x -> !x.at().isBefore(after) && departure.wasOnGone(x.callSid())
            && x.path().equals("/wait"))
        .map(x -> Duration.between(departure.at(), x.at()))
        .min(Duration::compareTo));
  }

  /** Whether a dial call of {@code batch}, or one of its legs, ran on the node that went. */
  boolean dialTouched(Collection<Call> batch, Departure departure) {
    return dials.touched(batch, departure);
  }

  /** How long after {@code departure} server {@code server} was resynced ({@link ClusterDials}). */
  Optional<Duration> resyncedAfter(String server, Departure departure) {
    return dials.resyncedAfter(server, departure);
  }

  private void dequeue(Call c) {
    String agent = nextCaller();
    String channel = sims.get(c.server()).inboundCall(agent, AGENT_TO + "0" + c.queue());
    Call a = new Call(agent, c.server(), channel, awaitVoice(agent), Kind.GATHER, 0, 0);
    agents.add(a);
    // Front first: the agent is bridged with exactly the caller whose turn it is.
    awaitTrue(() -> sims.get(c.server()).bridges().stream().anyMatch(b ->
        b.channels().contains(channel) && b.channels().contains(c.channel())),
        "agent " + agent + " bridged with " + c + " (bridges "
            + sims.get(c.server()).bridges() + ")");
    sims.get(c.server()).callerHangup(channel);
    TestTwimlApp.Request left = app.await("/left", c.callSid(), wait);
    assertEquals("bridged", left.param("QueueResult"), "QueueResult of " + c);
  }

  /**
   * Presses the caller's digit until its action is requested: a call resumed on another node
   * listens again only once its Gather restarted, and a digit pressed before is dropped (as on
   * Asterisk, where nobody listens meanwhile).
   */
  private void pressUntilGathered(Call c) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      sims.get(c.server()).pressDtmf(c.channel(), "1");
      try {
        assertEquals("1", app.await("/gathered", c.callSid(), Duration.ofSeconds(3))
            .param("Digits"));
        return;
      } catch (AssertionError notYet) {
        // the Gather was not listening yet
      }
    }
    throw new AssertionError("no /gathered for " + c);
  }

  /** How many requests the application has got: what {@link #goOn} looks at is after it. */
  int mark() {
    return app.requests().size();
  }

  private static JsonNode read(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  private String nextCaller() {
    return "+1555010" + String.format("%04d", ++callers);
  }

  private String awaitVoice(String caller) {
    TestTwimlApp.Request voice = app.await(
        r -> r.path().equals("/voice") && caller.equals(r.param("From")),
        "/voice from " + caller, wait);
    assertTrue(voice.signatureValid(), "X-Twilio-Signature of " + voice);
    return voice.param("CallSid");
  }

  private void awaitTrue(Supplier<Boolean> condition, String what) {
    ClusterNodeProcess.awaitTrue(condition, what, wait);
  }
}
