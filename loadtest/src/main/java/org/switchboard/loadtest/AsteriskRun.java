package org.switchboard.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * {@code --asterisk}: loads a real Asterisk that a separately running Switchboard serves. Each
 * call is originated over ARI as {@code Local/<number>@<inbound-context>}: the {@code ;2} half
 * enters Switchboard's Stasis application, the {@code ;1} half (the "caller") runs
 * {@code <caller-extension>@<caller-context>}: for {@code simple} and {@code queue} a phone that
 * answers and waits, for {@code menu} one that presses 1 through the dialplan ({@code
 * SendDTMF}, so the digit reaches Switchboard as {@code ChannelDtmfReceived} like a caller's).
 * The test application listens on {@code loadtest.app-port} (default 18090); Switchboard's voice
 * URL must point at it. The {@code simple}, {@code menu} and {@code queue} profiles run here;
 * latencies need the simulator's log and are not measured. A call counts as completed only when its channels are gone and every webhook
 * its profile expects arrived without an error ({@link WebhookBook}); with {@code
 * -Dloadtest.asterisk-pid} / {@code -Dloadtest.switchboard-pid} the CPU time of those processes
 * during the run is reported ({@code cpuByPart}) and per completed call (notes).
 */
final class AsteriskRun {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * Suffixes of the caller ({@code ;1}) and Stasis ({@code ;2}) halves of call {@code lt-N}.
   * Asterisk refuses a channel id that begins a live channel's id, so neither may be a prefix of
   * the other, nor of another call's ({@code lt-1-in} does not begin {@code lt-10-in}).
   */
  private static final String CALLER = "-caller";
  private static final String INBOUND = "-in";

  private AsteriskRun() {}

  static int run(LoadArgs args) throws Exception {
    if (args.profile() != Profile.SIMPLE && args.profile() != Profile.QUEUE
        && args.profile() != Profile.MENU) {
      System.err.println("loadtest: --asterisk runs the simple, menu and queue profiles only");
      return 2;
    }
    LoadArgs.AsteriskTarget t = args.asterisk().orElseThrow();
    String ari = t.ariUrl().toString();
    int appPort = Integer.getInteger("loadtest.app-port", 18090);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "loadtest-app");
    AtomicLong webhooks = new AtomicLong();
    WebhookBook book = new WebhookBook(args.profile());
    TestApp app = new TestApp(args.profile(), "http://127.0.0.1:" + appPort, w -> {
      webhooks.incrementAndGet();
      book.add(w);
    });
    ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", appPort).bind(app.route())
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.err.println("loadtest: test application on " + app.voiceUrl()
        + " (set it as Switchboard's voice URL)");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String auth = "Basic " + Base64.getEncoder().encodeToString(
        (t.user() + ":" + t.password()).getBytes(StandardCharsets.UTF_8));
    Set<String> live = new HashSet<>();
    Map<String, String> fromOf = new java.util.HashMap<>();
    List<String> endedFrom = new java.util.ArrayList<>();
    Set<String> seen = new HashSet<>();
    Map<String, Long> originated = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicLong failed = new AtomicLong();
    int placed = 0;
    int peak = 0;
    int ended = 0;
    double cpu0 = LoadTestMain.processCpuSeconds();
    ProcessCpu asteriskCpu = ProcessCpu.fromProperty("loadtest.asterisk-pid");
    ProcessCpu switchboardCpu = ProcessCpu.fromProperty("loadtest.switchboard-pid");
    long start = System.nanoTime();
    long deadline = start + args.duration().toNanos();
    long nextPoll = start;
    while (System.nanoTime() < deadline && (placed < args.calls() || !live.isEmpty())) {
      long now = System.nanoTime();
      long allowed = (long) ((now - start) / 1e9 * args.rate()) + 1;
      while (placed < args.calls() && placed < allowed && live.size() < args.concurrency()) {
        String id = "lt-" + placed;
        String from = String.format(Locale.ROOT, "+1555%07d", placed);
        String q = "endpoint=" + enc("Local/" + Harness.DIALLED + "@" + t.inboundContext())
            + "&context=" + enc(t.callerContext()) + "&extension=" + enc(t.callerExtension())
            + "&priority=1"
            + "&callerId=" + enc(from)
            + "&channelId=" + id + CALLER + "&otherChannelId=" + id + INBOUND + "&timeout=30";
        send(http, auth, "POST", URI.create(ari + "/channels?" + q), failed)
            .thenAccept(ok -> originated.put(id, ok ? System.nanoTime() : ORIGINATE_FAILED));
        live.add(id);
        fromOf.put(id, from);
        placed++;
      }
      if (now >= nextPoll) {
        nextPoll = now + 500_000_000L;
        long pollStart = System.nanoTime();
        Set<String> present = channelIds(http, auth, ari);
        if (present == null) {
          continue; // this poll failed (logged); the next one decides
        }
        for (var it = live.iterator(); it.hasNext(); ) {
          String id = it.next();
          boolean there = present.contains(id + INBOUND) || present.contains(id + CALLER);
          if (there) {
            seen.add(id);
            if (args.profile() == Profile.QUEUE
                && now - start > args.hold().toNanos()) {
              send(http, auth, "DELETE", URI.create(ari + "/channels/" + id + CALLER),
                  failed);
            }
          } else if (seen.contains(id) || book.statusArrived(fromOf.get(id))
              || gone(originated.get(id), pollStart)) {
            // A call can begin and end between two polls: it is over once a poll that began after
            // Asterisk answered its originate finds neither half (or the originate failed), so
            // every call is counted, not only those a poll saw alive.
            it.remove();
            ended++;
            endedFrom.add(fromOf.get(id));
          }
        }
        peak = Math.max(peak, live.size());
        System.err.printf(Locale.ROOT, "loadtest asterisk: placed %d live %d ended %d webhooks %d%n",
            placed, live.size(), ended, webhooks.get());
      }
      Thread.sleep(5);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Thread.sleep(args.grace().toMillis());
    Map<String, Integer> orphans = new LinkedHashMap<>();
    orphans.put("channels", count(http, auth, ari + "/channels", "lt-"));
    orphans.put("bridges", count(http, auth, ari + "/bridges", ""));
    if (orphans.get("channels") < 0 || orphans.get("bridges") < 0) {
      System.err.println("loadtest: the leftovers could not be listed (see above)");
    }
    binding.unbind();
    system.terminate();
    int completed = 0;
    for (String from : endedFrom) {
      if (book.completed(from)) {
        completed++;
      }
    }
    Map<String, Double> cpuByPart = new LinkedHashMap<>();
    asteriskCpu.secondsSinceStart().ifPresent(v -> cpuByPart.put("asterisk", v));
    switchboardCpu.secondsSinceStart().ifPresent(v -> cpuByPart.put("switchboard", v));
    StringBuilder notes = new StringBuilder("latencies are not measured against a real Asterisk;"
        + " cpuSeconds is the load generator's; cpuByPart is Asterisk's and Switchboard's"
        + " (-Dloadtest.asterisk-pid, -Dloadtest.switchboard-pid); " + webhooks.get()
        + " webhooks; a call is completed when its channels are gone and every expected webhook"
        + " arrived without an error");
    for (Map.Entry<String, Double> part : cpuByPart.entrySet()) {
      notes.append(String.format(Locale.ROOT, "; %s %.1f ms CPU per completed call",
          part.getKey(), completed == 0 ? 0 : part.getValue() * 1000 / completed));
    }
    book.failures().forEach((why, n) -> notes.append("; ").append(n).append(" calls: ").append(why));
    LoadResult r = new LoadResult(args.profile().id(), "asterisk", placed, completed,
        placed - completed, seconds, peak, new Percentiles().summary(), new Percentiles().summary(),
        OptionalLong.empty(), 0, OptionalDouble.of(LoadTestMain.processCpuSeconds() - cpu0),
        OptionalDouble.empty(), book.missingWebhooks(endedFrom), orphans, notes.toString(),
        cpuByPart, OptionalLong.empty());
    return LoadTestMain.report(args, r);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** {@code originated} holds this for a call whose originate Asterisk refused or never answered. */
  static final long ORIGINATE_FAILED = Long.MIN_VALUE;

  /** How long a GET of the channel or bridge list may take (a loaded Asterisk answers slowly). */
  private static final Duration GET_TIMEOUT = Duration.ofSeconds(60);

  /** A call absent from a poll is over when its originate failed or was answered before the poll. */
  static boolean gone(Long originatedAt, long pollStart) {
    return originatedAt != null
        && (originatedAt == ORIGINATE_FAILED || originatedAt - pollStart < 0);
  }

  /** Sends a request; completes with whether Asterisk accepted it (a DELETE's 404 counts). */
  private static java.util.concurrent.CompletableFuture<Boolean> send(
      HttpClient http, String auth, String method, URI uri, AtomicLong failed) {
    HttpRequest req = HttpRequest.newBuilder(uri).header("Authorization", auth)
        .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody()).build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).handle((r, e) -> {
      if (e != null || r.statusCode() >= 300 && !(method.equals("DELETE") && r.statusCode() == 404)) {
        if (failed.incrementAndGet() <= 5) {
          System.err.println("loadtest: " + method + " " + uri.getPath() + " failed: "
              + (e != null ? e : r.statusCode() + " " + r.body()));
        }
        return false;
      }
      return true;
    });
  }

  /** The live channel ids, or null when this poll's GET failed. */
  private static Set<String> channelIds(HttpClient http, String auth, String ari) {
    JsonNode list = get(http, auth, ari + "/channels", 1);
    if (list == null) {
      return null;
    }
    Set<String> ids = new HashSet<>();
    for (JsonNode c : list) {
      ids.add(c.path("id").asText());
    }
    return ids;
  }

  /** How many listed objects' ids begin with {@code idPrefix}; -1 when every attempt failed. */
  private static int count(HttpClient http, String auth, String url, String idPrefix) {
    JsonNode list = get(http, auth, url, 5);
    if (list == null) {
      return -1;
    }
    int n = 0;
    for (JsonNode c : list) {
      if (c.path("id").asText().startsWith(idPrefix)) {
        n++;
      }
    }
    return n;
  }

  /** GET {@code url} up to {@code attempts} times ({@link #GET_TIMEOUT} each); null if all fail. */
  private static JsonNode get(HttpClient http, String auth, String url, int attempts) {
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", auth).timeout(GET_TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return JSON.readTree(r.body());
        }
        System.err.println("loadtest: ARI GET " + url + ": " + r.statusCode());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      } catch (Exception e) {
        System.err.println("loadtest: ARI GET " + url + " failed (attempt " + attempt + " of "
            + attempts + "): " + e.getMessage());
      }
    }
    return null;
  }
}
