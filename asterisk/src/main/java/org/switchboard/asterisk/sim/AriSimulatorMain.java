package org.switchboard.asterisk.sim;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the simulator in the foreground: {@code --port 18088 [--host H] [--user U --password P]
 * [--app A] [--recordings DIR] [--dial PATTERN=BEHAVIOUR]... [--default-dial BEHAVIOUR]
 * [--rtp-always]}.
 */
public final class AriSimulatorMain {
  private AriSimulatorMain() {}

  /** Entry point. */
  public static void main(String[] args) throws InterruptedException {
    SimConfig config = SimConfig.defaults().withPort(8088);
    List<DialRule> rules = new ArrayList<>();
    DialBehaviour fallback = config.defaultDial();
    String user = config.user();
    String password = config.password();
    String host = config.host();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--rtp-always")) {
        config = config.withRtpAlwaysSend(true);
        continue;
      }
      if (a.equals("--help") || i + 1 >= args.length) {
        usage(a.equals("--help") ? null : "missing value for " + a);
        return;
      }
      String v = args[++i];
      switch (a) {
        case "--port" -> config = config.withPort(Integer.parseInt(v));
        case "--host" -> host = v;
        case "--user" -> user = v;
        case "--password" -> password = v;
        case "--app" -> config = config.withApp(v, config.inboundContext());
        case "--recordings" -> config = config.withRecordingsDir(Path.of(v).toAbsolutePath());
        case "--dial" -> {
          int eq = v.lastIndexOf('=');
          if (eq <= 0) {
            usage("--dial wants PATTERN=BEHAVIOUR");
            return;
          }
          rules.add(new DialRule(v.substring(0, eq), DialBehaviour.parse(v.substring(eq + 1))));
        }
        case "--default-dial" -> fallback = DialBehaviour.parse(v);
        default -> {
          usage("unknown option " + a);
          return;
        }
      }
    }
    config = config.withCredentials(user, password).withDialRules(rules, fallback);
    config = new SimConfig(host, config.port(), config.user(), config.password(), config.app(),
        config.inboundContext(), config.inboundContextPattern(), config.reentryContextPattern(),
        config.asteriskId(), config.recordingsDir(), config.soundDurations(),
        config.defaultSoundDuration(), config.missingSoundPattern(), config.dialRules(),
        config.defaultDial(), config.clock(), config.rtpAlwaysSend(), config.logLimit());
    AriSimulator sim = new AriSimulator();
    int port = sim.start(config);
    System.out.println("ARI simulator listening on http://" + host + ":" + port + "/ari (app "
        + config.app() + ", user " + config.user() + ", recordings " + config.recordingsDir()
        + ")");
    Runtime.getRuntime().addShutdownHook(new Thread(sim::close));
    Thread.currentThread().join();
  }

  private static void usage(String error) {
    if (error != null) {
      System.err.println("ari-sim: " + error);
    }
    System.err.println("usage: ari-sim --port 18088 [--host 127.0.0.1] [--user U --password P]"
        + " [--app A] [--recordings DIR] [--dial PATTERN=BEHAVIOUR]..."
        + " [--default-dial BEHAVIOUR] [--rtp-always]");
    if (error != null) {
      System.exit(2);
    }
  }
}
