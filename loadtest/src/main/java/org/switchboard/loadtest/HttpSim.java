package org.switchboard.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link SimControl} over HTTP: callers act through the simulator's {@code /sim} control API
 * (asynchronously, so the driver never waits on them) and the log comes from the simulator
 * process's {@code /harvest}.
 */
final class HttpSim implements SimControl {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String simBase;
  private final URI harvest;
  private final URI dropped;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicLong errors = new AtomicLong();
  private final long[] malformed = new long[1];

  HttpSim(int simPort, int harvestPort) {
    this.simBase = "http://127.0.0.1:" + simPort;
    this.harvest = URI.create("http://127.0.0.1:" + harvestPort + "/harvest");
    this.dropped = URI.create("http://127.0.0.1:" + harvestPort + "/dropped");
  }

  @Override
  public String ariUrl() {
    return simBase + "/ari";
  }

  @Override
  public void inboundCall(String from, String to) {
    post("/sim/calls", "{\"from\":\"" + from + "\",\"to\":\"" + to + "\"}");
  }

  @Override
  public void pressDtmf(String channel, String digits) {
    post("/sim/channels/" + channel + "/dtmf", "{\"digits\":\"" + digits + "\"}");
  }

  @Override
  public void speak(String channel, long ms) {
    post("/sim/channels/" + channel + "/speak", "{\"ms\":" + ms + "}");
  }

  @Override
  public void hangup(String channel) {
    post("/sim/channels/" + channel + "/hangup", "");
  }

  private void post(String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(simBase + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (r, e) -> {
              if (e != null || r.statusCode() != 200) {
                if (errors.incrementAndGet() <= 5) {
                  System.err.println("loadtest: POST " + path + " failed: "
                      + (e != null ? e : r.statusCode() + " " + r.body()));
                }
              }
            });
  }

  @Override
  public List<SimEntry> drain() {
    try {
      HttpResponse<String> r =
          http.send(HttpRequest.newBuilder(harvest).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("harvest answered " + r.statusCode());
      }
      return EntryCodec.decode(r.body(), malformed);
    } catch (Exception e) {
      errors.incrementAndGet();
      throw new IllegalStateException("cannot read the simulator's log: " + e.getMessage(), e);
    }
  }

  @Override
  public Map<String, Integer> leftovers() {
    try {
      HttpResponse<String> r =
          http.send(HttpRequest.newBuilder(URI.create(simBase + "/sim/state"))
              .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode state = JSON.readTree(r.body());
      Map<String, Integer> m = new LinkedHashMap<>();
      m.put("channels", state.path("channels").size());
      m.put("bridges", state.path("bridges").size());
      m.put("playbacks", state.path("playbacks").size());
      m.put("recordings", state.path("liveRecordings").size());
      return m;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the simulator's state: " + e.getMessage(), e);
    }
  }

  @Override
  public long logDropped() {
    try {
      return Long.parseLong(http.send(HttpRequest.newBuilder(dropped)
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString())
          .body().trim());
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the simulator's dropped count: "
          + e.getMessage(), e);
    }
  }

  @Override
  public List<String> channelsInStasis(int max) {
    try {
      HttpResponse<String> r =
          http.send(HttpRequest.newBuilder(URI.create(simBase + "/sim/state"))
              .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      List<String> out = new java.util.ArrayList<>();
      for (JsonNode c : JSON.readTree(r.body()).path("channels")) {
        if (!c.path("stasisApp").isNull() && !c.path("stasisApp").isMissingNode()
            && out.size() < max) {
          out.add(c.toString());
        }
      }
      return out;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the simulator's state: " + e.getMessage(), e);
    }
  }

  /** Whether the simulator has an event socket for {@code app} (Switchboard connected). */
  boolean hasApplication(String app) {
    try {
      HttpResponse<String> r =
          http.send(HttpRequest.newBuilder(URI.create(simBase + "/sim/state"))
              .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      for (JsonNode a : JSON.readTree(r.body()).path("applications")) {
        if (a.asText().equals(app) || a.path("name").asText().equals(app)) {
          return true;
        }
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public long controlErrors() {
    return errors.get() + malformed[0];
  }

  @Override
  public void close() {
    // the simulator process is stopped by SplitHarness
  }
}
