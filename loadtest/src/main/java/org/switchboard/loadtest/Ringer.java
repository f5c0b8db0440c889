package org.switchboard.loadtest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.switchboard.http.signature.BridgeSignature;

/**
 * Rings the three volunteers for a queued hotline caller through Switchboard's signed
 * {@code POST /ring}, the way a hotline application (the Llamenos Worker) does. The volunteer who
 * answers runs {@code answerUrl}, which takes the caller out of the queue.
 */
final class Ringer {
  private final URI node;
  private final String answerUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicLong failures = new AtomicLong();

  Ringer(URI node, String answerUrl) {
    this.node = node;
    this.answerUrl = answerUrl;
  }

  /** Rings asynchronously; a failure is printed and counted. */
  void ring(LoadCall call) {
    byte[] body = body(call).getBytes(StandardCharsets.UTF_8);
    long now = Instant.now().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(node.resolve("/ring"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header(BridgeSignature.TIMESTAMP_HEADER, Long.toString(now))
            .header(BridgeSignature.SIGNATURE_HEADER,
                BridgeSignature.sign(Harness.BRIDGE_SECRET, now, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              if (error != null || response.statusCode() != 200) {
                if (failures.incrementAndGet() <= 5) {
                  System.err.println("loadtest: /ring failed for " + call.callSid + ": "
                      + (error != null ? error : response.statusCode() + " " + response.body()));
                }
              }
            });
  }

  /** /ring requests that failed so far. */
  long failures() {
    return failures.get();
  }

  private String body(LoadCall call) {
    StringBuilder json = new StringBuilder("{\"parentCallSid\":\"").append(call.callSid);
    json.append("\",\"callerNumber\":\"").append(call.from).append("\",\"timeout\":20,");
    json.append("\"answerUrl\":\"").append(answerUrl).append("\",\"volunteers\":[");
    for (int i = 0; i < Harness.VOLUNTEERS.size(); i++) {
      json.append(i == 0 ? "" : ",").append("{\"id\":\"volunteer-").append(i + 1)
          .append("\",\"phone\":\"").append(Harness.VOLUNTEERS.get(i)).append("\"}");
    }
    return json.append("]}").toString();
  }
}
