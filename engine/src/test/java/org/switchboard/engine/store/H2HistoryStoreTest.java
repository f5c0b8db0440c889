package org.switchboard.engine.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** The database store on an embedded H2 file in a temporary folder. */
class H2HistoryStoreTest extends HistoryStoreContract {
  @TempDir Path dir;
  private int databases;

  @Override
  StoreSettings freshDatabase() {
    return new StoreSettings(StoreSettings.Kind.H2,
        "jdbc:h2:file:" + dir.resolve("store-" + ++databases).resolve("switchboard"),
        "switchboard", "", 2, Duration.ofDays(30));
  }

  /** A database file under a path whose parent is a regular file. */
  @Override
  StoreSettings unreachableDatabase() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    return new StoreSettings(StoreSettings.Kind.H2, "jdbc:h2:file:" + file.resolve("switchboard"),
        "switchboard", "", 2, Duration.ofDays(30));
  }
}
