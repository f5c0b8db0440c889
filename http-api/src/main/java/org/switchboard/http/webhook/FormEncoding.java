package org.switchboard.http.webhook;

import java.util.List;
import java.util.Map;
import org.switchboard.asterisk.client.UriEncoding;

/**
 * {@code application/x-www-form-urlencoded} encoding of ordered parameters, UTF-8, byte for byte
 * what {@link java.net.URLEncoder} produces (table-driven, see {@link UriEncoding}).
 */
final class FormEncoding {
  private FormEncoding() {}

  /** {@code name=value&name=value…} in the given order; null values encode as empty. */
  static String encode(List<Map.Entry<String, String>> params) {
    StringBuilder out = new StringBuilder(24 * params.size());
    appendTo(out, params);
    return out.toString();
  }

  private static void appendTo(StringBuilder out, List<Map.Entry<String, String>> params) {
    for (int i = 0; i < params.size(); i++) {
      Map.Entry<String, String> param = params.get(i);
      if (i > 0) {
        out.append('&');
      }
      UriEncoding.appendForm(out, param.getKey());
      out.append('=');
      if (param.getValue() != null) {
        UriEncoding.appendForm(out, param.getValue());
      }
    }
  }

  /**
   * Appends the encoded parameters to the query of {@code url} (which has no fragment), after any
   * query already there, keeping that query byte for byte.
   */
  static String appendQuery(String url, List<Map.Entry<String, String>> params) {
    if (params.isEmpty()) {
      return url;
    }
    StringBuilder out = new StringBuilder(url.length() + 24 * params.size()).append(url);
    int q = url.indexOf('?');
    if (q < 0) {
      out.append('?');
    } else if (q != url.length() - 1 && !url.endsWith("&")) {
      out.append('&');
    }
    appendTo(out, params);
    return out.toString();
  }
}
