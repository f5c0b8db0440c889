package org.switchboard.asterisk.ari;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * ARI's date format, {@code 2026-11-22T02:04:01.459+0000} (offset without a colon), as a Jackson
 * module. ISO-8601 offsets ({@code +00:00}, {@code Z}) are accepted too. Asterisk's exact layout
 * is read by {@link FixedLayoutTimestamp}; the formatter handles everything else.
 */
final class AriTimestamps {
  private static final DateTimeFormatter ASTERISK =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .appendPattern("[XXX][XX][X]")
          .toFormatter();
  private static final DateTimeFormatter WRITE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

  private AriTimestamps() {}

  static Instant parse(String text) {
    Instant fixed = FixedLayoutTimestamp.parse(text);
    return fixed != null ? fixed : parseWithFormatter(text);
  }

  /** The general path: any fraction length, {@code XXX}/{@code XX}/{@code X} offsets, ISO-8601. */
  static Instant parseWithFormatter(String text) {
    try {
      return OffsetDateTime.parse(text, ASTERISK).toInstant();
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(text).toInstant();
    }
  }

  static String format(Instant instant) {
    return WRITE.format(instant);
  }

  static SimpleModule module() {
    SimpleModule module = new SimpleModule("ari-timestamps");
    module.addDeserializer(
        Instant.class,
        new JsonDeserializer<>() {
          @Override
          public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
              // an array or object here would otherwise be left half read, shifting every
              // field after it
              return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            String text = p.getText();
            if (text.isBlank()) {
              return null;
            }
            try {
              return parse(text);
            } catch (DateTimeParseException e) {
              return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, e.getMessage());
            }
          }
        });
    module.addSerializer(
        Instant.class,
        new JsonSerializer<>() {
          @Override
          public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers)
              throws IOException {
            gen.writeString(format(value));
          }
        });
    return module;
  }
}
