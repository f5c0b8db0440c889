package org.switchboard.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package as {@code dpkg-deb} reads it: the tree under /opt/switchboard, the
 * configuration in /etc/switchboard as conffiles, the systemd unit (restart on failure, a stop
 * that drains within its timeout), and the maintainer script that creates the system user.
 * Installing it needs root: {@code .ci/run} does that as a smoke step.
 */
class DebianPackageTest {
  private static Path deb;

  @BeforeAll
  static void debAndDpkg() throws Exception {
    deb = Path.of(System.getProperty("switchboard.dist.deb"));
    assertTrue(Files.isRegularFile(deb), "built by `mvn package`: " + deb);
    assumeTrue(exec(List.of("sh", "-c", "command -v dpkg-deb")).status() == 0,
        "dpkg-deb is not installed: the .deb is not inspected");
  }

  @Test
  void controlNamesThePackageItsDependenciesAndConffiles() throws Exception {
    Result info = exec(List.of("dpkg-deb", "--info", deb.toString()));
    assertEquals(0, info.status(), info.output());
    assertTrue(info.output().contains("Package: switchboard"), info.output());
    assertTrue(info.output().contains("Architecture: all"), info.output());
    assertTrue(info.output().contains("Depends: java17-runtime-headless, espeak-ng"), info.output());
    Result conffiles = exec(List.of("dpkg-deb", "--info", deb.toString(), "conffiles"));
    assertEquals(List.of("/etc/switchboard/switchboard.conf", "/etc/switchboard/switchboard.env"),
        conffiles.output().lines().map(String::strip).sorted().toList());
  }

  @Test
  void postinstCreatesTheSystemUserAndItsStateDirectory() throws Exception {
    Result postinst = exec(List.of("dpkg-deb", "--info", deb.toString(), "postinst"));
    assertEquals(0, postinst.status(), postinst.output());
    String script = postinst.output();
    assertTrue(script.contains("getent passwd switchboard"), script);
    assertTrue(script.contains("useradd --system"), script);
    assertTrue(script.contains("install -d -o switchboard -g switchboard"), script);
    assertEquals(0, exec(List.of("sh", "-n", "-c", script)).status(), "postinst parses: " + script);
  }

  @Test
  void filesLandUnderOptWithAnExecutableLauncherAndTheUnit(@TempDir Path root) throws Exception {
    Result contents = exec(List.of("dpkg-deb", "--contents", deb.toString()));
    assertEquals(0, contents.status(), contents.output());
    Map<String, String> modes = contents.output().lines()
        .map(l -> l.split("\\s+"))
        .collect(Collectors.toMap(f -> f[f.length - 1], f -> f[0], (a, b) -> a));
    assertEquals("-rwxr-xr-x", modes.get("./opt/switchboard/bin/switchboard"), contents.output());
    assertTrue(modes.keySet().stream()
        .anyMatch(p -> p.matches("\\./opt/switchboard/lib/switchboard-http-api-.*\\.jar")));
    assertTrue(modes.containsKey("./opt/switchboard/conf/extensions.conf"), contents.output());
    assertTrue(modes.containsKey("./etc/switchboard/switchboard.env"), contents.output());
    assertTrue(modes.containsKey("./lib/systemd/system/switchboard.service"), contents.output());

    assertEquals(0, exec(List.of("dpkg-deb", "-x", deb.toString(), root.toString())).status());
    Result help = exec(List.of(root.resolve("opt/switchboard/bin/switchboard").toString(), "--help"));
    assertEquals(0, help.status(), help.output());
    assertTrue(help.output().contains("usage:"), help.output());
  }

  @Test
  void unitRestartsOnFailureAndGivesTheDrainTimeToFinish(@TempDir Path root) throws Exception {
    assertEquals(0, exec(List.of("dpkg-deb", "-x", deb.toString(), root.toString())).status());
    String unit = Files.readString(root.resolve("lib/systemd/system/switchboard.service"));
    for (String line : List.of("User=switchboard", "ExecStart=/opt/switchboard/bin/switchboard",
        "EnvironmentFile=-/etc/switchboard/switchboard.env",
        "Environment=SWITCHBOARD_CONFIG=/etc/switchboard/switchboard.conf",
        "WorkingDirectory=/var/lib/switchboard", "Restart=on-failure", "KillSignal=SIGTERM",
        "WantedBy=multi-user.target")) {
      assertTrue(unit.lines().anyMatch(line::equals), line + " in\n" + unit);
    }
    Matcher stop = Pattern.compile("(?m)^TimeoutStopSec=(\\d+)s$").matcher(unit);
    assertTrue(stop.find(), unit);
    Duration timeout = Duration.ofSeconds(Long.parseLong(stop.group(1)));
    Config drain = ConfigFactory.defaultReference().getConfig("switchboard.drain");
    Duration drainTotal = drain.getDuration("deadline").plus(drain.getDuration("end-grace"))
        .plus(drain.getDuration("outbox-flush"));
    assertTrue(timeout.compareTo(drainTotal.plusSeconds(20)) >= 0,
        "TimeoutStopSec " + timeout + " leaves the default drain (" + drainTotal
            + ") and the shutdown after it time to finish");
  }

  private record Result(int status, String output) {}

  private static Result exec(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.waitFor(60, TimeUnit.SECONDS) ? new Result(p.exitValue(), output)
        : new Result(-1, output);
  }
}
