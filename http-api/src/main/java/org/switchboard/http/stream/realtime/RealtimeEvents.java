package org.switchboard.http.stream.realtime;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/**
 * The OpenAI Realtime protocol's events, as far as a phone bridge needs them: the ones Switchboard
 * sends ({@code session.update}, {@code input_audio_buffer.append}, {@code conversation.item.*},
 * {@code response.create}) and the ones it reads, parsed into {@link ServerEvent}s. Both the beta
 * names ({@code response.audio.delta}) and the GA names ({@code response.output_audio.delta}) are
 * read. Pure: no I/O, so every shape is tested directly.
 */
public final class RealtimeEvents {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RealtimeEvents() {}

  /** What the server said, reduced to what the bridge acts on. */
  public sealed interface ServerEvent {}

  /** {@code session.created} / {@code session.updated}. */
  public record SessionReady(String type) implements ServerEvent {}

  /** A chunk of the agent's audio, in the negotiated output format. */
  public record AudioDelta(String responseId, String itemId, byte[] audio) implements ServerEvent {}

  /** The agent's audio of an item is complete. */
  public record AudioDone(String itemId) implements ServerEvent {}

  /** The server's VAD heard the caller start speaking (barge-in). */
  public record SpeechStarted(String itemId, long audioStartMs) implements ServerEvent {}

  /** The server's VAD heard the caller stop speaking. */
  public record SpeechStopped(String itemId, long audioEndMs) implements ServerEvent {}

  /** The model calls a function; {@code arguments} is its JSON text. */
  public record FunctionCall(String callId, String name, String arguments)
      implements ServerEvent {}

  /** An {@code error} event. */
  public record Failure(String errorType, String code, String message) implements ServerEvent {}

  /** Any other event (transcripts, rate limits, response lifecycle): nothing to do. */
  public record Other(String type) implements ServerEvent {}

  /**
   * Parses one text message.
   *
   * @throws IllegalArgumentException when it is not a JSON object with a {@code type}, or a known
   *     event lacks what the bridge needs (e.g. an audio delta without valid base64)
   */
  public static ServerEvent parse(String text) {
    AudioDelta delta = audioDelta(text);
    if (delta != null) {
      return delta;
    }
    JsonNode event;
    try {
      event = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (event == null || !event.isObject() || !event.path("type").isTextual()) {
      throw new IllegalArgumentException("not an event object with a type");
    }
    String type = event.get("type").asText();
    return switch (type) {
      case "session.created", "session.updated" -> new SessionReady(type);
      case "response.audio.delta", "response.output_audio.delta" -> new AudioDelta(
          event.path("response_id").asText(""), required(event, "item_id"),
          base64(required(event, "delta")));
      case "response.audio.done", "response.output_audio.done" ->
          new AudioDone(event.path("item_id").asText(""));
      case "input_audio_buffer.speech_started" -> new SpeechStarted(
          event.path("item_id").asText(""), event.path("audio_start_ms").asLong(0));
      case "input_audio_buffer.speech_stopped" -> new SpeechStopped(
          event.path("item_id").asText(""), event.path("audio_end_ms").asLong(0));
      case "response.function_call_arguments.done" -> new FunctionCall(
          required(event, "call_id"), required(event, "name"), event.path("arguments").asText("{}"));
      case "response.output_item.done" -> functionCallItem(event.path("item"));
      case "error" -> new Failure(event.path("error").path("type").asText(""),
          event.path("error").path("code").asText(""),
          event.path("error").path("message").asText(event.path("error").toString()));
      default -> new Other(type);
    };
  }

  /**
   * An audio delta read with the streaming parser (no tree: deltas come 50 times a second or more
   * per call), or null for any other event and anything the tree parser should judge.
   */
  private static AudioDelta audioDelta(String text) {
    String type = null;
    String responseId = "";
    String itemId = null;
    String delta = null;
    try (JsonParser parser = JSON.getFactory().createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        String string = value == JsonToken.VALUE_STRING ? parser.getText() : null;
        switch (field) {
          case "type" -> type = string;
          case "response_id" -> responseId = string == null ? "" : string;
          case "item_id" -> itemId = string;
          case "delta" -> delta = string;
          default -> parser.skipChildren();
        }
        if (type != null && !type.equals("response.audio.delta")
            && !type.equals("response.output_audio.delta")) {
          return null;
        }
      }
    } catch (IOException e) {
      return null;
    }
    if (type == null || itemId == null || delta == null) {
      return null;
    }
    return new AudioDelta(responseId, itemId, base64(delta));
  }

  private static ServerEvent functionCallItem(JsonNode item) {
    if (!"function_call".equals(item.path("type").asText())) {
      return new Other("response.output_item.done");
    }
    return new FunctionCall(required(item, "call_id"), required(item, "name"),
        item.path("arguments").asText("{}"));
  }

  /** The beta {@code session.update}; see {@link #sessionUpdate(AgentOptions, SessionShape)}. */
  public static String sessionUpdate(AgentOptions options) {
    return sessionUpdate(options, SessionShape.BETA);
  }

