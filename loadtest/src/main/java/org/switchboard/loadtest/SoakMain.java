package org.switchboard.loadtest;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.switchboard.asterisk.client.AriServerConfig;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.asterisk.client.RestTransport;
import org.switchboard.asterisk.sim.AriSimulator;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.http.Main;
import org.switchboard.http.SwitchboardNode;
import org.switchboard.http.config.SwitchboardSettings;

/**
 * {@code scripts/soak}: sustained {@code hotline} calls on the ARI simulator while the simulator
 * drops the ARI event socket every few seconds (random gaps, refusing reconnects meanwhile) and
 * the TwiML application stops listening twice; then the {@link SoakLedger} verdict. See
 * docs/soak.md.
 */
public final class SoakMain {
  private static final String SERVER_ID = "sim";
  private static final Pattern LEG_ID = Pattern.compile("sb-[0-9a-fA-F]{8,}");
  private static final long TICK_MS = 5;

  /** Options of one run. */
  record Options(double minutes, double rate, long seed, Duration outage) {
    static Options parse(String[] args) {
      double minutes = 10;
      double rate = 25;
      long seed = System.nanoTime();
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : "";
        switch (args[i]) {
          case "--minutes" -> minutes = Double.parseDouble(value);
          case "--rate" -> rate = Double.parseDouble(value);
          case "--seed" -> seed = Long.parseLong(value);
          default -> throw new IllegalArgumentException("unknown option " + args[i]
              + " (usage: scripts/soak [--minutes N] [--rate CALLS_PER_S] [--seed S])");
        }
        i++;
      }
      if (minutes <= 0 || rate <= 0) {
        throw new IllegalArgumentException("--minutes and --rate must be positive");
      }
      return new Options(minutes, rate, seed, outageFor(minutes));
    }
  }

  /**
   * The rate climbs linearly from 0 to the target over the first {@value #RAMP_S} s (the node
   * and the simulator start with a cold JIT; on a loaded 2-core machine a cold node at full rate
   * timed ARI commands out for its first minute), then stays there.
   */
  static final double RAMP_S = 30;

  /** Calls placed by {@code seconds} into the load at {@code rate} after the ramp. */
  static long placedBy(double seconds, double rate) {
    return (long) (seconds < RAMP_S
        ? rate * seconds * seconds / (2 * RAMP_S)
        : rate * (seconds - RAMP_S / 2));
  }

  /** Each of the two application outages: 60 s in a run of 10 minutes or more, else in proportion. */
  static Duration outageFor(double minutes) {
    return Duration.ofMillis((long) (60_000 * Math.min(1.0, minutes / 10)));
  }

  /** An action due at {@code atNanos}; {@code chaos}: a socket drop or an app outage edge. */
  private record Due(long atNanos, long seq, boolean chaos, Runnable action) {}

  private final Options options;
  private final Random random;
  private final AriSimulator sim = new AriSimulator();
  private LogHarvester harvester;
  private final ConcurrentLinkedQueue<TestApp.Webhook> inbox = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Due> due = new PriorityQueue<>((a, b) -> a.atNanos != b.atNanos
      ? Long.compare(a.atNanos, b.atNanos) : Long.compare(a.seq, b.seq));
  private final SoakLedger ledger = new SoakLedger();
  private final Map<String, String> channelOfCaller = new HashMap<>();
  private final Set<String> callerChannels = new HashSet<>();
  private final Map<String, String> sidOfChannel = new HashMap<>();
  private final Set<String> pressed = new HashSet<>();
  private final Set<String> menuDone = new HashSet<>();
  private final Set<String> rung = new HashSet<>();
  private final Set<String> legsHungUp = new HashSet<>();
  private final Set<String> messagesLeft = new HashSet<>();
  private final Map<SoakLedger.Phase, Integer> dropsLanded = new EnumMap<>(SoakLedger.Phase.class);
  private long seq;
  private int placed;
  private int drops;
  private long gapMillis;
  /** Since when the last drop waits for the link to go down (0: it went down; -1: no drop). */
  private long dropPendingSince = -1;
  private long linkDownNanos;
  private long unregisteredNanos;
  private long lastTick;
  private SwitchboardNode node;
  private Ringer ringer;
  private ActorSystem appSystem;
  private TestApp app;
  private int appPort;
  private ServerBinding appBinding;

  private SoakMain(Options options) {
    this.options = options;
    this.random = new Random(options.seed());
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("soak: " + e.getMessage());
      System.exit(2);
      return;
    }
    int status;
    try {
      status = new SoakMain(options).run();
    } catch (Exception e) {
      System.err.println("soak: could not run: " + e);
      e.printStackTrace();
      status = 3;
    }
    System.exit(status);
  }

  private int run() throws Exception {
    System.err.printf(Locale.ROOT, "soak: %.1f min of hotline calls at %.0f/s, socket drops every"
        + " 2-6 s (gaps 0.2-3 s), the app down %d s twice; seed %d%n", options.minutes(),
        options.rate(), options.outage().toSeconds(), options.seed());
    start();
    try {
      long startNanos = System.nanoTime();
      long loadEnd = startNanos + (long) (options.minutes() * 60e9);
      scheduleChaos(startNanos, loadEnd);
      long nextProgress = startNanos + 5_000_000_000L;
      lastTick = startNanos;
      while (System.nanoTime() < loadEnd) {
        long now = System.nanoTime();
        pump(now);
        watchLink(now);
        long allowed = placedBy((now - startNanos) / 1e9, options.rate()) + 1;
        while (placed < allowed) {
          place();
        }
        if (now >= nextProgress) {
          progress(now - startNanos);
          nextProgress += 5_000_000_000L;
        }
        TimeUnit.MILLISECONDS.sleep(TICK_MS);
      }
      // The chaos stops; the callers' and volunteers' pending actions (presses, hang-ups) stay.
      due.removeIf(Due::chaos);
      if (appBinding == null) {
        appUp();
      }
      System.err.println("soak: load over; waiting for the calls to settle");
      drain();
      SoakLedger.Report report = ledger.report(liveChannels(), sim.channels().size(),
          sim.bridges().size());
      System.out.printf(Locale.ROOT, "socket drops %d (%.1f s of refused reconnects requested;"
          + " of %.0f s the node's ARI link was down %.1f s and the simulator had no socket for the"
          + " app %.1f s), landing on calls in %s; app outages 2 x %d s%n", drops,
          gapMillis / 1000.0, options.minutes() * 60, linkDownNanos / 1e9, unregisteredNanos / 1e9,
          dropsLanded, options.outage().toSeconds());
      System.out.println(report.text());
      if (!sim.channels().isEmpty() || !sim.bridges().isEmpty()) {
        sim.channels().stream().limit(5).forEach(c -> System.out.println("  left: " + c));
        sim.bridges().stream().limit(5).forEach(b -> System.out.println("  left: " + b));
      }
      return report.passed() ? 0 : 1;
    } finally {
      stop();
    }
  }

  private void start() throws Exception {
    Path work = Files.createTempDirectory("switchboard-soak");
    int simPort = sim.start(InProcessHarness.simConfig(work.resolve("recordings")));
    harvester = new LogHarvester(sim.log());
    int port = Main.freePort("127.0.0.1");
    appPort = Main.freePort("127.0.0.1");
    String url = "http://127.0.0.1:" + port;
    Map<String, Object> overrides = new HashMap<>(Harness.nodeOverrides(work));
    overrides.put("switchboard.http.host", "127.0.0.1");
    overrides.put("switchboard.http.public-url", url);
    Config config = ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load());
    app = new TestApp(Profile.HOTLINE, "http://127.0.0.1:" + appPort, inbox::add, true);
    VoiceApplication application = InProcessHarness.application(app);
    AriServerConfig server = AriServerConfig.basic(SERVER_ID, sim.baseUrl() + "/ari", "switchboard",
            "asterisk", "asterisk")
        .withMaxConnections(Harness.ARI_CONNECTIONS)
        .withRestTransport(RestTransport.parse(config.getString("switchboard.ari.rest-transport")));
    SwitchboardSettings settings = SwitchboardSettings.fromConfig(config).withHttpPort(port)
        .withAsterisk(List.of(server), application);
    node = SwitchboardNode.start(config, settings, application, List.of(), Clock.systemUTC());
    ringer = new Ringer(URI.create(url), "http://127.0.0.1:" + appPort + "/lt/volunteer");
    appSystem = ActorSystem.create("soak-app", ConfigFactory.parseString(
        "pekko.actor.provider = local\npekko.loglevel = WARNING").withFallback(ConfigFactory.load()));
    appUp();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!linkUp()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the ARI link to the simulator did not come up");
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    System.err.println("soak: simulator on " + simPort + ", Switchboard on " + port + ", app on "
        + appPort);
  }

  private boolean linkUp() {
    LinkStatus s = node.ari().links().get(SERVER_ID);
    return s != null && s.connected();
  }

  /** Socket drops at random, and the two application outages (at 25 % and 60 % of the load). */
  private void scheduleChaos(long startNanos, long loadEnd) {
    long span = loadEnd - startNanos;
    for (double at : new double[] {0.25, 0.60}) {
      long down = startNanos + (long) (span * at);
      chaos(down, this::appDown);
      chaos(down + options.outage().toNanos(), this::appUp);
    }
    chaos(startNanos + millis(2000, 6000) * 1_000_000L, this::dropSocket);
  }

  /** Drops the socket for 0.2-3 s; the next drop comes 2-6 s after the link is back. */
  private void dropSocket() {
    long gap = millis(200, 3000);
    drops++;
    gapMillis += gap;
    ledger.phases().forEach((phase, n) -> dropsLanded.merge(phase, n, Integer::sum));
    sim.dropSockets(Duration.ofMillis(gap));
    dropPendingSince = System.nanoTime();
  }

  private void watchLink(long now) {
    boolean up = linkUp();
    if (!up) {
      linkDownNanos += now - lastTick;
    }
    if (!sim.applications().contains("switchboard")) {
      unregisteredNanos += now - lastTick;
    }
    lastTick = now;
    if (dropPendingSince > 0 && (!up || now - dropPendingSince > 5_000_000_000L)) {
      dropPendingSince = 0;
    }
    if (dropPendingSince == 0 && up) {
      dropPendingSince = -1;
      chaos(now + millis(2000, 6000) * 1_000_000L, this::dropSocket);
    }
  }

  private void appDown() {
    System.err.println("soak: the application stops listening");
    ledger.appDown(TestApp.nowMicros());
    try {
      appBinding.terminate(Duration.ofSeconds(1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the test application", e);
    }
    appBinding = null;
  }

  private void appUp() {
    try {
      appBinding = Http.get(appSystem).newServerAt("127.0.0.1", appPort).bind(app.route())
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not start the test application on " + appPort, e);
    }
    ledger.appUp(TestApp.nowMicros());
    System.err.println("soak: the application listens on " + appPort);
  }

  private void place() {
    String from = String.format(Locale.ROOT, "+1444%07d", placed++);
    String channel = sim.inboundCall(from, Harness.DIALLED);
    // The simulator runs Stasis() at once: without a socket for the app it fails, as on Asterisk.
    boolean admitted = sim.channels().stream()
        .anyMatch(c -> c.id().equals(channel) && c.stasisApp() != null);
    ledger.placed(from, channel, TestApp.nowMicros(), admitted);
    if (admitted) {
      channelOfCaller.put(from, channel);
      callerChannels.add(channel);
    }
  }

  /** Takes the application's webhooks and the simulator's log; runs due actions. */
  private void pump(long now) {
    TestApp.Webhook w;
    while ((w = inbox.poll()) != null) {
      onWebhook(w);
    }
    for (SimEntry e : harvester.drain()) {
      if (e instanceof SimEntry.Request r) {
        onRequest(r);
      }
    }
    while (!due.isEmpty() && due.peek().atNanos() <= now) {
      due.poll().action().run();
    }
  }

  private void onWebhook(TestApp.Webhook w) {
    ledger.webhook(w);
    String sid = w.callSid();
    switch (w.page()) {
      case "incoming" -> {
        String channel = channelOfCaller.get(w.params().getOrDefault("From", ""));
        if (channel != null) {
          sidOfChannel.put(channel, sid);
        }
      }
      case "menu" -> menuDone.add(sid);
      case "hold" -> {
        if (rung.add(sid)) {
          LoadCall call = new LoadCall(0, w.params().getOrDefault("From", ""), 0);
          call.callSid = sid;
          ringer.ring(call);
          ledger.rung(sid);
        }
      }
      default -> {}
    }
  }

  /**
   * The callers' part: the caller presses 1 once the menu plays (again every 3 s, at most three
   * times, while no menu webhook came: a digit sent while the app had no socket is lost, and a
   * caller repeats it); a volunteer hangs up 300 ms after being bridged; a caller sent to
   * voicemail leaves a 2 s message and hangs up.
   */
  private void onRequest(SimEntry.Request r) {
    String channel = r.channelInPath();
    if (channel != null && r.verb().equals("play") && callerChannels.contains(channel)
        && pressed.add(channel)) {
      press(channel, 3);
    } else if (channel != null && r.verb().equals("record") && callerChannels.contains(channel)
        && messagesLeft.add(channel)) {
      at(System.nanoTime() + 2_000_000_000L, () -> hangUp(channel));
    } else if (r.verb().equals("addChannel")) {
      Matcher leg = LEG_ID.matcher(r.params());
      if (leg.find() && legsHungUp.add(leg.group())) {
        String id = leg.group();
        at(System.nanoTime() + 300_000_000L, () -> hangUp(id));
      }
    }
  }

  private void press(String channel, int left) {
    if (menuDone.contains(sidOfChannel.getOrDefault(channel, "")) || left == 0) {
      return;
    }
    try {
      sim.pressDtmf(channel, "1");
    } catch (RuntimeException gone) {
      return;
    }
    at(System.nanoTime() + 3_000_000_000L, () -> press(channel, left - 1));
  }

  private void hangUp(String channel) {
    try {
      sim.callerHangup(channel);
    } catch (RuntimeException gone) {
      // The leg ended already.
    }
  }

  /** After the load: until every call settled (final callbacks in, channels gone), then 5 s more. */
  private void drain() throws InterruptedException {
    // A caller queued at the end of the load leaves for voicemail after the queue timeout
    // (TestApp.QUEUE_TIMEOUT_SECONDS, checked once per ~21 s wait loop): up to ~115 s.
    long deadline = System.nanoTime() + Math.max(180_000_000_000L,
        options.outage().toNanos() * 2 + 60_000_000_000L);
    long quietUntil = Long.MAX_VALUE;
    long nextProgress = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < Math.min(deadline, quietUntil)) {
      long now = System.nanoTime();
      pump(now);
      if (quietUntil == Long.MAX_VALUE && ledger.allSettled(liveChannels())
          && sim.bridges().isEmpty()) {
        quietUntil = now + 5_000_000_000L;
      }
      if (now >= nextProgress) {
        System.err.printf(Locale.ROOT, "soak: draining: %d channels, %d bridges on the simulator%n",
            sim.channels().size(), sim.bridges().size());
        nextProgress += 5_000_000_000L;
      }
      TimeUnit.MILLISECONDS.sleep(TICK_MS);
    }
    pump(System.nanoTime());
  }

  private Set<String> liveChannels() {
    return sim.channels().stream().map(AriSimulator.ChannelView::id).collect(Collectors.toSet());
  }

  private void progress(long elapsedNanos) {
    System.err.printf(Locale.ROOT, "soak %5.0fs: placed %d, live channels %d, link %s, drops %d,"
        + " phases %s%n", elapsedNanos / 1e9, placed, sim.channels().size(),
        linkUp() ? "up" : "down", drops, ledger.phases());
  }

  private long millis(int min, int max) {
    return min + random.nextInt(max - min + 1);
  }

  /** A caller's or volunteer's action: it still runs after the load. */
  private void at(long nanos, Runnable action) {
    due.add(new Due(nanos, seq++, false, action));
  }

  /** Chaos: cancelled when the load ends. */
  private void chaos(long nanos, Runnable action) {
    due.add(new Due(nanos, seq++, true, action));
  }

  private void stop() {
    if (node != null) {
      node.close();
    }
    if (appSystem != null) {
      appSystem.terminate();
    }
    sim.close();
    System.err.println("soak: stopped at " + Instant.now());
  }
}
