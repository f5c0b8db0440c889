package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.switchboard.asterisk.sim.AriSimulator;

/**
 * The calls of the cluster test and what each must do to count as having gone on: what the
 * application answers for each kind ({@link #install}), placing them on the simulated servers,
 * which node runs each, finishing each after a node went away, and the checks every call must pass
 * at the end (its callbacks exactly as in an uninterrupted run, its channel hung up by its own
 * script only, nothing left on any server).
 *
 * <p>A kind of call is a dialled number and the way it is finished ({@link Kind}); ringing legs
 * and bridged calls go in as further kinds once they are durable.
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
    QUEUED
  }

  /** One placed call. {@code position}: its place in its queue (1 = front), 0 for others. */
  record Call(String caller, String server, String channel, String callSid, Kind kind, int queue,
      int position) {}

  private final TestTwimlApp app;
  private final Map<String, AriSimulator> sims;
  private final String token;
  private final Duration wait;
  private final List<Call> calls = new ArrayList<>();
  private final List<Call> agents = new ArrayList<>();
  private int callers;

  ClusterCalls(TestTwimlApp app, Map<String, AriSimulator> sims, String token, Duration wait) {
    this.app = app;
    this.sims = sims;
    this.token = token;
    this.wait = wait;
  }

  /** The application's answers: Gather, Enqueue with a 1 s wait loop, an agent's Dial Queue. */
  static void install(TestTwimlApp app) {
    app.on("/voice", r -> {
      String to = r.param("To");
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
    app.on("/wait", r -> TestTwimlApp.Response.twiml("<Pause length=\"1\"/>"));
    app.on("/gathered", r -> TestTwimlApp.Response.twiml("<Hangup/>"));
    app.on("/left", r -> TestTwimlApp.Response.twiml("<Hangup/>"));
    app.on("/status", r -> TestTwimlApp.Response.empty());
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

  /**
   * Every call of {@code batch} goes on after a node went away, when the application had got
   * {@code since} requests ({@link #mark}): each queued
   * caller's wait loop tells its old position again (in a queue as long as before), then agents
   * dequeue them front first; each Gather caller's digit reaches its action.
   */
  void goOn(List<Call> batch, int since) {
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
   * as an orphan), and nothing left on either server.
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
      long hangups = sims.get(c.server()).log().requests().stream()
          .filter(r -> r.method().equals("DELETE") && r.path().endsWith("/channels/" + c.channel()))
          .count();
      assertEquals(1, hangups, "hangups of " + c + ": its script's only");
    }
    sims.forEach((id, sim) -> awaitTrue(() -> sim.channels().isEmpty() && sim.bridges().isEmpty(),
        "server " + id + " holds nothing: " + sim.channels() + " " + sim.bridges()));
  }

  /**
   * Which node runs each call of {@code batch}, by its live calls in the REST list (the store's
   * ended calls are never {@code in-progress}); waits until each is run by one of {@code nodes}.
   */
  Map<Call, ClusterNodeProcess> nodeOfEach(List<Call> batch, List<ClusterNodeProcess> nodes) {
    Map<Call, ClusterNodeProcess> where = new LinkedHashMap<>();
    awaitTrue(() -> {
      where.clear();
      for (ClusterNodeProcess node : nodes) {
        JsonNode list;
        try {
          list = read(new ApiClient(node.url("/")).twilioGet("/2010-04-01/Accounts/"
              + ACCOUNT + "/Calls.json?Status=in-progress&PageSize=1000", ACCOUNT, token).body());
        } catch (AssertionError unanswered) {
          return false;
        }
        for (JsonNode call : list.path("calls")) {
          for (Call c : batch) {
            if (c.callSid().equals(call.path("sid").asText())) {
              where.put(c, node);
            }
          }
        }
      }
      return where.keySet().containsAll(batch);
    }, "every call listed live by a node");
    return where;
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
