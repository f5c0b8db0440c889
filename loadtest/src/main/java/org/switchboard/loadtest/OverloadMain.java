package org.switchboard.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The overload benchmark ({@code LOADTEST_MAIN=org.switchboard.loadtest.OverloadMain
 * scripts/loadtest --rate R --seconds S [--warmup-rate W --warmup-seconds WS] [--split]}): in one
 * process (simulator, node, test application, as {@code simple}), or with {@code --split} in three
 * ({@link SplitHarness}: the simulator and the node each in a JVM of their own, the driver and
 * the test application in this one, so the driver's work does not take the node's CPU), offers {@code simple} calls at {@code R}
 * per second for {@code S} seconds, well past what the node sustains, then waits until every call
 * ended and checks what admission control promises: every call was either admitted (its voice
 * webhook came) and completed (its {@code completed} callback came), or shed (hung up
 * {@code busy} without reaching the application) within 1 s of its {@code StasisStart}; no
 * channel is left in Stasis; {@code /health}'s {@code channelsUp} equals the simulator's channels
 * in Stasis. Prints one JSON line; exit status 0 only when all of that holds.
 */
public final class OverloadMain {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long SHED_WITHIN_MICROS = 1_000_000L;
  /** Calls of each kind described in the JSON when a check fails, to trace them. */
  private static final int SAMPLE = 10;

