package org.switchboard.loadtest;

import java.time.Instant;

/** One line of the simulator's log, reduced to what the load generator measures. */
public sealed interface SimEntry permits SimEntry.Request, SimEntry.Event {

  /** Wall-clock time in microseconds since the epoch. */
  long atMicros();

  /**
   * A REST request Switchboard sent to the simulator.
   *
   * @param atMicros arrival time
   * @param method HTTP method
   * @param path path with {@code /ari}
   * @param params query string and body text (where bridge members and originate ids live)
   */
  record Request(long atMicros, String method, String path, String params) implements SimEntry {

    /** The channel id of a {@code /ari/channels/{id}/...} path, or null. */
    public String channelInPath() {
      String prefix = "/ari/channels/";
      if (!path.startsWith(prefix) || path.length() == prefix.length()) {
        return null;
      }
      int end = path.indexOf('/', prefix.length());
      return end < 0 ? path.substring(prefix.length()) : path.substring(prefix.length(), end);
    }

    /** The last path segment ({@code play}, {@code record}, {@code addChannel}, …). */
    public String verb() {
      return path.substring(path.lastIndexOf('/') + 1);
    }
  }

  /**
   * An event the simulator sent.
   *
   * @param atMicros send time
   * @param type ARI event type
   * @param channelId the channel it concerns (channel, recording/playback target, Dial peer), or
   *     empty
   * @param callerNumber the channel's caller number (for {@code StasisStart}), or empty
   */
  record Event(long atMicros, String type, String channelId, String callerNumber)
      implements SimEntry {

    /** Reduces an event frame: finds the concerned channel and its caller number. */
    public static Event of(long atMicros, String type, String json) {
      String channel = field(json, "\"channel\":{", "\"id\":\"");
      if (channel.isEmpty()) {
        channel = field(json, "\"target_uri\":\"channel:", null);
      }
      if (channel.isEmpty()) {
        channel = field(json, "\"peer\":{", "\"id\":\"");
      }
      String caller = "StasisStart".equals(type) ? field(json, "\"caller\":{", "\"number\":\"") : "";
      return new Event(atMicros, type, channel, caller);
    }

    private static String field(String json, String anchor, String key) {
      int i = json.indexOf(anchor);
      if (i < 0) {
        return "";
      }
      int start = i + anchor.length();
      if (key != null) {
        int k = json.indexOf(key, start);
        if (k < 0) {
          return "";
        }
        start = k + key.length();
      }
      int end = json.indexOf('"', start);
      return end < 0 ? "" : json.substring(start, end);
    }
  }

  /** Microseconds since the epoch of {@code t}. */
  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }
}
