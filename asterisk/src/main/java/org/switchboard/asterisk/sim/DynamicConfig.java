package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /ari/asterisk/config/dynamic/{configClass}/{objectType}/{id}} as Asterisk 22.10.1 answers
 * it with {@code res_pjsip}'s {@code endpoint}, {@code auth} and {@code aor} backed by sorcery's
 * memory wizard (conf/sorcery.conf): an object is its type's every attribute (defaults recorded
 * from the real server, {@code dynamic-config-defaults.json}) with the fields given by PUT
 * applied; PUT on an existing object updates only the given fields. Answers and messages as the
 * real server's:
 *
 * <ul>
 *   <li>GET, DELETE of an unknown id: 404 {@code Object with id 'x' not found}; DELETE: 204;
 *   <li>unknown class or type: 404 {@code configClass 'x' not found} / {@code objectType 'x' not
 *       found}; other methods: 405 {@code Invalid method};
 *   <li>an unknown attribute, a non-integer for an integer attribute, an auth without password:
 *       400 {@code Creation|Update of object 'x' failed field value validation};
 *   <li>a {@code fields} entry without a string {@code value}: 400 {@code Bad request body}
 *       (Asterisk 22.10.1 itself crashes on it);
 *   <li>not writable (no memory wizard, {@link #writable}): 403 {@code Cannot create sorcery
 *       objects of type 'x'}; the types of res_pjsip not modelled here are never writable.
 * </ul>
 *
 * Boolean attributes read back as {@code true}/{@code false} whatever spelling was written, as
 * Asterisk's do; an endpoint's {@code allow}/{@code disallow} apply in the order given (allow
 * before {@code disallow=all} leaves {@code (nothing)}), and an endpoint left with no codec cannot
 * be updated (500 {@code {"error":"Allocation failed"}}, as Asterisk 22.10.1). Guarded by the
 * core's lock.
 */
final class DynamicConfig {
  private static final Set<String> OTHER_PJSIP_TYPES = Set.of("identify", "transport", "contact",
      "domain_alias", "global", "system", "registration", "outbound-publish", "inbound-publication",
      "resource_list", "phoneprov", "asterisk-publication");
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
  private static final String NO_CODEC = "(nothing)";
  private static final Map<String, Map<String, String>> DEFAULTS = load();

  private final Map<String, Map<String, String>> objects = new LinkedHashMap<>();
  private boolean writable = true;

  /** Whether PUT and DELETE are allowed (Asterisk: a memory wizard in sorcery.conf). */
  void writable(boolean allowed) {
    this.writable = allowed;
  }

  /** A stored object's fields, for tests. */
  Optional<Map<String, String>> object(String configClass, String type, String id) {
    return Optional.ofNullable(objects.get(key(configClass, type, id))).map(Map::copyOf);
  }

  AriRequest.Reply handle(AriRequest r) {
    if (r.segments().size() != 6) {
      throw AriError.of(404, "Resource not found");
    }
    String configClass = r.seg(3);
    String type = r.seg(4);
    String id = r.seg(5);
    ChannelsResource.allow(r, "GET", "PUT", "DELETE");
    if (!configClass.equals("res_pjsip")) {
      throw AriError.of(404, "configClass '" + configClass + "' not found");
    }
    Map<String, String> defaults = DEFAULTS.get(type);
    if (defaults == null && !OTHER_PJSIP_TYPES.contains(type)) {
      throw AriError.of(404, "objectType '" + type + "' not found");
    }
    String key = key(configClass, type, id);
    Map<String, String> existing = objects.get(key);
    switch (r.method()) {
      case "GET" -> {
        if (existing == null) {
          throw AriError.of(404, "Object with id '" + id + "' not found");
        }
        return AriRequest.Reply.json(200, tuples(existing));
      }
      case "DELETE" -> {
        if (existing == null) {
          throw AriError.of(404, "Object with id '" + id + "' not found");
        }
        if (!writable) {
          throw AriError.of(403, "Could not delete object with id '" + id + "'");
        }
        objects.remove(key);
        return AriRequest.Reply.noContent();
      }
      default -> {
        Map<String, String> given = fields(r.json());
        if (!writable || defaults == null) {
          throw AriError.of(403, "Cannot " + (existing == null ? "create" : "update")
              + " sorcery objects of type '" + type + "'");
        }
        if (existing != null && NO_CODEC.equals(existing.get("allow"))) {
          // Asterisk re-reads the stored object first and cannot parse allow=(nothing).
          throw AriError.allocationFailed();
        }
        String verb = existing == null ? "Creation" : "Update";
        Map<String, String> object = new LinkedHashMap<>(existing == null ? defaults : existing);
        for (Map.Entry<String, String> field : given.entrySet()) {
          if (type.equals("endpoint") && (field.getKey().equals("allow")
              || field.getKey().equals("disallow"))) {
            object.put("allow", codecs(object.get("allow"), field.getKey(), field.getValue()));
            continue;
          }
          String dflt = defaults.get(field.getKey());
          if (dflt == null || (INTEGER.matcher(dflt).matches()
              && !INTEGER.matcher(field.getValue().trim()).matches())) {
            throw AriError.of(400, verb + " of object '" + id + "' failed field value validation");
          }
          object.put(field.getKey(), normalised(dflt, field.getValue()));
        }
        if (type.equals("auth") && object.getOrDefault("password", "").isEmpty()
            && object.getOrDefault("md5_cred", "").isEmpty()) {
          throw AriError.of(400, verb + " of object '" + id + "' failed field value validation");
        }
        objects.put(key, object);
        return AriRequest.Reply.json(200, tuples(object));
      }
    }
  }

  /** The {@code fields} of a PUT body; no body or no {@code fields} is no field. */
  private static Map<String, String> fields(JsonNode body) {
    Map<String, String> fields = new LinkedHashMap<>();
    JsonNode list = body == null ? null : body.get("fields");
    if (list == null || list.isNull() || !list.isArray()) {
      return fields;
    }
    for (JsonNode tuple : list) {
      JsonNode attribute = tuple.get("attribute");
      JsonNode value = tuple.get("value");
      if (attribute == null || !attribute.isTextual() || value == null || !value.isTextual()) {
        throw AriError.of(400, "Bad request body");
      }
      fields.put(attribute.asText(), value.asText());
    }
    return fields;
  }

  /**
   * An endpoint's {@code allow} after {@code allow=} or {@code disallow=} in the order given, as
   * Asterisk lists it: {@code (ulaw|opus)}, or {@code (nothing)}.
   */
  private static String codecs(String current, String field, String value) {
    java.util.List<String> list = new java.util.ArrayList<>();
    if (current != null && !current.equals(NO_CODEC)) {
      list.addAll(java.util.List.of(current.replaceAll("[()]", "").split("\\|")));
    }
    for (String codec : value.split(",")) {
      String c = codec.trim().toLowerCase(Locale.ROOT);
      if (field.equals("disallow")) {
        if (c.equals("all")) {
          list.clear();
        } else {
          list.remove(c);
        }
      } else if (!c.isEmpty() && !list.contains(c)) {
        list.add(c);
      }
    }
    return list.isEmpty() ? NO_CODEC : "(" + String.join("|", list) + ")";
  }

  private static String normalised(String dflt, String value) {
    if (!dflt.equals("true") && !dflt.equals("false")) {
      return value;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "yes", "true", "y", "t", "1", "on" -> "true";
      case "no", "false", "n", "f", "0", "off" -> "false";
      default -> value;
    };
  }

  private static ArrayNode tuples(Map<String, String> object) {
    ArrayNode list = AriJson.array();
    object.forEach((attribute, value) ->
        list.addObject().put("attribute", attribute).put("value", value));
    return list;
  }

  private static String key(String configClass, String type, String id) {
    return configClass + "/" + type + "/" + id;
  }

  private static Map<String, Map<String, String>> load() {
    try (InputStream in = DynamicConfig.class.getResourceAsStream(
        "dynamic-config-defaults.json")) {
      JsonNode root = AriJson.MAPPER.readTree(in).get("res_pjsip");
      Map<String, Map<String, String>> types = new LinkedHashMap<>();
      root.fields().forEachRemaining(type -> {
        Map<String, String> attributes = new LinkedHashMap<>();
        type.getValue().fields().forEachRemaining(a -> attributes.put(a.getKey(),
            a.getValue().asText()));
        types.put(type.getKey(), java.util.Collections.unmodifiableMap(attributes));
      });
      return Map.copyOf(types);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("dynamic-config-defaults.json is unreadable", e);
    }
  }
}
