package org.switchboard.asterisk.ari;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes ARI JSON: WebSocket events into {@link AriEvent}s and REST bodies into the model
 * records. Events are bound straight from the token stream ({@link StreamingEventDecoder}), with
 * a {@code JsonNode} tree as the fallback. Unknown fields are ignored; an unknown event type
 * becomes {@link AriEvent.UnknownEvent} (logged once per type per decoder); malformed input, a
 * repeated field name (which value would count is not defined) and a known event without the
 * object it is about ({@link AriEventChecks}) throw {@link AriDecodeException}, whichever path
 * decoded the frame. Thread-safe.
 */
public final class AriJson {
  private static final Logger log = LoggerFactory.getLogger(AriJson.class);

  /** The mapper configured for ARI: snake_case names, ARI timestamps, lenient on extra fields. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .addModule(AriTimestamps.module())
          .build();

  private static final Map<String, Class<? extends AriEvent>> TYPES = eventTypes();
  static final StreamingEventDecoder STREAMING = new StreamingEventDecoder(MAPPER, TYPES);

  private final Set<String> unknownTypesSeen = ConcurrentHashMap.newKeySet();

  /**
   * Decodes one event frame.
   *
   * @throws AriDecodeException when the text is not a JSON object with a string {@code type}, or a
   *     known event's fields have the wrong shape
   */
  public AriEvent decode(String json) {
    AriEvent event = STREAMING.decode(json);
    return complete(event != null ? event : decodeTree(json), json);
  }

  private static AriEvent complete(AriEvent event, String json) {
    String missing = AriEventChecks.missing(event);
    if (missing != null) {
      throw new AriDecodeException("ARI event " + event.type() + " has no " + missing, json, null);
    }
    return event;
  }

  /**
   * Decodes one event frame through a {@code JsonNode} tree: the reference for {@link
   * StreamingEventDecoder}, and the path for whatever that leaves (unknown types, bad input).
   * Binds what is there; {@link #decode} then checks the event is complete.
   */
  AriEvent decodeTree(String json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AriDecodeException("malformed ARI event JSON", json, e);
    }
    if (node == null || !node.isObject()) {
      throw new AriDecodeException("ARI event is not a JSON object", json, null);
    }
    JsonNode typeNode = node.get("type");
    if (typeNode == null || !typeNode.isTextual()) {
      throw new AriDecodeException("ARI event has no string 'type'", json, null);
    }
    String type = typeNode.asText();
    Class<? extends AriEvent> eventClass = TYPES.get(type);
    if (eventClass == null) {
      return unknown(type, node, json);
    }
    try {
      return MAPPER.treeToValue(node, eventClass);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new AriDecodeException("ARI event " + type + " has unexpected fields", json, e);
    }
  }

  /** Reads a REST body as one model record. */
  public static <T> T read(byte[] body, Class<T> type) {
    try {
      return MAPPER.readValue(body, type);
    } catch (IOException e) {
      throw new AriDecodeException(
          "ARI body is not a " + type.getSimpleName(), new String(body), e);
    }
  }

  /** Reads a REST body that is a JSON array of model records. */
  public static <T> List<T> readList(byte[] body, Class<T> elementType) {
    JavaType listType = MAPPER.getTypeFactory().constructCollectionType(List.class, elementType);
    try {
      return MAPPER.readValue(body, listType);
    } catch (IOException e) {
      throw new AriDecodeException(
          "ARI body is not a list of " + elementType.getSimpleName(), new String(body), e);
    }
  }

  /** Writes a model record or event as ARI JSON (used by tests and the simulator). */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  private AriEvent unknown(String type, JsonNode node, String json) {
    if (unknownTypesSeen.add(type)) {
      log.info("ARI event type '{}' is not modelled; passing it on as UnknownEvent", type);
    }
    Instant timestamp = null;
    JsonNode ts = node.get("timestamp");
    if (ts != null && ts.isTextual()) {
      try {
        timestamp = AriTimestamps.parse(ts.asText());
      } catch (RuntimeException e) {
        log.debug("unparseable timestamp on {}: {}", type, ts.asText());
      }
    }
    return new AriEvent.UnknownEvent(
        type, timestamp, node.path("application").asText(null), node.path("asterisk_id").asText(null), json);
  }

  private static Map<String, Class<? extends AriEvent>> eventTypes() {
    Map<String, Class<? extends AriEvent>> types = new HashMap<>();
    for (Class<?> permitted : AriEvent.class.getPermittedSubclasses()) {
      if (permitted != AriEvent.UnknownEvent.class) {
        types.put(permitted.getSimpleName(), permitted.asSubclass(AriEvent.class));
      }
    }
    return Map.copyOf(types);
  }
}
