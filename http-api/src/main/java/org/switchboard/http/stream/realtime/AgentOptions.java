package org.switchboard.http.stream.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a {@code <Connect><Stream protocol="openai-realtime">} asks of the agent, read from its
 * {@code <Parameter>}s (docs/agents.md): {@code voice}, {@code instructions}, {@code audioFormat}
 * ({@code pcm16}, the default, or {@code g711_ulaw}), {@code turnDetection} (a JSON object),
 * {@code toolsUrl} (the webhook each tool call is posted to) and one {@code tool.<name>} per
 * function (a description, or a JSON object with {@code description} and {@code parameters}).
 * The built-in tools {@value #HANGUP} (always) and {@value #TRANSFER} (with a tools URL) are added.
 *
 * @param voice the agent's voice, else the server's default
 * @param instructions the system instructions, else the server's default
 * @param audioFormat the audio both ways
 * @param turnDetection the {@code turn_detection} object
 * @param tools every function offered to the model, built-ins included
 * @param toolsUrl where tool calls (other than {@code hangup}) are posted
 */
public record AgentOptions(
    Optional<String> voice,
    Optional<String> instructions,
    AudioFormat audioFormat,
    ObjectNode turnDetection,
    List<Tool> tools,
    Optional<URI> toolsUrl) {

  /** The built-in tool that ends the call. */
  public static final String HANGUP = "hangup";
  /** The built-in tool that continues the call with the TwiML the tools URL answers. */
  public static final String TRANSFER = "transfer";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final String TOOL_PREFIX = "tool.";

  /** The Realtime audio formats a phone call can use. */
  public enum AudioFormat {
    /** 16-bit little-endian PCM, mono, 24 kHz: the server's native format. */
    PCM16("pcm16", 24000, 2),
    /** G.711 µ-law at 8 kHz: the phone's own format, passed through unchanged. */
    G711_ULAW("g711_ulaw", 8000, 1);

    private final String wire;
    private final int sampleRate;
    private final int bytesPerSample;

    AudioFormat(String wire, int sampleRate, int bytesPerSample) {
      this.wire = wire;
      this.sampleRate = sampleRate;
      this.bytesPerSample = bytesPerSample;
    }

    /** The name in {@code input_audio_format} / {@code output_audio_format}. */
    public String wire() {
      return wire;
    }

    /** Samples per second. */
    public int sampleRate() {
      return sampleRate;
    }

    /** Bytes per millisecond of audio. */
    public int bytesPerMs() {
      return sampleRate / 1000 * bytesPerSample;
    }
  }

  /**
   * A function the model may call.
   *
   * @param name the function's name
   * @param description what it does, for the model
   * @param parameters the JSON schema of its arguments
   */
  public record Tool(String name, String description, JsonNode parameters) {}

  /** Validates and copies. */
  public AgentOptions {
    tools = List.copyOf(tools);
  }

  /**
   * Reads the {@code <Parameter>}s of the Stream.
   *
   * @throws IllegalArgumentException for an unknown audio format, a bad JSON value, a tool name
   *     the protocol refuses or a tools URL that is not absolute http(s)
   */
  public static AgentOptions fromParameters(Map<String, String> parameters) {
    AudioFormat format = switch (parameters.getOrDefault("audioFormat", "pcm16")) {
      case "pcm16" -> AudioFormat.PCM16;
      case "g711_ulaw" -> AudioFormat.G711_ULAW;
      default -> throw new IllegalArgumentException("audioFormat must be pcm16 or g711_ulaw, was '"
          + parameters.get("audioFormat") + "'");
    };
    ObjectNode turnDetection = Optional.ofNullable(parameters.get("turnDetection"))
        .map(text -> object("turnDetection", text))
        .orElseGet(() -> JSON.createObjectNode().put("type", "server_vad"));
    Optional<URI> toolsUrl = Optional.ofNullable(parameters.get("toolsUrl")).map(url -> {
      URI uri = URI.create(url);
      if (!uri.isAbsolute() || !uri.getScheme().matches("https?")) {
        throw new IllegalArgumentException("toolsUrl must be an absolute http(s) URL: " + url);
      }
      return uri;
    });
    List<Tool> tools = new ArrayList<>();
    tools.add(new Tool(HANGUP, "End the phone call. Say goodbye first.", noArguments()));
    if (toolsUrl.isPresent()) {
      ObjectNode transfer = noArguments();
      transfer.with("properties").putObject("to").put("type", "string")
          .put("description", "who or where to transfer the caller to");
      tools.add(new Tool(TRANSFER, "Transfer the caller to a person or another service.",
          transfer));
    }
    for (Map.Entry<String, String> p : parameters.entrySet()) {
      if (p.getKey().startsWith(TOOL_PREFIX)) {
        if (toolsUrl.isEmpty()) {
          throw new IllegalArgumentException(p.getKey() + " needs a toolsUrl to post its calls to");
        }
        tools.add(tool(p.getKey().substring(TOOL_PREFIX.length()), p.getValue()));
      }
    }
    return new AgentOptions(Optional.ofNullable(parameters.get("voice")),
        Optional.ofNullable(parameters.get("instructions")), format, turnDetection, tools,
        toolsUrl);
  }

  private static Tool tool(String name, String value) {
    if (!TOOL_NAME.matcher(name).matches() || name.equals(HANGUP) || name.equals(TRANSFER)) {
      throw new IllegalArgumentException("bad tool name '" + name + "'");
    }
    if (!value.trim().startsWith("{")) {
      return new Tool(name, value, noArguments());
    }
    ObjectNode spec = object("tool." + name, value);
    JsonNode parameters = spec.has("parameters") ? spec.get("parameters") : noArguments();
    return new Tool(name, spec.path("description").asText(""), parameters);
  }

  private static ObjectNode noArguments() {
    ObjectNode schema = JSON.createObjectNode().put("type", "object");
    schema.putObject("properties");
    return schema;
  }

  private static ObjectNode object(String what, String text) {
    try {
      JsonNode node = JSON.readTree(text);
      if (node instanceof ObjectNode object) {
        return object;
      }
    } catch (java.io.IOException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException(what + " must be a JSON object");
  }
}
