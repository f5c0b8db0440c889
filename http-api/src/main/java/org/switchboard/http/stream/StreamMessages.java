package org.switchboard.http.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/**
 * The JSON of Twilio's Media Streams protocol (spec §6): messages to the application, and the
 * parsing of the application's messages. Numbers go out as strings, as Twilio sends them.
 */
public final class StreamMessages {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StreamMessages() {}

  /** A message from the application. */
  public sealed interface AppMessage {}

  /** {@code media}: audio to play, in the stream's format (µ-law 8 kHz by default). */
  public record Media(byte[] ulaw) implements AppMessage {}

  /** {@code mark}: a marker behind the queued audio. */
  public record Mark(String name) implements AppMessage {}

  /** {@code clear}: drop the queued audio. */
  public record Clear() implements AppMessage {}

  /** The first message: {@code connected}. */
  public static ObjectNode connected() {
    return JSON.createObjectNode().put("event", "connected").put("protocol", "Call")
        .put("version", "1.0.0");
  }

  /** The {@code start} message. */
  public static ObjectNode start(StreamParams p) {
    ObjectNode start = JSON.createObjectNode();
    start.put("accountSid", p.accountSid()).put("streamSid", p.streamSid()).put("callSid", p.callSid());
    var tracks = start.putArray("tracks");
    p.tracks().forEach(t -> tracks.add(t.wire()));
    start.putObject("mediaFormat").put("encoding", p.appFormat().encoding().mimeType())
        .put("sampleRate", p.appFormat().sampleRate()).put("channels", 1);
    ObjectNode custom = start.putObject("customParameters");
    p.customParameters().forEach(custom::put);
    ObjectNode msg = JSON.createObjectNode().put("event", "start");
    msg.put("streamSid", p.streamSid());
    msg.set("start", start);
    return msg;
  }

  /** A {@code media} message. */
  public static ObjectNode media(String streamSid, String track, long chunk, long timestampMs, byte[] ulaw) {
    ObjectNode msg = JSON.createObjectNode().put("event", "media").put("streamSid", streamSid);
    msg.putObject("media").put("track", track).put("chunk", Long.toString(chunk))
        .put("timestamp", Long.toString(timestampMs))
        .put("payload", Base64.getEncoder().encodeToString(ulaw));
    return msg;
  }

  /** A {@code dtmf} message. */
  public static ObjectNode dtmf(String streamSid, char digit) {
    ObjectNode msg = JSON.createObjectNode().put("event", "dtmf").put("streamSid", streamSid);
    msg.putObject("dtmf").put("track", "inbound_track").put("digit", String.valueOf(digit));
    return msg;
  }

  /** A {@code mark} echo. */
  public static ObjectNode mark(String streamSid, String name) {
    ObjectNode msg = JSON.createObjectNode().put("event", "mark").put("streamSid", streamSid);
    msg.putObject("mark").put("name", name);
    return msg;
  }

  /** The {@code stop} message. */
  public static ObjectNode stop(StreamParams p) {
    ObjectNode msg = JSON.createObjectNode().put("event", "stop").put("streamSid", p.streamSid());
    msg.putObject("stop").put("accountSid", p.accountSid()).put("callSid", p.callSid());
    return msg;
  }

  /** Puts {@code sequenceNumber} first after {@code event} and renders the JSON text. */
  public static String render(ObjectNode message, long sequenceNumber) {
    ObjectNode out = JSON.createObjectNode();
    out.set("event", message.get("event"));
    if (sequenceNumber > 0) {
      out.put("sequenceNumber", Long.toString(sequenceNumber));
    }
    message.fields().forEachRemaining(f -> {
      if (!f.getKey().equals("event")) {
        out.set(f.getKey(), f.getValue());
      }
    });
    try {
      return JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render stream message", e);
    }
  }

  /**
   * Parses an application message.
   *
   * @throws IllegalArgumentException for bad JSON, unknown events or missing fields
   */
  public static AppMessage parse(String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    String event = node.path("event").asText("");
    return switch (event) {
      case "media" -> {
        JsonNode payload = node.path("media").path("payload");
        if (!payload.isTextual()) {
          throw new IllegalArgumentException("media message without media.payload");
        }
        try {
          yield new Media(Base64.getDecoder().decode(payload.asText()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("media.payload is not base64");
        }
      }
      case "mark" -> {
        JsonNode name = node.path("mark").path("name");
        if (!name.isTextual()) {
          throw new IllegalArgumentException("mark message without mark.name");
        }
        yield new Mark(name.asText());
      }
      case "clear" -> new Clear();
      default -> throw new IllegalArgumentException("unknown event '" + event + "'");
    };
  }
}
