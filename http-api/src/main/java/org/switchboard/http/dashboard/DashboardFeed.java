package org.switchboard.http.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.asterisk.client.AriConnector;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.engine.call.ActiveCalls;
import org.switchboard.engine.hotline.CallOperations;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.queue.QueueMember;
import org.switchboard.engine.queue.QueueStats;
import org.switchboard.http.api.ApiJson;
import org.switchboard.http.api.MetricsRegistry.Totals;
import org.switchboard.http.api.SwitchboardMetrics;

/**
 * The dashboard's picture of the node, as one JSON document: Asterisk links (state, owner node,
 * event lag), calls in progress (From/To, status, current verb, duration, legs ringing), recently
 * ended calls, queues (size, longest and average wait), recent warnings and errors with their
 * Twilio codes, webhook and ARI latency and calls started per second since the previous picture,
 * and the cluster's members.
 *
 * <p>A picture is computed at most once per {@code refresh}, however many browsers watch (they
 * share it), and not at all while none does: it asks each live call of the node for its snapshot
 * once, reads the queues' stats and the metrics' running totals. Thread-safe.
 */
public final class DashboardFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DashboardFeed.class);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(2);

  private final ActorSystem<?> system;
  private final CallOperations ops;
  private final AriConnector ari;
  private final SwitchboardMetrics metrics;
  private final RecentErrors errors;
  private final DashboardSettings settings;
  private final Clock clock;
  private final Instant started;
  private final AtomicLong ended = new AtomicLong();
  private final Consumer<CallSnapshot> endedCounter = call -> ended.incrementAndGet();

  private CompletableFuture<String> latest;
  private long latestAtNanos;
  private Window previous;

  /** Totals at the time of a picture, to turn running totals into rates. */
  private record Window(long atNanos, long callsStarted, Totals webhooks, Totals ari,
      Map<String, Totals> eventLag) {}

  /** A feed over the node's parts; {@link #close()} releases what it attached. */
  public DashboardFeed(ActorSystem<?> system, CallOperations ops, AriConnector ari,
      SwitchboardMetrics metrics, RecentErrors errors, DashboardSettings settings, Clock clock) {
    this.system = system;
    this.ops = ops;
    this.ari = ari;
    this.metrics = metrics;
    this.errors = errors;
    this.settings = settings;
    this.clock = clock;
    this.started = clock.instant();
    ops.history().addListener(endedCounter);
  }

  /** The current picture as JSON: the last one if it is younger than the refresh interval. */
  public synchronized CompletionStage<String> latest() {
    long now = System.nanoTime();
    if (latest == null || now - latestAtNanos >= settings.refresh().toNanos() * 9 / 10) {
      latestAtNanos = now;
      latest = picture().toCompletableFuture();
    }
    return latest;
  }

  private CompletionStage<String> picture() {
    ActiveCalls active = ops.calls().active();
    CompletableFuture<List<CallSnapshot>> calls =
        active.snapshots(system, ASK_TIMEOUT).toCompletableFuture();
    CompletableFuture<List<QueueStats>> queues = ops.allQueueStats().toCompletableFuture()
        .exceptionally(e -> {
          LOG.debug("dashboard: queue stats unavailable: {}", e.toString());
          return List.of();
        });
    return calls.thenCombine(queues, (c, q) -> json(c, q, active)).exceptionally(e -> {
      LOG.warn("dashboard picture failed: {}", e.toString());
      return "{\"error\":\"the node did not answer in time\"}";
    });
  }

  private String json(List<CallSnapshot> calls, List<QueueStats> queues, ActiveCalls active) {
    Instant now = clock.instant();
    Window window = window(active);
    Window before;
    synchronized (this) {
      before = previous == null ? window : previous;
      previous = window;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("at", now.toString());
    body.put("node", node(now, active));
    body.put("links", links(window, before));
    body.put("calls", calls(calls, active, now));
    body.put("ended", ended());
    body.put("queues", queues.stream().map(DashboardFeed::queue).toList());
    body.put("errors", errors());
    body.put("rates", rates(window, before));
    body.put("members", members());
    try {
      return ApiJson.MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Window window(ActiveCalls active) {
    Map<String, Totals> lag = new HashMap<>();
    ari.links().keySet().forEach(id -> lag.put(id, metrics.ariEventLagTotals(id)));
    return new Window(System.nanoTime(), ended.get() + active.count(),
        metrics.webhookLatencyTotals(), metrics.ariCommandLatencyTotals(), lag);
  }

  private Map<String, Object> node(Instant now, ActiveCalls active) {
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("address", selfAddress());
    node.put("uptimeSeconds", Duration.between(started, now).toSeconds());
    node.put("activeCalls", active.count());
    node.put("ringingLegs", active.ringingLegs());
    node.put("draining", active.draining().isPresent());
    return node;
  }

  private List<Map<String, Object>> links(Window now, Window before) {
    List<Map<String, Object>> links = new ArrayList<>();
    for (LinkStatus link : ari.links().values()) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("serverId", link.serverId());
      json.put("state", link.connected() ? "connected" : "disconnected");
      json.put("since", link.since().toString());
      json.put("node", selfAddress());
      json.put("connects", link.connects());
      json.put("eventLagMs", averageMs(now.eventLag().get(link.serverId()),
          before.eventLag().get(link.serverId())));
      json.put("lastError", link.lastError().orElse(null));
      links.add(json);
    }
    links.sort(Comparator.comparing(l -> String.valueOf(l.get("serverId"))));
    return links;
  }

  private Map<String, Object> calls(List<CallSnapshot> snapshots, ActiveCalls active, Instant now) {
    Set<String> ringing = active.ringingLegSids();
    Map<String, Integer> legsRinging = new HashMap<>();
    for (CallSnapshot s : snapshots) {
      if (ringing.contains(s.callSid()) && s.parentCallSid().isPresent()) {
        legsRinging.merge(s.parentCallSid().get(), 1, Integer::sum);
      }
    }
    List<Map<String, Object>> rows = snapshots.stream()
        .filter(s -> s.endTime().isEmpty())
        .sorted(Comparator.comparing(CallSnapshot::startTime).thenComparing(CallSnapshot::callSid))
        .limit(settings.maxCalls())
        .map(s -> {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("callSid", s.callSid());
          row.put("parentCallSid", s.parentCallSid().orElse(null));
          row.put("from", s.from());
          row.put("to", s.to());
          row.put("status", s.status());
          row.put("direction", s.direction());
          row.put("verb", active.activity(s.callSid()).orElse(null));
          row.put("durationSeconds", Math.max(0, Duration.between(s.startTime(), now).toSeconds()));
          row.put("legsRinging", legsRinging.getOrDefault(s.callSid(), 0));
          return row;
        })
        .toList();
    Map<String, Object> calls = new LinkedHashMap<>();
    calls.put("total", active.count());
    calls.put("shown", rows);
    return calls;
  }

  private List<Map<String, Object>> ended() {
    return ops.history().list().stream().limit(settings.recentlyEnded()).map(s -> {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("callSid", s.callSid());
      row.put("from", s.from());
      row.put("to", s.to());
      row.put("status", s.status());
      row.put("endTime", s.endTime().map(Instant::toString).orElse(null));
      row.put("durationSeconds", s.endTime()
          .map(end -> Math.max(0, Duration.between(s.startTime(), end).toSeconds())).orElse(null));
      return row;
    }).toList();
  }

  private static Map<String, Object> queue(QueueStats stats) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", stats.name());
    json.put("size", stats.currentSize());
    json.put("maxSize", stats.maxSize());
    json.put("averageWaitSeconds", stats.averageWaitSeconds());
    json.put("longestWaitSeconds",
        stats.members().stream().mapToInt(QueueMember::waitTimeSeconds).max().orElse(0));
    return json;
  }

  private List<Map<String, Object>> errors() {
    return errors.newestFirst().stream().limit(settings.recentErrors()).map(e -> {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("at", e.at().toString());
      json.put("level", e.level());
      json.put("logger", e.logger());
      json.put("callSid", e.callSid().orElse(null));
      json.put("code", e.twilioCode().orElse(null));
      json.put("message", e.message());
      return json;
    }).toList();
  }

  private static Map<String, Object> rates(Window now, Window before) {
    double seconds = Math.max(1e-3, (now.atNanos() - before.atNanos()) / 1e9);
    Map<String, Object> rates = new LinkedHashMap<>();
    rates.put("webhookMs", averageMs(now.webhooks(), before.webhooks()));
    rates.put("ariMs", averageMs(now.ari(), before.ari()));
    rates.put("callsPerSecond", now == before
        ? 0.0 : Math.max(0, now.callsStarted() - before.callsStarted()) / seconds);
    return rates;
  }

  /** The mean of the observations between two totals, in milliseconds; null when none. */
  private static Double averageMs(Totals now, Totals before) {
    if (now == null) {
      return null;
    }
    long count = now.count() - (before == null ? 0 : before.count());
    double sum = now.sum() - (before == null ? 0 : before.sum());
    return count <= 0 ? null : Math.round(sum / count * 10_000) / 10.0;
  }

  private List<Map<String, Object>> members() {
    List<Map<String, Object>> members = new ArrayList<>();
    try {
      Cluster cluster = Cluster.get(system);
      Set<Member> unreachable = new java.util.HashSet<>();
      cluster.state().getUnreachable().forEach(unreachable::add);
      for (Member member : cluster.state().getMembers()) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("address", member.address().toString());
        json.put("status", member.status().toString());
        json.put("reachable", !unreachable.contains(member));
        json.put("roles", List.copyOf(member.getRoles()));
        json.put("self", member.equals(cluster.selfMember()));
        members.add(json);
      }
    } catch (RuntimeException e) {
      LOG.debug("dashboard: no cluster state: {}", e.toString());
    }
    return members;
  }

  private String selfAddress() {
    return system.address().toString();
  }

  @Override
  public void close() {
    ops.history().removeListener(endedCounter);
  }
}
