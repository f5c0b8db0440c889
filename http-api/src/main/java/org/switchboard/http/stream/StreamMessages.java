package org.switchboard.http.stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/**
 * The JSON of Twilio's Media Streams protocol (spec §6): messages to the application, and the
 * parsing of the application's messages. Numbers go out as strings, as Twilio sends them.
 */
public final class StreamMessages {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();

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

  /**
   * The rendered {@code media} message with {@code sequenceNumber}: the same text as {@code
   * render(media(...), sequenceNumber)}, without a JSON tree (a session keeps one {@link
   * MediaMessageWriter} per stream and reuses its buffer). {@code streamSid} and {@code track} are
   * Switchboard's own ASCII names and need no escaping.
   */
  public static String mediaText(long sequenceNumber, String streamSid, String track, long chunk,
      long timestampMs, byte[] audio) {
    return new MediaMessageWriter(streamSid).media(sequenceNumber, track, chunk, timestampMs,
        audio);
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
   * Parses an application message with Jackson's streaming parser (no tree: {@code media} comes
   * 50 times a second per stream). Unknown fields are skipped; a repeated field keeps its last
   * value.
   *
   * @throws IllegalArgumentException for bad JSON, unknown events or missing fields
   */
  public static AppMessage parse(String text) {
    String event = null;
    boolean payloadText = false;
    byte[] audio = null;
    String markName = null;
    boolean payloadSeen = false;
    boolean markNameSeen = false;
    try (JsonParser parser = FACTORY.createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals("event")) {
          event = value.isScalarValue() ? parser.getValueAsString("") : "";
          parser.skipChildren();
        } else if ((field.equals("media") || field.equals("mark"))
            && value == JsonToken.START_OBJECT) {
          boolean media = field.equals("media");
          String wanted = media ? "payload" : "name";
          boolean seen = false;
          boolean string = false;
          String found = null;
          byte[] decoded = null;
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String inner = parser.currentName();
            JsonToken innerValue = parser.nextToken();
            if (inner.equals(wanted)) {
              seen = true;
              string = innerValue == JsonToken.VALUE_STRING;
              if (media) {
                // Straight from the parser's characters: no String of the payload per frame.
                decoded = string ? Base64Text.decode(parser.getTextCharacters(),
                    parser.getTextOffset(), parser.getTextLength()) : null;
              } else {
                found = string ? parser.getText() : null;
              }
            }
            parser.skipChildren();
          }
          if (media) {
            payloadSeen = seen;
            payloadText = string;
            audio = decoded;
          } else {
            markNameSeen = seen;
            markName = found;
          }
        } else {
          if (field.equals("media")) {
            payloadSeen = false;
          } else if (field.equals("mark")) {
            markNameSeen = false;
          }
          parser.skipChildren();
        }
      }
      if (parser.currentToken() != JsonToken.END_OBJECT) {
        throw new IllegalArgumentException("not JSON: unterminated object");
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage());
    }
    String type = event == null ? "" : event;
    return switch (type) {
      case "media" -> {
        if (!payloadSeen || !payloadText) {
          throw new IllegalArgumentException("media message without media.payload");
        }
        if (audio == null) {
          throw new IllegalArgumentException("media.payload is not base64");
        }
        yield new Media(audio);
      }
      case "mark" -> {
        if (!markNameSeen || markName == null) {
          throw new IllegalArgumentException("mark message without mark.name");
        }
        yield new Mark(markName);
      }
      case "clear" -> new Clear();
      default -> throw new IllegalArgumentException("unknown event '" + type + "'");
    };
  }
}