  /** Which shape of {@code session.update} the agent reads. */
  public enum SessionShape {
    /**
     * The beta API's: {@code modalities}, {@code input_audio_format} / {@code
     * output_audio_format} ({@code pcm16}, {@code g711_ulaw}), {@code voice} and {@code
     * turn_detection} at the top of the session.
     */
    BETA,
    /**
     * The GA API's: {@code type: realtime}, {@code output_modalities}, and under {@code audio}
     * the {@code input} ({@code format} {@code {type: audio/pcm, rate: 24000}} or {@code {type:
     * audio/pcmu}}, {@code turn_detection}) and the {@code output} ({@code format}, {@code
     * voice}).
     */
    GA
  }

  /** {@code session.update} with the formats, voice, instructions, tools and turn detection. */
  public static String sessionUpdate(AgentOptions options, SessionShape shape) {
    if (shape == SessionShape.GA) {
      return gaSessionUpdate(options);
    }
    ObjectNode session = JSON.createObjectNode();
    session.putArray("modalities").add("audio").add("text");
    options.instructions().ifPresent(i -> session.put("instructions", i));
    options.voice().ifPresent(v -> session.put("voice", v));
    session.put("input_audio_format", options.audioFormat().wire());
    session.put("output_audio_format", options.audioFormat().wire());
    session.set("turn_detection", options.turnDetection());
    return withTools(session, options);
  }

  private static String gaSessionUpdate(AgentOptions options) {
    ObjectNode session = JSON.createObjectNode();
    session.put("type", "realtime");
    session.putArray("output_modalities").add("audio");
    options.instructions().ifPresent(i -> session.put("instructions", i));
    ObjectNode audio = session.putObject("audio");
    ObjectNode input = audio.putObject("input");
    input.set("format", gaFormat(options.audioFormat()));
    input.set("turn_detection", options.turnDetection());
    ObjectNode output = audio.putObject("output");
    output.set("format", gaFormat(options.audioFormat()));
    options.voice().ifPresent(v -> output.put("voice", v));
    return withTools(session, options);
  }

  /** The GA audio format object: {@code {"type":"audio/pcm","rate":24000}} or pcmu. */
  private static ObjectNode gaFormat(AgentOptions.AudioFormat format) {
    ObjectNode object = JSON.createObjectNode();
    if (format == AgentOptions.AudioFormat.PCM16) {
      object.put("type", "audio/pcm").put("rate", format.sampleRate());
    } else {
      object.put("type", "audio/pcmu");
    }
    return object;
  }

  private static String withTools(ObjectNode session, AgentOptions options) {
    ArrayNode tools = session.putArray("tools");
    for (AgentOptions.Tool tool : options.tools()) {
      ObjectNode t = tools.addObject();
      t.put("type", "function");
      t.put("name", tool.name());
      t.put("description", tool.description());
      t.set("parameters", tool.parameters());
    }
    session.put("tool_choice", "auto");
    ObjectNode event = JSON.createObjectNode();
    event.put("type", "session.update");
    event.set("session", session);
    return event.toString();
  }

  /** {@code input_audio_buffer.append} of caller audio in the negotiated input format. */
  public static String append(byte[] audio) {
    String prefix = "{\"type\":\"input_audio_buffer.append\",\"audio\":\"";
    return new StringBuilder(prefix.length() + (audio.length + 2) / 3 * 4 + 2).append(prefix)
        .append(new String(Base64.getEncoder().encode(audio), StandardCharsets.ISO_8859_1))
        .append("\"}").toString();
  }

  /** {@code conversation.item.truncate}: the caller heard {@code audioEndMs} of the item. */
  public static String truncate(String itemId, long audioEndMs) {
    ObjectNode event = JSON.createObjectNode();
    event.put("type", "conversation.item.truncate");
    event.put("item_id", itemId);
    event.put("content_index", 0);
    event.put("audio_end_ms", audioEndMs);
    return event.toString();
  }

  /** {@code conversation.item.create} with a {@code function_call_output}. */
  public static String functionOutput(String callId, String output) {
    ObjectNode item = JSON.createObjectNode();
    item.put("type", "function_call_output");
    item.put("call_id", callId);
    item.put("output", output);
    return itemCreate(item);
  }

  /** {@code conversation.item.create} with a user message of text (e.g. a DTMF digit). */
  public static String userText(String text) {
    ObjectNode item = JSON.createObjectNode();
    item.put("type", "message");
    item.put("role", "user");
    item.putArray("content").addObject().put("type", "input_text").put("text", text);
    return itemCreate(item);
  }

  /** {@code response.create}: the model answers now. */
  public static String responseCreate() {
    return "{\"type\":\"response.create\"}";
  }

  private static String itemCreate(ObjectNode item) {
    ObjectNode event = JSON.createObjectNode();
    event.put("type", "conversation.item.create");
    event.set("item", item);
    return event.toString();
  }

  private static String required(JsonNode event, String field) {
    JsonNode value = event.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(event.path("type").asText("event") + " without " + field);
    }
    return value.asText();
  }

  private static byte[] base64(String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("audio delta is not base64: " + e.getMessage());
    }
  }
}
