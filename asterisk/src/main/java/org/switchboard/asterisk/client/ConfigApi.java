package org.switchboard.asterisk.client;

import static org.apache.pekko.http.javadsl.model.HttpMethods.DELETE;
import static org.apache.pekko.http.javadsl.model.HttpMethods.GET;
import static org.apache.pekko.http.javadsl.model.HttpMethods.PUT;
import static org.switchboard.asterisk.client.AriHttp.seg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.switchboard.asterisk.ari.AriJson;
import org.switchboard.engine.port.AriCommandException;

/**
 * {@code /asterisk/config/dynamic/{configClass}/{objectType}/{id}}: objects of Asterisk's dynamic
 * configuration (sorcery), each a list of {@code ConfigTuple}s ({@code {attribute, value}}).
 * Values always go out as JSON strings: Asterisk 22.10 crashes on a tuple whose value is missing
 * or not a string.
 */
public final class ConfigApi {
  private static final String OBJECT = "/asterisk/config/dynamic/{configClass}/{objectType}/{id}";

  private final AriHttp http;

  ConfigApi(AriHttp http) {
    this.http = http;
  }

  /** ARI {@code ConfigTuple}. */
  public record ConfigTuple(String attribute, String value) {}

  /** The object's fields, in Asterisk's order. */
  public CompletionStage<Map<String, String>> get(String configClass, String type, String id) {
    return http.call(GET, "GET " + OBJECT, path(configClass, type, id), Map.of(), null)
        .thenApply(body -> fields("GET " + OBJECT, body));
  }

  /** Creates the object, or updates these fields of it; its fields afterwards. */
  public CompletionStage<Map<String, String>> put(
      String configClass, String type, String id, Map<String, String> fields) {
    List<ConfigTuple> tuples = new ArrayList<>();
    fields.forEach((attribute, value) ->
        tuples.add(new ConfigTuple(attribute, value == null ? "" : value)));
    return http.call(PUT, "PUT " + OBJECT, path(configClass, type, id), Map.of(),
            Map.of("fields", tuples))
        .thenApply(body -> fields("PUT " + OBJECT, body));
  }

  /** Deletes the object (404 when there is none). */
  public CompletionStage<Done> delete(String configClass, String type, String id) {
    return http.command(DELETE, "DELETE " + OBJECT, path(configClass, type, id), Map.of());
  }

  private static String path(String configClass, String type, String id) {
    return "/asterisk/config/dynamic/" + seg(configClass) + "/" + seg(type) + "/" + seg(id);
  }

  private Map<String, String> fields(String operation, byte[] body) {
    List<ConfigTuple> tuples;
    try {
      tuples = AriJson.readList(body, ConfigTuple.class);
    } catch (RuntimeException e) {
      throw new AriCommandException(http.serverId(), operation, e);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    tuples.forEach(t -> fields.put(t.attribute(), t.value()));
    return fields;
  }
}
