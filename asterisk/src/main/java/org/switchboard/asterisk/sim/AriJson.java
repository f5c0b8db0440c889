package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Builds ARI's JSON objects with Asterisk's field names and order. */
final class AriJson {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

  private AriJson() {}

  static ObjectNode object() {
    return F.objectNode();
  }

  static ArrayNode array() {
    return F.arrayNode();
  }

  /** The formatted second of the latest {@link #time} call (most events share their second). */
  private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "");

  private record Second(long epochSecond, String text) {}

  /** {@code 2026-01-01T00:00:00.000+0000}, as Asterisk writes event times (UTC here). */
  static String time(Instant t) {
    Second second = lastSecond;
    if (second.epochSecond() != t.getEpochSecond()) {
      String full = TIME.format(t);
      second = new Second(t.getEpochSecond(), full.substring(0, full.indexOf('.')));
      lastSecond = second;
    }
    int millis = t.getNano() / 1_000_000;
    StringBuilder b = new StringBuilder(28).append(second.text()).append('.');
    if (millis < 100) {
      b.append('0');
    }
    if (millis < 10) {
      b.append('0');
    }
    return b.append(millis).append("+0000").toString();
  }

  /** The compact JSON text of {@code node}. */
  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  static ObjectNode message(String text) {
    return object().put("message", text);
  }

  static ObjectNode channel(SimChannel c) {
    ObjectNode n = object();
    n.put("id", c.id).put("name", c.name).put("state", c.state).put("protocol_id", "");
    n.putObject("caller").put("name", c.callerName).put("number", c.callerNumber);
    n.putObject("connected").put("name", c.connectedName).put("number", c.connectedNumber);
    n.put("accountcode", "");
    n.putObject("dialplan").put("context", c.context).put("exten", c.exten)
        .put("priority", c.priority).put("app_name", c.appName).put("app_data", c.appData);
    n.put("creationtime", c.creationText).put("language", "en");
    return n;
  }

  static ObjectNode bridge(SimBridge b) {
    ObjectNode n = object();
    n.put("id", b.id).put("technology", b.technology()).put("bridge_type", b.bridgeType)
        .put("bridge_class", "stasis").put("creator", "Stasis").put("name", b.name);
    ArrayNode channels = n.putArray("channels");
    b.channels.forEach(channels::add);
    n.put("creationtime", b.creationText).put("video_mode", "talker");
    return n;
  }

  static ObjectNode playback(SimPlayback p) {
    ObjectNode n = object();
    n.put("id", p.id).put("media_uri", p.currentMedia());
    if (p.nextMedia() != null) {
      n.put("next_media_uri", p.nextMedia());
    }
    n.put("target_uri", p.targetUri).put("language", p.language).put("state", p.state);
    return n;
  }

  static ObjectNode recording(SimRecording r) {
    return object().put("name", r.name).put("format", r.format).put("state", r.state)
        .put("target_uri", r.targetUri);
  }

  static ObjectNode stored(String name, String format) {
    return object().put("name", name).put("format", format);
  }
}
