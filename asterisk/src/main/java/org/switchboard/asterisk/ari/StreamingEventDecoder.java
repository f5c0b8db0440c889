package org.switchboard.asterisk.ari;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserSequence;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes an event frame from the parser's token stream straight into its event record, without
 * building a {@code JsonNode} tree first (building the tree and then binding from it was most of
 * the cost of decoding an event).
 *
 * <p>It reads fields up to {@code type}; fields that arrive before it are kept in a {@link
 * TokenBuffer} and replayed in front of the rest of the stream, so field order does not matter.
 * Whatever it does not handle, it answers with null and leaves to {@link AriJson}'s tree path,
 * which owns the {@link AriEvent.UnknownEvent} handling and the error messages: an unknown or
 * missing {@code type}, a frame that is not an object, malformed JSON, a field of the wrong shape,
 * an object with nothing but its {@code type}, a repeated field name (the mapper's parsers detect
 * duplicates, so a second {@code type} fails here as in the tree). The two paths read the same
 * JSON into equal events, which {@code StreamingEventDecoderFuzzTest} checks. Thread-safe.
 */
final class StreamingEventDecoder {
  private final ObjectMapper mapper;
  private final Map<String, ObjectReader> readers;

  StreamingEventDecoder(ObjectMapper mapper, Map<String, Class<? extends AriEvent>> types) {
    this.mapper = mapper;
    Map<String, ObjectReader> byType = new HashMap<>();
    types.forEach((type, eventClass) -> byType.put(type, mapper.readerFor(eventClass)));
    this.readers = Map.copyOf(byType);
  }

  /** The event, or null when the frame is left to the tree path. */
  AriEvent decode(String json) {
    try (JsonParser parser = mapper.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      TokenBuffer beforeType = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("type".equals(name)) {
          ObjectReader reader =
              value == JsonToken.VALUE_STRING ? readers.get(parser.getText()) : null;
          if (reader == null) {
            return null;
          }
          AriEvent event = bind(reader, parser, beforeType);
          // the tree reads the whole text; so must this path, or trailing garbage would pass here
          return parser.nextToken() == null ? event : null;
        }
        if (beforeType == null) {
          beforeType = new TokenBuffer(parser);
          beforeType.writeStartObject();
        }
        beforeType.writeFieldName(name);
        beforeType.copyCurrentStructure(parser);
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Binds the rest of the object; the parser stands on the value of {@code type}. Fields seen
   * before it are replayed first; the {@code type} field itself is not bound (it is derived from
   * the record's class).
   */
  private static AriEvent bind(ObjectReader reader, JsonParser parser, TokenBuffer beforeType)
      throws IOException {
    if (beforeType == null) {
      parser.nextToken();
      return reader.readValue(parser);
    }
    JsonParser replay =
        JsonParserSequence.createFlattened(false, beforeType.asParser(parser), parser);
    return reader.readValue(replay);
  }
}
