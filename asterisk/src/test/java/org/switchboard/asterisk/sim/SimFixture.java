package org.switchboard.asterisk.sim;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** A started simulator on a manual clock with one connected client socket for app "sb". */
final class SimFixture implements AutoCloseable {
  final AriSimulator sim = new AriSimulator();
  final SimTestClient client;
  final SimTestClient.Events events;

  SimFixture(Path recordings) {
    this(SimConfig.defaults().withApp("sb", "sb-in")
        .withClock(SimClock.manual(Instant.parse("2026-01-01T00:00:00Z")))
        .withRecordingsDir(recordings));
  }

  SimFixture(SimConfig config) {
    int port = sim.start(config);
    client = new SimTestClient(port, config.user(), config.password());
    events = client.connect("sb", true);
    SimTestClient.awaitTrue(() -> sim.applications().contains("sb"), "app registered");
  }

  void advance(long ms) {
    sim.clock().advance(Duration.ofMillis(ms));
  }

  /** An inbound call that is answered; returns the Stasis channel id. */
  String answeredCall() {
    String id = sim.inboundCall("+15550001", "100");
    events.await(e -> e.path("type").asText().equals("StasisStart")
        && e.path("channel").path("id").asText().equals(id));
    client.rest("POST", "/ari/channels/" + id + "/answer", Map.of());
    return id;
  }

  boolean has(String type, String field, String value) {
    return events.received.stream().anyMatch(e -> e.path("type").asText().equals(type)
        && value.equals(e.at(field).asText()));
  }

  @Override
  public void close() {
    sim.close();
  }
}
