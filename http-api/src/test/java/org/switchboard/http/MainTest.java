package org.switchboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Main} as {@code scripts/run} starts it: a real JVM. */
class MainTest {

  @Test
  void aPortAlreadyInUseEndsTheProcessWithOneLineAndANonZeroStatus() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      long start = System.nanoTime();
      Process main = start("--port", Integer.toString(port));
      boolean exited = main.waitFor(60, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      if (!exited) {
        main.destroyForcibly();
      }
      assertTrue(exited, "still running 60 s after start");
      String err = new String(main.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      System.out.printf("Main with port %d taken exited %d after %.1f s (JVM start included)%n",
          port, main.exitValue(), seconds);
      assertNotEquals(0, main.exitValue());
      List<String> lines = err.lines().toList();
      assertEquals(1, lines.size(), err);
      assertTrue(lines.get(0).startsWith("switchboard: cannot start: cannot listen on 127.0.0.1:"
          + port), err);
    }
  }

  @Test
  void anUnknownFlagIsOneLineToo() throws Exception {
    Process main = start("--bogus");
    assertTrue(main.waitFor(60, TimeUnit.SECONDS));
    String err = new String(main.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertNotEquals(0, main.exitValue());
    assertEquals(List.of("switchboard: cannot start: unknown argument --bogus"),
        err.lines().toList());
  }

  private static Process start(String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java, "-cp",
        System.getProperty("java.class.path"), "-Dswitchboard.http.host=127.0.0.1",
        Main.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }
}
