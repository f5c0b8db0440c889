package org.switchboard.asterisk.client;

import java.util.Locale;

/** How ARI commands reach a server (config key {@code rest-transport}). */
public enum RestTransport {
  /** Over the event socket once the server answered a probe there; HTTP otherwise (default). */
  AUTO,
  /** Over the event socket without a probe (Asterisk 20.14, 21.9, 22.4 or later). */
  WEBSOCKET,
  /** Always HTTP requests. */
  HTTP;

  /** {@code auto}, {@code websocket} or {@code http}, in any case. */
  public static RestTransport parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "rest-transport must be auto, websocket or http, not '" + text + "'");
    }
  }
}
