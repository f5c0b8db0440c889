package org.switchboard.http.realasterisk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What a real Asterisk does to its channels, as an observer sees it: an ARI application of its own
 * subscribed to everything ({@code subscribeAll=true}), which owns no channel and sends no
 * command. For every channel created after it opened it keeps the name, the <b>explicit hangups</b>
 * requested of it and how often it was destroyed.
 *
 * <p>An explicit hangup is a {@code ChannelHangupRequest} with {@code soft: true} and cause 32
 * ({@code AST_SOFTHANGUP_EXPLICIT}): what {@code DELETE /channels/{id}} of any ARI application
 * causes (recorded in {@code ../shared/ari-transcripts/}, e.g. {@code 04-parallel-ring-…}). A
 * channel whose far end hangs up (the other half of a Local channel, a phone's {@code Hangup()})
 * gets a request without {@code soft}, and the {@code soft} ones Asterisk adds while a channel
 * goes carry another cause: neither counts. So the explicit hangups of a channel are the hangups
 * applications asked for, one each, whoever asked.
 */
public final class ChannelWatch implements AutoCloseable {
  /** {@code AST_SOFTHANGUP_EXPLICIT}: the cause of the request an ARI hangup makes. */
  private static final int EXPLICIT = 32;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One channel as seen: its name, when (System.nanoTime) each explicit hangup came, its ends. */
  public record Seen(String name, List<Long> explicitHangups, int destroyed) {}

  private final Map<String, String> names = new LinkedHashMap<>();
  private final Map<String, List<Long>> hangups = new HashMap<>();
  private final Map<String, Integer> destroyed = new HashMap<>();
  private final WebSocket socket;

  private ChannelWatch(WebSocket.Builder builder, URI uri) {
    try {
      socket = builder.buildAsync(uri, new TextFrames(this::received)).get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("event socket " + uri + ": " + e, e);
    }
  }

  /** Opens the watch on {@code asterisk} under an application name of its own. */
  public static ChannelWatch open(RealAsterisk asterisk) {
    String app = "sbwatch" + Long.toHexString(System.nanoTime());
    String auth = "Basic " + Base64.getEncoder().encodeToString(
        (asterisk.user() + ":" + asterisk.password()).getBytes(StandardCharsets.UTF_8));
    URI uri = URI.create(asterisk.ariUrl().replaceFirst("^http", "ws") + "/events?app="
        + URLEncoder.encode(app, StandardCharsets.UTF_8) + "&subscribeAll=true");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return new ChannelWatch(http.newWebSocketBuilder().header("Authorization", auth), uri);
  }

  /** Every channel created since the watch opened, by id, in the order they were created. */
  public synchronized Map<String, Seen> channels() {
    Map<String, Seen> out = new LinkedHashMap<>();
    names.forEach((id, name) -> out.put(id, new Seen(name,
        List.copyOf(hangups.getOrDefault(id, List.of())), destroyed.getOrDefault(id, 0))));
    return out;
  }

  /** The id of the first channel created since the watch opened whose name starts so. */
  public synchronized Optional<String> idOfName(String namePrefix) {
    return names.entrySet().stream().filter(e -> e.getValue().startsWith(namePrefix))
        .map(Map.Entry::getKey).findFirst();
  }

  /** The channels created since the watch opened that are not destroyed yet. */
  public synchronized List<String> live() {
    List<String> out = new ArrayList<>();
    names.keySet().stream().filter(id -> !destroyed.containsKey(id)).forEach(out::add);
    return out;
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
  }

  private synchronized void received(String text) {
    long at = System.nanoTime();
    JsonNode event;
    try {
      event = JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable ARI event: " + text, e);
    }
    String id = event.path("channel").path("id").asText("");
    switch (event.path("type").asText()) {
      case "ChannelCreated" -> names.putIfAbsent(id, event.path("channel").path("name").asText());
      case "ChannelHangupRequest" -> {
        if (names.containsKey(id) && event.path("soft").asBoolean(false)
            && event.path("cause").asInt() == EXPLICIT) {
          hangups.computeIfAbsent(id, k -> new ArrayList<>()).add(at);
        }
      }
      case "ChannelDestroyed" -> {
        if (names.containsKey(id)) {
          destroyed.merge(id, 1, Integer::sum);
        }
      }
      default -> { }
    }
  }
}
