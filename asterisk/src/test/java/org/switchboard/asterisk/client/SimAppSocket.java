package org.switchboard.asterisk.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** An event socket that registers a Stasis application on the simulator and ignores its events. */
final class SimAppSocket {
  private SimAppSocket() {}

  /** Opens the events socket of {@code app} on the simulator at {@code simPort} (asterisk/asterisk). */
  static WebSocket open(int simPort, String app) {
    String auth = Base64.getEncoder().encodeToString("asterisk:asterisk"
        .getBytes(StandardCharsets.UTF_8));
    return HttpClient.newHttpClient().newWebSocketBuilder()
        .header("Authorization", "Basic " + auth)
        .buildAsync(URI.create("ws://127.0.0.1:" + simPort + "/ari/events?app=" + app),
            new WebSocket.Listener() {})
        .join();
  }
}
