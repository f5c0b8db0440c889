package org.switchboard.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball as an operator gets it: unpacked in an empty folder, {@code bin/switchboard --once}
 * runs the demo to exit 0 with nothing but a JVM — no Maven (a {@code mvn} on the PATH that fails
 * and leaves a mark), no source tree (the working directory is a fresh folder). Its {@code .env}
 * gives the JVM options, and the URLs are the first thing it prints.
 */
class DistributionTarballTest {
  private static final long MAX_SECONDS = 300;

  @Test
  void unpackedTarballRunsTheDemoWithoutMavenOrSources(@TempDir Path dir) throws Exception {
    Path tarball = Path.of(System.getProperty("switchboard.dist.tarball"));
    assertTrue(Files.isRegularFile(tarball), "built by `mvn package`: " + tarball);
    Path unpacked = Files.createDirectories(dir.resolve("opt"));
    assertEquals(0, run(unpacked, List.of("tar", "-xzf", tarball.toString())));
    Path home;
    try (Stream<Path> top = Files.list(unpacked)) {
      List<Path> dirs = top.toList();
      assertEquals(1, dirs.size(), "one top folder: " + dirs);
      home = dirs.get(0);
    }
    assertEquals(tarball.getFileName().toString().replace(".tar.gz", ""),
        home.getFileName().toString());
    assertTrue(Files.isExecutable(home.resolve("bin/switchboard")));
    assertTrue(Files.isRegularFile(home.resolve("conf/switchboard.env.sample")));
    assertTrue(Files.isRegularFile(home.resolve("conf/extensions.conf")));
    assertTrue(Files.isRegularFile(home.resolve("conf/systemd/switchboard.service")));
    try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
      assertTrue(jars.anyMatch(j -> j.getFileName().toString().startsWith("switchboard-http-api-")));
    }

    Path fakeBin = Files.createDirectories(dir.resolve("fake-bin"));
    Path mavenUsed = dir.resolve("maven-was-run");
    Path mvn = fakeBin.resolve("mvn");
    Files.writeString(mvn, "#!/bin/sh\ntouch '" + mavenUsed + "'\nexit 1\n");
    assertTrue(mvn.toFile().setExecutable(true));
    Path work = Files.createDirectories(dir.resolve("work"));
    int port = freePort();
    Files.writeString(work.resolve(".env"),
        "# JVM options for bin/switchboard\n"
            + "SWITCHBOARD_JAVA_OPTS=\"-XX:+PrintCommandLineFlags -Dswitchboard.http.port=" + port
            + "\"\n");

    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    ProcessBuilder builder = new ProcessBuilder(
        home.resolve("bin/switchboard").toString(), "--once", "--calls", "1")
        .directory(work.toFile())
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("SWITCHBOARD_") || k.startsWith("MAVEN"));
    env.put("PATH", fakeBin + ":" + System.getenv("PATH"));
    env.put("HOME", work.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("SWITCHBOARD_HEAP", "1g");
    Process process = builder.start();
    boolean exited = process.waitFor(MAX_SECONDS, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor();
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    String both = stdout + "\n--- stderr ---\n" + stderr;
    assertTrue(exited, "exited within " + MAX_SECONDS + " s:\n" + both);
    assertEquals(0, process.exitValue(), both);
    assertFalse(Files.exists(mavenUsed), "Maven was run");

    List<String> lines = stdout.lines().toList();
    // The JVM's flags line (from .env's SWITCHBOARD_JAVA_OPTS), then the URLs before anything else.
    String flags = lines.stream().filter(l -> l.contains("-XX:")).findFirst().orElse("");
    assertTrue(flags.contains("-XX:+UseParallelGC") && flags.contains("-XX:MaxTenuringThreshold=2"),
        "the recommended GC flags: " + flags);
    String first = lines.stream().filter(l -> !l.contains("-XX:")).findFirst().orElse("");
    String base = "http://127.0.0.1:" + port;
    assertTrue(first.contains(base + "/metrics") && first.contains(base + "/health"),
        "the first line names the URLs on the .env's port: " + first);
    assertTrue(stdout.contains("1 demo call(s) started and completed"), both);
    assertTrue(stdout.contains("(channel sim-") && !stdout.contains("(channel sim-call-1,"),
        "the run's own channel ids, hence CallSids: " + stdout);
    assertFalse(both.contains("\u001b["), "no terminal escape sequences:\n" + both);
  }

  private static int run(Path dir, List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
    return p.waitFor(120, TimeUnit.SECONDS) ? p.exitValue() : -1;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    }
  }
}
