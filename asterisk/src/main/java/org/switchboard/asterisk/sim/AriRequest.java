package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One parsed ARI REST request.
 *
 * @param method HTTP method
 * @param segments path segments after {@code /ari}
 * @param params query parameters merged with the fields of a JSON body
 * @param variables the {@code variables} object of a JSON body (originate)
 * @param json the JSON body as sent, or null (dynamic configuration's {@code fields})
 */
record AriRequest(String method, List<String> segments, Map<String, String> params,
    Map<String, String> variables, JsonNode json) {

  AriRequest(String method, List<String> segments, Map<String, String> params,
      Map<String, String> variables) {
    this(method, segments, params, variables, null);
  }

  String param(String name) {
    String v = params.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  int intParam(String name, int dflt) {
    String v = param(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw AriError.of(400, "Invalid value for parameter " + name);
    }
  }

  boolean boolParam(String name) {
    return "true".equalsIgnoreCase(param(name));
  }

  boolean is(String m, String... path) {
    if (path.length != segments.size()) {
      return false;
    }
    for (int i = 0; i < path.length; i++) {
      if (!path[i].equals("*") && !path[i].equals(segments.get(i))) {
        return false;
      }
    }
    return m == null || m.equals(method);
  }

  String seg(int i) {
    return segments.get(i);
  }

  /**
   * A reply.
   *
   * @param status HTTP status
   * @param body JSON body or null
   * @param binary raw body (recording files) or null
   */
  record Reply(int status, JsonNode body, byte[] binary) {
    static Reply json(int status, JsonNode body) {
      return new Reply(status, body, null);
    }

    /** No answer at all: an injected {@link SimFault#NO_ANSWER}. */
    static final Reply NO_ANSWER = new Reply(SimFault.NO_ANSWER, null, null);

    static Reply noContent() {
      return new Reply(204, null, null);
    }
  }
}
