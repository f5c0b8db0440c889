package org.switchboard.engine.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, from Debian's {@code postgresql} package: {@code initdb}
 * in a temporary folder, {@code pg_ctl start} on a free loopback port (trust authentication, no
 * fsync), one database per test created and dropped here, the server stopped and the folder
 * deleted on {@link #close()}. PostgreSQL refuses to run as root, so as root the binaries run as
 * the {@code postgres} user (else {@code nobody}) through {@code runuser}. {@link #binaries()} is
 * empty when the package is not installed: the tests that need it are skipped and say why.
 */
public final class LocalPostgres implements AutoCloseable {
  /** Why a test of this layer was skipped. */
  public static final String MISSING = "PostgreSQL binaries not found (/usr/lib/postgresql/<version>/bin"
      + " or $SWITCHBOARD_POSTGRES_BIN; apt-get install postgresql): PostgreSQL store tests skipped";

  private final Path bin;
  private final Path dir;
  private final Optional<String> runAs;
  private final int port;
  private final List<String> databases = new ArrayList<>();

  private LocalPostgres(Path bin, Path dir, Optional<String> runAs, int port) {
    this.bin = bin;
    this.dir = dir;
    this.runAs = runAs;
    this.port = port;
  }

  /** The folder holding {@code initdb} and {@code pg_ctl}, if PostgreSQL is installed. */
  public static Optional<Path> binaries() {
    String configured = System.getenv("SWITCHBOARD_POSTGRES_BIN");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(LocalPostgres::complete);
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin")).filter(LocalPostgres::complete)
          .max(Comparator.comparing(p -> versionOf(p.getParent())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean complete(Path bin) {
    return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"));
  }

  private static int versionOf(Path folder) {
    try {
      return Integer.parseInt(folder.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Starts a server; call only when {@link #binaries()} is present. */
  public static LocalPostgres start() throws IOException, InterruptedException {
    Path bin = binaries().orElseThrow(() -> new IllegalStateException(MISSING));
    Path dir = Files.createTempDirectory("switchboard-pg");
    Optional<String> runAs = Optional.empty();
    if ("root".equals(System.getProperty("user.name"))) {
      String user = userExists("postgres") ? "postgres" : "nobody";
      UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService()
          .lookupPrincipalByName(user);
      Files.setOwner(dir, owner);
      runAs = Optional.of(user);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    LocalPostgres pg = new LocalPostgres(bin, dir, runAs, port);
    pg.run("initdb", "-D", dir.resolve("data").toString(), "-U", "switchboard",
        "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions");
    pg.restart();
    return pg;
  }

  /** A new empty database of this server, dropped on {@link #close()}; its JDBC URL. */
  public String createDatabase() throws SQLException {
    String name = "sb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(url("postgres"), "switchboard", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    databases.add(name);
    return url(name);
  }

  /** A URL on the port of this server where nothing listens once it is stopped. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Stops the server (fast shutdown): connections fail until {@link #restart()}. */
  public void stop() throws IOException, InterruptedException {
    run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
  }

  /** Starts the server (again, after {@link #stop()}) on its port and data. */
  public void restart() throws IOException, InterruptedException {
    run("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(),
        "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1"
            + " -c fsync=off -c full_page_writes=off", "start");
  }

  @Override
  public void close() throws Exception {
    try (Connection c = DriverManager.getConnection(url("postgres"), "switchboard", "");
        Statement s = c.createStatement()) {
      for (String db : databases) {
        s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
      }
    } finally {
      run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void run(String program, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    runAs.ifPresent(user -> command.addAll(List.of("runuser", "-u", user, "--")));
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      String log = Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
      throw new IOException(String.join(" ", command) + " failed: "
          + new String(out, StandardCharsets.UTF_8) + log);
    }
  }

  private static boolean userExists(String user) {
    try {
      return Files.readAllLines(Path.of("/etc/passwd")).stream()
          .anyMatch(l -> l.startsWith(user + ":"));
    } catch (IOException e) {
      return false;
    }
  }
}
