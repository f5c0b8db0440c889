package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.engine.store.LocalPostgres;

/**
 * A real cluster: three {@code Main} processes on loopback (each its own HTTP port and Pekko
 * remoting port, seed nodes from its configuration file), two simulated Asterisk servers, {@code
 * a} and {@code b}, every node configured with both, and one PostgreSQL store shared by the nodes
 * (a server of the test's own, {@link LocalPostgres}; the test creates and drops its database).
 *
 * <p>Calls of each kind ({@link ClusterCalls.Kind}: callers in a Gather, callers in two queues,
 * callers whose {@code <Dial>} rings three legs, callers bridged to a callee by a recorded {@code
 * <Dial>}) run on both servers, spread over the nodes, and so do the dials' legs. The node that
 * owns the links is killed with kill -9: another node owns both within {@link #TAKEOVER} (the time
 * is printed, with the nodes' steps on the way, and so is the time until the first call taken back
 * made its next request), the killed node's calls and legs start again on the surviving nodes
 * from the store (their entities restarted by sharding, told by the new owner's resync or taken
 * back by their dial), and every call goes on ({@link ClusterCalls#goOn}): queued callers are back
 * at their positions and are dequeued front first by agents; a ringing dial's middle leg answers
 * after the kill, wins, is bridged and the others are cancelled; a bridged call stays bridged and
 * its Dial action and recording arrive when its callee hangs up (two of them only after the
 * SIGTERM below); Gather callers' digits reach their actions. Then a new batch, and the new owner
 * gets SIGTERM: it hands its calls and links over and exits 0, and the same holds. At the end
 * every call's and leg's callbacks are exactly those of an uninterrupted run, no channel was hung
 * up as an orphan, and nothing is left on either server ({@link ClusterCalls#verify}).
 */
class ThreeNodeClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(180);
  /**
   * The bound on kill -9 → links held again. The target is 10 s (issue 19; docs/cluster.md says
   * which settings give it); the shared 2-core build machine at load 20-40 delays heartbeats and
   * process starts by seconds, so the bound checks that the takeover happens by itself and
   * promptly, not the load: each run prints the time.
   */
  private static final Duration TAKEOVER = Duration.ofSeconds(20);
  /** The bound on kill -9 → the first step of a call taken back on another node; printed too. */
  private static final Duration RESUMED = Duration.ofSeconds(30);
  /** What the surviving nodes log on the way from a crash to the new link owner (printed). */
  private static final List<String> TAKEOVER_STEPS = List.of("UNREACHABLE", "SBR took decision",
      "owns the link", "ARI a: connected", "ARI b: connected");
  private static final String TOKEN = "cluster-test-token-0123456789abcdef";
  private static final List<String> SERVERS = List.of("a", "b");

  private final Map<String, AriSimulator> sims = new LinkedHashMap<>();
  private final List<ClusterNodeProcess> nodes = new ArrayList<>();
  private TestTwimlApp app;

  @Test
  void callsGoOnWhenANodeIsKilledOrLeaves() throws Exception {
    assumeTrue(LocalPostgres.binaries().isPresent(), LocalPostgres.MISSING);
    Path dir = Files.createTempDirectory("switchboard-cluster");
    app = new TestTwimlApp(TOKEN);
    ClusterCalls calls = new ClusterCalls(app, sims, TOKEN, WAIT);
    calls.install();
    try (LocalPostgres pg = LocalPostgres.start()) {
      Optional<String> store = Optional.of(pg.createDatabase());
      List<ClusterNodeProcess.Server> servers = new ArrayList<>();
      for (String id : SERVERS) {
        AriSimulator sim = new AriSimulator(id + "-");
        sims.put(id, sim);
        servers.add(new ClusterNodeProcess.Server(id,
            sim.start(ClusterDials.simConfig(dir.resolve("recordings-" + id)))));
      }
      List<Integer> ports = List.of(ClusterNodeProcess.freePort(), ClusterNodeProcess.freePort(),
          ClusterNodeProcess.freePort());
      // One node after the other, the first seed first (it also creates the store's schema):
      // JVMs starting at once on two shared cores delay heartbeats enough for a joining node to be
      // taken for dead, and their first store connection past its timeout.
      Map<String, ClusterNodeProcess> owners = Map.of();
      for (int i = 0; i < 3; i++) {
        nodes.add(ClusterNodeProcess.start("node" + (i + 1), dir, ports.get(i), ports, servers,
            app.url("/voice"), TOKEN, store));
        owners = awaitOneOwnerPerServer(nodes);
      }

      // The dials first: their legs ring, and their bridges are up and recording, well before the
      // kill. Two of the bridged calls stay bridged through the kill and the SIGTERM.
      List<ClusterCalls.Call> bridged = calls.bridged(4);
      List<ClusterCalls.Call> first = new ArrayList<>(calls.ringing(4));
      first.addAll(bridged);
      first.addAll(calls.gathers(6));
      first.addAll(calls.queued(1, 3));
      first.addAll(calls.queued(2, 3));
      Map<ClusterCalls.Call, ClusterNodeProcess> ranOn = calls.nodeOfEach(first, nodes);
      Map<String, ClusterNodeProcess> before = calls.whereLive(first, nodes);
      ClusterNodeProcess killed = owners.get("a");
      assertTrue(ranOn.containsValue(killed) && Set.copyOf(ranOn.values()).size() >= 2,
          "the calls ran on the link owner and another node: " + describe(ranOn));
      System.out.println("before kill -9 of " + killed.name() + ": " + describeSids(before));

      // kill -9 of the node that owns the links and runs calls.
      int mark = calls.mark();
      List<ClusterNodeProcess> survivors = nodes.stream().filter(n -> n != killed).toList();
      ClusterCalls.Departure kill = ClusterCalls.Departure.now(killed, before, survivors);
      Instant killedAt = kill.at();
      killed.kill();
      awaitTrue(() -> survivors.stream().anyMatch(n -> SERVERS.stream()
              .allMatch(server -> n.role(server).filter("owner"::equals).isPresent())),
          "a surviving node owns every link");
      Duration takeover = Duration.between(killedAt, Instant.now());
      Map<String, ClusterNodeProcess> next = awaitOneOwnerPerServer(survivors);
      System.out.println("links owned again " + takeover.toMillis() + " ms after kill -9 of "
          + killed.name() + " (as /health says; the servers were resynced by the new owner "
          + SERVERS.stream().map(id -> id + " " + calls.resyncedAfter(id, kill)
              .map(d -> d.toMillis() + " ms").orElse("?")).collect(Collectors.joining(", "))
          + " after it): " + describe(next));
      survivors.forEach(n -> System.out.println("  " + n.name() + " since:\n    " + String.join(
          "\n    ", n.linesWith("", kill.linesBefore().get(n)).stream()
              .filter(l -> TAKEOVER_STEPS.stream().anyMatch(l::contains)).toList())));
      assertTrue(takeover.compareTo(TAKEOVER) <= 0,
          "links taken over after " + takeover.toMillis() + " ms (limit " + TAKEOVER.toMillis()
              + " ms)");
      assertTrue(calls.dialTouched(first, kill),
          "a dial or one of its legs ran on the killed node: " + describeSids(before));
      Map<ClusterCalls.Call, ClusterNodeProcess> movedTo = calls.nodeOfEach(first, survivors);
      System.out.println("the killed node's calls " + Duration.between(killedAt, Instant.now())
          .toMillis() + " ms after kill -9: " + describe(movedTo));
      List<ClusterCalls.Call> kept = bridged.subList(2, 4);
      List<ClusterCalls.Call> endNow = first.stream().filter(c -> !kept.contains(c)).toList();
      calls.goOn(endNow, mark, kill);
      calls.allCompleted(endNow);
      Optional<Duration> firstStep = calls.firstStepOfATakenBackCall(kill);
      System.out.println("first step of a call taken back from " + killed.name() + ": "
          + firstStep.map(d -> d.toMillis() + " ms after kill -9")
              .orElse("none (no queued caller ran there)"));
      firstStep.ifPresent(d -> assertTrue(d.compareTo(RESUMED) <= 0,
          "a taken-back call's next step " + d.toMillis() + " ms after kill -9 (limit "
              + RESUMED.toMillis() + " ms)"));

      // SIGTERM of the node that owns the links now, with calls of its own: it hands them over.
      List<ClusterCalls.Call> second = new ArrayList<>(calls.ringing(2));
      second.addAll(calls.bridged(2));
      second.addAll(calls.gathers(4));
      second.addAll(calls.queued(3, 3));
      ClusterNodeProcess leaving = next.get("a");
      Map<ClusterCalls.Call, ClusterNodeProcess> ranOn2 = calls.nodeOfEach(second, survivors);
      assertTrue(ranOn2.containsValue(leaving),
          "the calls ran on the leaving node too: " + describe(ranOn2));
      second.addAll(kept);
      Map<String, ClusterNodeProcess> before2 = calls.whereLive(second, survivors);
      System.out.println("before SIGTERM of " + leaving.name() + ": " + describeSids(before2));
      int mark2 = calls.mark();
      List<ClusterNodeProcess> last = survivors.stream().filter(n -> n != leaving).toList();
      ClusterCalls.Departure leave = ClusterCalls.Departure.now(leaving, before2, last);
      leaving.terminate();
      Optional<Integer> status = leaving.awaitExit(WAIT);
      assertEquals(Optional.of(0), status, leaving.tail(40));
      assertEquals(1, leaving.linesWith("live call(s) move to the other nodes").size(),
          "the leaving node handed its calls over instead of ending them: " + leaving.tail(40));
      Map<String, ClusterNodeProcess> finalOwners = awaitOneOwnerPerServer(last);
      System.out.println("after SIGTERM of " + leaving.name() + ": " + describe(finalOwners));
      assertTrue(calls.dialTouched(second, leave),
          "a dial or one of its legs ran on the leaving node: " + describeSids(before2));
      calls.nodeOfEach(second, last);
      calls.goOn(second, mark2, leave);
      calls.verify();
      System.out.println("queued callers back after their queue started again: " + nodes.stream()
          .mapToLong(n -> n.linesWith("started again without it; rejoining").size()).sum());
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

  private static String describeSids(Map<String, ClusterNodeProcess> where) {
    return where.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().name())
        .collect(Collectors.joining(", "));
  }

  private static String describe(Map<?, ClusterNodeProcess> where) {
    return where.entrySet().stream().map(e -> (e.getKey() instanceof ClusterCalls.Call c
            ? c.callSid() + "(" + c.kind() + ")" : e.getKey()) + "=" + e.getValue().name())
        .collect(Collectors.joining(", "));
  }

  private static void awaitTrue(java.util.function.Supplier<Boolean> condition, String what) {
    ClusterNodeProcess.awaitTrue(condition, what, WAIT);
  }

}
