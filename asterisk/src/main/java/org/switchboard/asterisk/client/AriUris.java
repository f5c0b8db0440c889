package org.switchboard.asterisk.client;

import java.util.Map;
import org.apache.pekko.http.javadsl.model.Uri;

/**
 * ARI request URIs from the server's base URL, parsed once: each request only sets the path (the
 * base path plus an already encoded resource path) and a raw query built with {@link
 * UriEncoding} (the same bytes Pekko renders for a {@code Query}), instead of parsing the whole
 * URL and rendering a query model per request.
 */
final class AriUris {
  private final Uri base;
  private final String basePath;
  private final String apiKey;

  /**
   * @param baseUrl the server's {@code http(s)://host:port/ari} without a trailing slash
   * @param apiKey the {@code api_key} query value sent with every request, or null
   */
  AriUris(String baseUrl, String apiKey) {
    this.base = Uri.create(baseUrl);
    this.basePath = base.path();
    this.apiKey = apiKey;
  }

  /**
   * {@code base + path}, with {@code query} in order (null values left out) and the API key.
   *
   * @param path the resource path, its segments already encoded ({@link AriHttp#seg})
   */
  Uri uri(String path, Map<String, ?> query) {
    StringBuilder raw = query(query);
    if (apiKey != null) {
      append(raw, "api_key", apiKey);
    }
    Uri uri = base.path(basePath + path);
    return raw.length() == 0 ? uri : uri.rawQueryString(raw.toString());
  }

  /**
   * {@code path} without its leading slash, with {@code query} (the {@code uri} of a RESTRequest
   * on the event socket, which was authenticated when it opened: no API key).
   */
  static String relative(String path, Map<String, ?> query) {
    StringBuilder raw = query(query);
    String resource = path.startsWith("/") ? path.substring(1) : path;
    return raw.length() == 0 ? resource : resource + '?' + raw;
  }

  private static StringBuilder query(Map<String, ?> query) {
    StringBuilder raw = new StringBuilder();
    for (Map.Entry<String, ?> param : query.entrySet()) {
      if (param.getValue() != null) {
        append(raw, param.getKey(), String.valueOf(param.getValue()));
      }
    }
    return raw;
  }

  private static void append(StringBuilder raw, String name, String value) {
    if (raw.length() > 0) {
      raw.append('&');
    }
    UriEncoding.appendQueryParam(raw, name);
    raw.append('=');
    UriEncoding.appendQueryParam(raw, value);
  }
}