  private OverloadMain() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = new HashMap<>();
    List<String> args = new ArrayList<>(List.of(argv));
    boolean split = args.remove("--split");
    for (int i = 0; i + 1 < args.size(); i += 2) {
      a.put(args.get(i).replaceFirst("^--", ""), args.get(i + 1));
    }
    int rate = Integer.parseInt(a.getOrDefault("rate", "2000"));
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "60"));
    int warmRate = Integer.parseInt(a.getOrDefault("warmup-rate", "300"));
    int warmSeconds = Integer.parseInt(a.getOrDefault("warmup-seconds", "30"));
    // The reason a shed call's DELETE carries: switchboard.overload.new-calls = busy | reject.
    String policy = System.getProperty("switchboard.overload.new-calls", "busy");
    String reason = switch (policy) {
      case "busy" -> "reason=busy";
      case "reject" -> "reason=rejected";
      default -> throw new IllegalArgumentException("OverloadMain checks new-calls = busy or"
          + " reject, not " + policy);
    };
    double load0 = loadAverage();
    Harness h = split ? new SplitHarness(Profile.SIMPLE) : new InProcessHarness(Profile.SIMPLE);
    int status;
    try {
      Run warm = new Run(h, "+1554", reason);
      warm.offer(warmRate, warmSeconds);
      warm.awaitEnded(120);
      System.err.printf(Locale.ROOT, "overload: warm-up %s%n", warm.summary());
      Run run = new Run(h, "+1556", reason);
      long t0 = System.nanoTime();
      run.offer(rate, seconds);
      double offeredSeconds = (System.nanoTime() - t0) / 1e9;
      run.awaitEnded(180);
      ObjectNode out = run.summary();
      out.put("offeredRate", rate).put("offeredSeconds", Math.round(offeredSeconds * 10) / 10.0);
      out.put("loadAverageBefore", load0).put("loadAverageAfter", loadAverage());
      out.put("split", split);
      if (split) {
        out.put("childCpuSeconds", Math.round(h.childCpuSeconds() * 10) / 10.0);
      }
      String node = h.nodeUrl();
      HttpClient http = HttpClient.newHttpClient();
      JsonNode health = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(node
          + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body());
      // Callbacks the node still holds (an admitted call without `completed` may wait there).
      var outbox = out.putArray("outboxMetrics");
      http.send(HttpRequest.newBuilder(URI.create(node + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString()).body().lines()
          .filter(l -> l.startsWith("switchboard_outbox")).forEach(outbox::add);
      long dropped = h.sim().logDropped();
      out.put("achievedRate", Math.round(run.placed.size() / offeredSeconds));
      out.put("simLogDropped", dropped);
      int stasis = run.channelsInStasis();
      out.put("channelsInStasisAfter", stasis);
      out.set("health", health);
      boolean healthMatches = health.path("channelsUp").asInt(-1) == stasis;
      out.put("healthMatchesSimulator", healthMatches);
      ObjectNode checks = out.putObject("checks");
      checks.put("noChannelLeftInStasis", stasis == 0);
      checks.put("everyShedCallAnsweredWithin1s", run.neither() == 0 && run.shedLate() == 0);
      checks.put("everyAdmittedCallCompleted", run.admittedNotCompleted() == 0);
      checks.put("healthMatchesSimulator", healthMatches);
      // Entries the simulator's log dropped before they were read: calls then look lost.
      checks.put("everyCallTraced", dropped == 0);
      boolean ok = run.neither() == 0 && run.admittedNotCompleted() == 0
          && run.shedLate() == 0 && stasis == 0 && healthMatches && dropped == 0;
      out.put("ok", ok);
      if (!ok) {
        out.set("samples", run.samples(h));
      }
      System.err.printf(Locale.ROOT, "overload: offered %d calls at %d/s (%d/s reached) for %.1f s:"
              + " %d admitted (%d completed), %d shed (p99 %.0f ms, %d later than 1 s), %d neither;"
              + " %d channels left in Stasis; /health channelsUp %d%n",
          run.placed.size(), rate, out.path("achievedRate").asLong(), offeredSeconds,
          run.admitted.size(),
          run.admitted.size() - run.admittedNotCompleted(), run.shedDelays().size(),
          out.path("shedAnswerP99Ms").asDouble(0), run.shedLate(), run.neither(), stasis,
          health.path("channelsUp").asInt(-1));
      checks.fields().forEachRemaining(c -> System.err.printf(Locale.ROOT, "  %-32s %s%n",
          c.getKey(), c.getValue().asBoolean() ? "met" : "MISSED"));
      System.out.println(out);
      status = ok ? 0 : 1;
    } finally {
      h.close();
    }
    System.exit(status);
  }

  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (Exception e) {
      return -1;
    }
  }

  /** One stream of calls and what became of each (keyed by the caller's number). */
  private static final class Run {
    private final Harness h;
    private final String prefix;
    private final List<String> placed = new ArrayList<>();
    private final Set<String> admitted = ConcurrentHashMap.newKeySet();
    private final Set<String> completed = ConcurrentHashMap.newKeySet();
    private final Map<String, String> channelOf = new HashMap<>();
    private final Map<String, Long> stasisAt = new HashMap<>();
    private final Map<String, Long> busyAt = new HashMap<>();
    private final Set<String> destroyed = new java.util.HashSet<>();
    /** Every request the application got, per caller: page and CallStatus, in order. */
    private final Map<String, List<String>> webhooks = new ConcurrentHashMap<>();
    /** Every ARI request per channel: method, path tail and query. */
    private final Map<String, List<String>> requests = new HashMap<>();
    private final String reason;

    Run(Harness h, String prefix, String reason) {
      this.h = h;
      this.prefix = prefix;
      this.reason = reason;
      h.listen(w -> {
        String from = w.params().getOrDefault("From", "");
        if (!from.startsWith(prefix)) {
          return;
        }
        webhooks.computeIfAbsent(from, f -> Collections.synchronizedList(new ArrayList<>()))
            .add(w.page() + ":" + w.params().getOrDefault("CallStatus", "")
                + (w.params().containsKey("ErrorCode") ? ":" + w.params().get("ErrorCode") : ""));
        if (w.page().equals("incoming")) {
          admitted.add(from);
        } else if ("completed".equals(w.params().get("CallStatus"))) {
          completed.add(from);
        }
      });
    }

    void offer(int rate, int seconds) throws InterruptedException {
      long start = System.nanoTime();
      long end = start + seconds * 1_000_000_000L;
      long lastRead = start;
      while (System.nanoTime() < end) {
        long now = System.nanoTime();
        long allowed = (long) ((now - start) / 1e9 * rate) + 1;
        // At most the calls of the time since the last read of the log, 10 to 100 ms of them: a
        // driver behind its schedule placed the whole backlog in one burst (minutes of calls at
        // once, starving the simulator, whose bounded log then dropped the burst's StasisStarts);
        // now it falls behind, and the rate it reached is reported. A read that takes longer
        // (over HTTP with --split) does not lower the rate below what it could place.
        long window = Math.min(100_000_000L, Math.max(10_000_000L, now - lastRead));
        lastRead = now;
        int burst = (int) Math.max(1, rate * window / 1_000_000_000L);
        while (placed.size() < allowed && burst-- > 0) {
          String from = prefix + String.format(Locale.ROOT, "%07d", placed.size());
          placed.add(from);
          h.sim().inboundCall(from, Harness.DIALLED);
        }
        harvest();
        Thread.sleep(2);
      }
    }

    void awaitEnded(int maxSeconds) throws InterruptedException {
      long end = System.nanoTime() + maxSeconds * 1_000_000_000L;
      while (System.nanoTime() < end) {
        harvest();
        if (ended() == placed.size()) {
          return;
        }
        Thread.sleep(200);
      }
    }

    private int ended() {
      int n = 0;
      for (String from : placed) {
        String ch = channelOf.get(from);
        if (ch != null && destroyed.contains(ch) && (!admitted.contains(from)
            || completed.contains(from))) {
          n++;
        }
      }
      return n;
    }

    private void harvest() {
      for (SimEntry e : h.sim().drain()) {
        if (e instanceof SimEntry.Event ev) {
          if (ev.type().equals("StasisStart") && ev.callerNumber().startsWith(prefix)) {
            channelOf.put(ev.callerNumber(), ev.channelId());
            stasisAt.put(ev.channelId(), ev.atMicros());
          } else if (ev.type().equals("ChannelDestroyed")) {
            destroyed.add(ev.channelId());
          }
        } else if (e instanceof SimEntry.Request r) {
          String channel = r.channelInPath();
          if (channel != null && stasisAt.containsKey(channel)) {
            requests.computeIfAbsent(channel, c -> new ArrayList<>())
                .add(r.method() + " " + r.verb() + (r.params().isEmpty() ? "" : "?" + r.params()));
          }
          if (r.method().equals("DELETE") && r.params().contains(reason)) {
            busyAt.putIfAbsent(channel, r.atMicros());
          }
        }
      }
    }

    long shedLate() {
      return shedDelays().stream().filter(d -> d > SHED_WITHIN_MICROS).count();
    }

    List<Long> shedDelays() {
      List<Long> delays = new ArrayList<>();
      for (String from : placed) {
        String ch = channelOf.get(from);
        if (ch != null && !admitted.contains(from) && busyAt.containsKey(ch)) {
          delays.add(busyAt.get(ch) - stasisAt.get(ch));
        }
      }
      Collections.sort(delays);
      return delays;
    }

    long admittedNotCompleted() {
      return admitted.stream().filter(f -> !completed.contains(f)).count();
    }

    /** Calls neither admitted nor shed busy (lost, or never reached Stasis). */
    long neither() {
      long n = 0;
      for (String from : placed) {
        String ch = channelOf.get(from);
        if (!admitted.contains(from) && (ch == null || !busyAt.containsKey(ch))) {
          n++;
        }
      }
      return n;
    }

    /**
     * Up to {@value #SAMPLE} calls of each failed check with what the simulator and the
     * application saw of them: to trace why they failed.
     */
    ObjectNode samples(Harness h) {
      ObjectNode o = JSON.createObjectNode();
      var notCompleted = o.putArray("admittedNotCompleted");
      admitted.stream().filter(f -> !completed.contains(f)).sorted().limit(SAMPLE)
          .forEach(f -> notCompleted.add(describe(f)));
      var late = o.putArray("shedLate");
      placed.stream().filter(f -> {
        String ch = channelOf.get(f);
        return ch != null && !admitted.contains(f) && busyAt.containsKey(ch)
            && busyAt.get(ch) - stasisAt.get(ch) > SHED_WITHIN_MICROS;
      }).limit(SAMPLE).forEach(f -> late.add(describe(f)));
      var neither = o.putArray("neither");
      placed.stream().filter(f -> {
        String ch = channelOf.get(f);
        return !admitted.contains(f) && (ch == null || !busyAt.containsKey(ch));
      }).limit(SAMPLE).forEach(f -> neither.add(describe(f)));
      var left = o.putArray("leftInStasis");
      h.sim().channelsInStasis(SAMPLE).forEach(left::add);
      return o;
    }

    private ObjectNode describe(String from) {
      String ch = channelOf.get(from);
      ObjectNode d = JSON.createObjectNode().put("from", from).put("channel", ch);
      if (ch != null) {
        d.put("destroyed", destroyed.contains(ch));
        if (busyAt.containsKey(ch)) {
          d.put("shedAfterMs", (busyAt.get(ch) - stasisAt.get(ch)) / 1000.0);
        }
        d.putPOJO("ari", requests.getOrDefault(ch, List.of()));
      }
      d.putPOJO("webhooks", webhooks.getOrDefault(from, List.of()));
      return d;
    }

    int channelsInStasis() {
      return h.sim().channelsInStasis();
    }

    ObjectNode summary() {
      List<Long> shed = shedDelays();
      ObjectNode o = JSON.createObjectNode();
      o.put("offered", placed.size()).put("admitted", admitted.size())
          .put("admittedCompleted", admitted.size() - admittedNotCompleted())
          .put("shed", shed.size()).put("shedLaterThan1s", shedLate())
          .put("neitherAdmittedNorShed", neither());
      if (!shed.isEmpty()) {
        o.put("shedAnswerP50Ms", shed.get(shed.size() / 2) / 1000.0)
            .put("shedAnswerP99Ms", shed.get((int) Math.min(shed.size() - 1,
                Math.round(shed.size() * 0.99))) / 1000.0)
            .put("shedAnswerMaxMs", shed.get(shed.size() - 1) / 1000.0);
      }
      return o;
    }
  }
}
