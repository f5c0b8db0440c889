package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.asterisk.sim.SimConfig;

/**
 * A node the split-brain resolver downs leaves its JVM: two {@code Main} processes form a cluster
 * (the two-node case docs/cluster.md advises against), the one with the lowest address is killed
 * with kill -9, and keep-majority makes the survivor down itself (a tie keeps the side of the
 * lowest address). Its coordinated shutdown must end the process with status 1, for a supervisor
 * to restart it, instead of leaving a JVM without an HTTP listener.
 */
class DownedNodeExitsTest {
  private static final Duration WAIT = Duration.ofSeconds(180);

  @Test
  void theSurvivorOfATwoNodeClusterIsDownedAndExitsOne() throws Exception {
    Path dir = Files.createTempDirectory("switchboard-downed");
    List<ClusterNodeProcess> nodes = new ArrayList<>();
    try (AriSimulator sim = new AriSimulator("d-");
        TestTwimlApp app = new TestTwimlApp("downed-test-token")) {
      int simPort = sim.start(SimConfig.defaults().withApp("switchboard", "switchboard-in"));
      List<Integer> ports = new ArrayList<>(
          List.of(ClusterNodeProcess.freePort(), ClusterNodeProcess.freePort()));
      ports.sort(Integer::compare);
      List<ClusterNodeProcess.Server> servers = List.of(new ClusterNodeProcess.Server("a", simPort));
      ClusterNodeProcess lowest = ClusterNodeProcess.start("node1", dir, ports.get(0), ports,
          servers, app.url("/voice"), "downed-test-token");
      nodes.add(lowest);
      awaitTrue(() -> lowest.role("a").filter("owner"::equals).isPresent(), "node1 owns the link");
      ClusterNodeProcess survivor = ClusterNodeProcess.start("node2", dir, ports.get(1), ports,
          servers, app.url("/voice"), "downed-test-token");
      nodes.add(survivor);
      awaitTrue(() -> lowest.role("a").filter("owner"::equals).isPresent()
              && survivor.role("a").filter("standby"::equals).isPresent(),
          "node1 owns the link, node2 stands by");

      lowest.kill();
      Optional<Integer> status = survivor.awaitExit(WAIT);
      assertEquals(Optional.of(1), status, survivor.tail(40));
      assertTrue(survivor.tail(200).contains("Switchboard stopped (status 1)"), survivor.tail(40));
    } catch (AssertionError e) {
      StringBuilder tails = new StringBuilder(String.valueOf(e.getMessage()));
      nodes.forEach(n -> tails.append('\n').append(n.tail(30)));
      throw new AssertionError(tails.toString(), e);
    } finally {
      nodes.forEach(ClusterNodeProcess::close);
    }
  }

  private static void awaitTrue(java.util.function.Supplier<Boolean> condition, String what) {
    ClusterNodeProcess.awaitTrue(condition, what, WAIT);
  }
}
