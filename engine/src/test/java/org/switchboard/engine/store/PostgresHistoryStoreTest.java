package org.switchboard.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.protocol.CallSnapshot;

/**
 * The database store on a PostgreSQL server of the test's own ({@link LocalPostgres}); skipped,
 * with the reason, where Debian's {@code postgresql} package is not installed.
 */
class PostgresHistoryStoreTest extends HistoryStoreContract {
  private static LocalPostgres server;

  @BeforeAll
  static void startServer() throws Exception {
    assumeTrue(LocalPostgres.binaries().isPresent(), LocalPostgres.MISSING);
    server = LocalPostgres.start();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Override
  StoreSettings freshDatabase() throws Exception {
    return settings(server.createDatabase());
  }

  /** A loopback port where nothing listens. */
  @Override
  StoreSettings unreachableDatabase() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    return settings("jdbc:postgresql://127.0.0.1:" + port + "/switchboard");
  }

  /** The server goes away while calls end, and comes back: every call is written. */
  @Test
  void callsThatEndWhileTheServerIsDownAreWrittenWhenItIsBack() throws Exception {
    StoreSettings settings = freshDatabase();
    try (JdbcHistoryStore store = JdbcHistoryStore.open(settings, Clock.systemUTC())) {
      server.stop();
      CallSnapshot call = ended("CA01", Optional.empty(), "+15550000001", "completed", 0);
      store.callEnded(call);
      assertEquals(Optional.of(call), get(store.findCall("CA01")), "a queued call is still served");
      server.restart();
      await(() -> store.queued() == 0, "the queued call to be written once the server is back");
    }
    try (JdbcHistoryStore reopened = JdbcHistoryStore.open(settings, Clock.systemUTC())) {
      assertEquals("completed", get(reopened.findCall("CA01")).orElseThrow().status());
    }
  }

  private static StoreSettings settings(String url) {
    return new StoreSettings(StoreSettings.Kind.POSTGRES, url, "switchboard", "", 2,
        Duration.ofDays(30));
  }
}
