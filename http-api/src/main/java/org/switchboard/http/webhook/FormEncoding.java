package org.switchboard.http.webhook;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** {@code application/x-www-form-urlencoded} encoding of ordered parameters, UTF-8. */
final class FormEncoding {
  private FormEncoding() {}

  /** {@code name=value&name=value…} in the given order; null values encode as empty. */
  static String encode(List<Map.Entry<String, String>> params) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> param : params) {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(
              param.getValue() == null ? "" : param.getValue(), StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  /**
   * Appends the encoded parameters to the query of {@code url} (which has no fragment), after any
   * query already there, keeping that query byte for byte.
   */
  static String appendQuery(String url, List<Map.Entry<String, String>> params) {
    if (params.isEmpty()) {
      return url;
    }
    String encoded = encode(params);
    int q = url.indexOf('?');
    if (q < 0) {
      return url + "?" + encoded;
    }
    if (q == url.length() - 1 || url.endsWith("&")) {
      return url + encoded;
    }
    return url + "&" + encoded;
  }
}
