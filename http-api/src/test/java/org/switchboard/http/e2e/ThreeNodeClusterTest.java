package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.SimConfig;

/**
 * A real cluster: three {@code Main} processes on loopback (each its own HTTP port and Pekko
 * remoting port, seed nodes from its configuration file) and two simulated Asterisk servers,
 * {@code a} and {@code b}, every node configured with both.
 *
 * <p>What holds now, and is asserted: each server's event socket is held by exactly one node
 * (/health: one {@code owner}, the others {@code standby}); calls on both servers run, spread over
 * the nodes; after kill -9 of the node that owns the links, another node owns both promptly
 * ({@link #TAKEOVER}; the time is printed),
 * new calls on both servers run there, the calls that ran on the surviving nodes continue (their
 * next verb runs), and nothing is left on either server but the channels of calls that still run
 * (the resync hangs up the killed node's orphans); after SIGTERM of the new owner it drains and
 * exits 0, the last node owns both links and new calls run.
 *
 * <p>What the durable call store (issue 19's other half) will add here: the calls that ran on the
 * killed node continue on a surviving node instead of being hung up as orphans (next verb runs,
 * bridged calls stay bridged, queued callers keep their position), and the SIGTERM'd node's live
 * calls move with its shards instead of being ended by the drain deadline. The place for those
 * assertions is {@link #callsOfTheKilledNode}: today it asserts that those calls ended cleanly
 * (channel hung up, nothing leaked); with the store it asserts that they reach {@code /gathered}
 * like the others.
 */
class ThreeNodeClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(180);
  /**
   * The bound on kill -9 → links held again. The target is 10 s (issue 19); measured 8-12 s on
   * the shared 2-core build machine at load 20 (printed by each run, docs/cluster.md), where the
   * failure detector alone sees heartbeats late by 1-3 s. The bound is the target plus that
   * margin, so the test checks that the takeover happens by itself and promptly, not the load.
   */
  private static final Duration TAKEOVER = Duration.ofSeconds(20);
  private static final String TOKEN = "cluster-test-token-0123456789abcdef";
  private static final String ACCOUNT = "AC00000000000000000000000000000000";
  private static final List<String> SERVERS = List.of("a", "b");

  private final Map<String, AriSimulator> sims = new LinkedHashMap<>();
  private final Map<String, String> serverOfCaller = new LinkedHashMap<>();
  private final Map<String, String> channelOfCaller = new LinkedHashMap<>();
  private final List<ClusterNodeProcess> nodes = new ArrayList<>();
  private TestTwimlApp app;
  private int callers;

  @Test
  void linksMoveToAnotherNodeWhenTheirOwnerIsKilledOrLeaves() throws Exception {
    Path dir = Files.createTempDirectory("switchboard-cluster");
    app = new TestTwimlApp(TOKEN);
    app.on("/voice", r -> TestTwimlApp.Response.twiml(
        "<Gather numDigits=\"1\" timeout=\"300\" action=\"/gathered\"/>"));
    app.on("/gathered", r -> TestTwimlApp.Response.twiml("<Hangup/>"));
    try {
      List<ClusterNodeProcess.Server> servers = new ArrayList<>();
      for (String id : SERVERS) {
        AriSimulator sim = new AriSimulator(id + "-");
        sims.put(id, sim);
        servers.add(new ClusterNodeProcess.Server(id,
            sim.start(SimConfig.defaults().withApp("switchboard", "switchboard-in"))));
      }
      List<Integer> ports = List.of(ClusterNodeProcess.freePort(), ClusterNodeProcess.freePort(),
          ClusterNodeProcess.freePort());
      // The first seed first: three JVMs starting at once on two cores delay heartbeats enough
      // for a joining node to be taken for dead.
      nodes.add(ClusterNodeProcess.start("node1", dir, ports.get(0), ports, servers,
          app.url("/voice"), TOKEN));
      awaitOneOwnerPerServer(nodes);
      for (int i = 1; i < 3; i++) {
        nodes.add(ClusterNodeProcess.start("node" + (i + 1), dir, ports.get(i), ports, servers,
            app.url("/voice"), TOKEN));
      }
      Map<String, ClusterNodeProcess> owners = awaitOneOwnerPerServer(nodes);

      // Calls on both servers, spread over the nodes.
      List<String> before = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        before.add(placeCall(SERVERS.get(i % 2)));
      }
      Map<String, String> callSids = new LinkedHashMap<>();
      for (String caller : before) {
        callSids.put(caller, awaitVoice(caller).param("CallSid"));
      }
      Map<String, ClusterNodeProcess> nodeOfCall = new LinkedHashMap<>();
      awaitTrue(() -> {
        nodeOfCall.clear();
        nodeOfCall.putAll(nodeOfEachCall(callSids.values()));
        return nodeOfCall.keySet().equals(Set.copyOf(callSids.values()));
      }, "every call listed live by one node");
      Set<ClusterNodeProcess> running = new HashSet<>(nodeOfCall.values());
      assertTrue(running.size() >= 2, "12 calls ran on one node only: " + nodeOfCall);

      // kill -9 of the node that owns the links.
      ClusterNodeProcess killed = owners.get("a");
      long killedAt = System.nanoTime();
      killed.kill();
      List<ClusterNodeProcess> survivors = nodes.stream().filter(n -> n != killed).toList();
      awaitTrue(() -> survivors.stream().anyMatch(n -> SERVERS.stream()
              .allMatch(server -> n.role(server).filter("owner"::equals).isPresent())),
          "a surviving node owns every link");
      Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
      Map<String, ClusterNodeProcess> next = awaitOneOwnerPerServer(survivors);
      System.out.println("links owned again " + takeover.toMillis() + " ms after kill -9 of "
          + killed.name() + ": " + describe(next));
      assertTrue(takeover.compareTo(TAKEOVER) <= 0,
          "links taken over after " + takeover.toMillis() + " ms (limit " + TAKEOVER.toMillis()
              + " ms)");

      // The calls that ran on the surviving nodes go on: their next verb runs.
      for (String caller : before) {
        String sid = callSids.get(caller);
        if (nodeOfCall.get(sid) != killed) {
          sims.get(serverOfCaller.get(caller)).pressDtmf(channelOfCaller.get(caller), "1");
          app.await("/gathered", sid, WAIT);
        }
      }
      callsOfTheKilledNode(before, callSids, nodeOfCall, killed);
      // New calls on both servers run at the new owner.
      runNewCallOnEachServer();
      awaitServersHoldNothing();

      // SIGTERM of the node that owns the links now: it drains, hands them over, exits 0.
      ClusterNodeProcess leaving = next.get("a");
      leaving.terminate();
      Optional<Integer> status = leaving.awaitExit(WAIT);
      assertEquals(Optional.of(0), status, leaving.tail(40));
      List<ClusterNodeProcess> last = survivors.stream().filter(n -> n != leaving).toList();
      Map<String, ClusterNodeProcess> finalOwners = awaitOneOwnerPerServer(last);
      System.out.println("after SIGTERM of " + leaving.name() + ": " + describe(finalOwners));
      runNewCallOnEachServer();
      awaitServersHoldNothing();
    } catch (AssertionError | RuntimeException e) {
      StringBuilder tails = new StringBuilder(String.valueOf(e.getMessage()));
      nodes.forEach(n -> tails.append('\n').append(n.tail(30)));
      throw new AssertionError(tails.toString(), e);
    } finally {
      nodes.forEach(ClusterNodeProcess::close);
      sims.values().forEach(AriSimulator::close);
      app.close();
    }
  }

  /**
   * The calls that ran on the killed node. Until calls are durable they are lost with it; what
   * holds is that they end cleanly: the new owner's resync finds their channels without a call and
   * hangs them up, so nothing stays up on the servers ({@link #awaitServersHoldNothing}).
   * With the durable store (issue 19), this is where each of them is asserted to reach {@code
   * /gathered} after its digit, like the calls of the surviving nodes.
   */
  private void callsOfTheKilledNode(List<String> callers, Map<String, String> callSids,
      Map<String, ClusterNodeProcess> nodeOfCall, ClusterNodeProcess killed) {
    for (String caller : callers) {
      if (nodeOfCall.get(callSids.get(caller)) == killed) {
        AriSimulator sim = sims.get(serverOfCaller.get(caller));
        String channel = channelOfCaller.get(caller);
        awaitTrue(() -> sim.channels().stream().noneMatch(c -> c.id().equals(channel)),
            "the channel " + channel + " of a call of the killed node is hung up");
      }
    }
  }

  private void runNewCallOnEachServer() {
    for (String server : SERVERS) {
      String caller = placeCall(server);
      String sid = awaitVoice(caller).param("CallSid");
      sims.get(server).pressDtmf(channelOfCaller.get(caller), "1");
      app.await("/gathered", sid, WAIT);
      String channel = channelOfCaller.get(caller);
      awaitTrue(() -> sims.get(server).channels().stream().noneMatch(c -> c.id().equals(channel)),
          "the new call on " + server + " hung up by its <Hangup/>");
    }
  }

  /** Every call has ended (its digit pressed, or hung up as an orphan): nothing left on either server. */
  private void awaitServersHoldNothing() {
    sims.forEach((id, sim) -> awaitTrue(() -> sim.channels().isEmpty() && sim.bridges().isEmpty(),
        "server " + id + " holds nothing: " + sim.channels()));
  }

  private String placeCall(String server) {
    String caller = "+1555010" + String.format("%04d", ++callers);
    serverOfCaller.put(caller, server);
    channelOfCaller.put(caller, sims.get(server).inboundCall(caller, "+15550009999"));
    return caller;
  }

  private TestTwimlApp.Request awaitVoice(String caller) {
    TestTwimlApp.Request voice = app.await(
        r -> r.path().equals("/voice") && caller.equals(r.param("From")),
        "/voice from " + caller, WAIT);
    assertTrue(voice.signatureValid(), "X-Twilio-Signature of " + voice);
    return voice;
  }

  /** Waits until each server has exactly one owner among {@code among}, every other a standby. */
  private Map<String, ClusterNodeProcess> awaitOneOwnerPerServer(List<ClusterNodeProcess> among) {
    Map<String, ClusterNodeProcess> owners = new LinkedHashMap<>();
    awaitTrue(() -> {
      owners.clear();
      for (String server : SERVERS) {
        List<ClusterNodeProcess> owning = new ArrayList<>();
        for (ClusterNodeProcess node : among) {
          Optional<String> role = node.role(server);
          if (role.isEmpty()) {
            return false;
          }
          if (role.get().equals("owner")) {
            owning.add(node);
          } else if (!role.get().equals("standby")) {
            return false;
          }
        }
        if (owning.size() != 1) {
          return false;
        }
        owners.put(server, owning.get(0));
      }
      // The standbys name the owner.
      for (String server : SERVERS) {
        String owner = owners.get(server).address();
        for (ClusterNodeProcess node : among) {
          if (!node.link(server).map(l -> l.path("owner").asText()).orElse("").equals(owner)) {
            return false;
          }
        }
      }
      return true;
    }, "each server owned by exactly one of " + among.stream().map(ClusterNodeProcess::name).toList());
    return Map.copyOf(owners);
  }

  /** Which node runs each call: its live calls in the REST list (Calls.json, live calls first). */
  private Map<String, ClusterNodeProcess> nodeOfEachCall(java.util.Collection<String> callSids) {
    Map<String, ClusterNodeProcess> where = new LinkedHashMap<>();
    for (ClusterNodeProcess node : nodes) {
      JsonNode calls;
      try {
        calls = read(new ApiClient(node.url("/")).twilioGet(
            "/2010-04-01/Accounts/" + ACCOUNT + "/Calls.json?PageSize=1000", ACCOUNT, TOKEN).body());
      } catch (AssertionError unanswered) {
        continue; // asked again by the caller's loop
      }
      for (JsonNode call : calls.path("calls")) {
        String sid = call.path("sid").asText();
        if (callSids.contains(sid) && call.path("status").asText().equals("in-progress")) {
          where.put(sid, node);
        }
      }
    }
    return where;
  }

  private static JsonNode read(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  private static String describe(Map<String, ClusterNodeProcess> owners) {
    return owners.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().name())
        .collect(Collectors.joining(", "));
  }

  private static void awaitTrue(java.util.function.Supplier<Boolean> condition, String what) {
    ClusterNodeProcess.awaitTrue(condition, what, WAIT);
  }

}
