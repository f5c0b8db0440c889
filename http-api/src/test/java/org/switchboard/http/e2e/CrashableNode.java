package org.switchboard.http.e2e;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.http.SwitchboardNode;

/**
 * A node in a JVM of its own, for {@link CrashRecoveryEndToEndTest} to kill with SIGKILL: nothing of
 * Switchboard's shutdown runs. Arguments: the ARI URL, the application's base URL, the working
 * directory (outbox, audio) and the H2 store URL, optionally the ARI user and password (default
 * the simulator's) and then settings as {@code key=value} (e.g. a dial number template into a
 * test dialplan); it writes {@code <dir>/ready} once its ARI link is up and then runs until
 * killed.
 */
public final class CrashableNode {
  /** The account of both incarnations, for REST requests to either. */
  static final String ACCOUNT_SID = "AC00000000000000000000000000000001";

  private CrashableNode() {}

  public static void main(String[] args) throws Exception {
    String ariUrl = args[0];
    String app = args[1];
    Path dir = Path.of(args[2]);
    String storeUrl = args[3];
    String user = args.length > 4 ? args[4] : "asterisk";
    String password = args.length > 5 ? args[5] : "asterisk";
    Map<String, String> settings = new HashMap<>(settings(storeUrl));
    for (int i = 6; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    SwitchboardNode node = E2eHarness.startNode(ariUrl, user, password,
        application(URI.create(app)), dir, settings, Clock.systemUTC());
    long deadline = System.nanoTime() + E2eHarness.WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      LinkStatus link = node.ari().links().get(E2eHarness.SERVER);
      if (link != null && link.connected()) {
        Files.writeString(dir.resolve("ready"), node.httpAddress().toString());
        node.system().getWhenTerminated().toCompletableFuture().join();
        return;
      }
      synchronized (node) {
        node.wait(20);
      }
    }
    System.err.println("ARI link did not come up");
    System.exit(2);
  }

  /**
   * The node's settings on the H2 store {@code storeUrl}; admission control off, as the test
   * measures recovery, not shedding (on a loaded machine it would refuse the test's callers).
   */
  static Map<String, String> settings(String storeUrl) {
    return Map.of("switchboard.store.kind", "h2", "switchboard.store.url", storeUrl,
        "switchboard.overload.enabled", "false", "switchboard.account-sid", ACCOUNT_SID);
  }

  /** The application at {@code base}: /voice, /fallback, /status with every call event. */
  static VoiceApplication application(URI base) {
    return new VoiceApplication(base.resolve("/voice"), Method.POST,
        Optional.of(base.resolve("/fallback")), Method.POST, Optional.of(base.resolve("/status")),
        Method.POST, Set.of("initiated", "ringing", "answered", "completed"));
  }
}
