package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.switchboard.asterisk.client.LinkStatus;
import org.switchboard.http.Main;
import org.switchboard.http.SwitchboardNode;
import org.switchboard.http.config.SwitchboardConfig;
import org.switchboard.http.config.SwitchboardSettings;

/**
 * Each form a DID reaches the Stasis app in, as dialplans pass it on ({@code ${EXTEN}} with or
 * without the {@code +}, international prefix {@code 00} or {@code 011}, a North American national
 * number with {@code SWITCHBOARD_DEFAULT_COUNTRY_CODE=1}), routed end to end on the simulator to the
 * application configured for {@code "+15550009000"} with that number, in E.164, as the webhook's
 * {@code To}; an extension that is no phone number goes to the Worker's default application with
 * {@code HOTLINE_NUMBER} as {@code To}. Switchboard runs from the seed's {@code .env}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DidFormsEndToEndTest {
  private static final AtomicInteger CALLERS = new AtomicInteger();
  private Path dir;
  private LlamenosCallFlowEndToEndTest.SimulatedBackend backend;
  private LlamenosWorker worker;
  private SwitchboardNode node;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("did-forms");
    backend = new LlamenosCallFlowEndToEndTest.SimulatedBackend(dir);
    worker = new LlamenosWorker(LlamenosCallFlowEndToEndTest.SECRET);
    worker.on("/api/telephony/incoming", r -> "<Response><Hangup/></Response>");
    Path env = dir.resolve(".env");
    Files.writeString(env, """
        ARI_URL=%s/events
        ARI_REST_URL=%s
        ARI_USERNAME=llamenos
        ARI_PASSWORD=changeme
        WORKER_WEBHOOK_URL=%s
        BRIDGE_SECRET=your-shared-secret-here
        BRIDGE_PORT=%d
        STASIS_APP=llamenos
        HOTLINE_NUMBER=+15551234567
        """.formatted(backend.restUrl().replaceFirst("^http", "ws"), backend.restUrl(),
        worker.url(), Main.freePort("127.0.0.1")));
    Config loaded = SwitchboardConfig.load(Optional.of(env),
        Map.of("SWITCHBOARD_DEFAULT_COUNTRY_CODE", "1"));
    Config config = ConfigFactory.parseMap(Map.of(
            "switchboard.webhooks.outbox.dir", dir.resolve("outbox").toString(),
            "switchboard.audio.cache-dir", dir.resolve("audio").toString(),
            "switchboard.applications.numbers.\"+15550009000\".voice-url",
            worker.url() + "/api/telephony/incoming?hub=hub2"))
        .withFallback(loaded);
    SwitchboardSettings settings = SwitchboardSettings.fromConfig(config);
    node = SwitchboardNode.start(config, settings, Main.defaultApplication(config, settings),
        List.of(), Clock.systemUTC());
    LlamenosCallFlowEndToEndTest.Backend.await(() -> {
      LinkStatus link = node.ari().links().get("asterisk-1");
      return link != null && link.connected();
    }, () -> "the llamenos app connected: " + node.ari().links());
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
    if (worker != null) {
      worker.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(delimiter = '|', value = {
      "+15550009000   | +15550009000 | hub2",
      "15550009000    | +15550009000 | hub2",
      "0015550009000  | +15550009000 | hub2",
      "01115550009000 | +15550009000 | hub2",
      "5550009000     | +15550009000 | hub2",
      "+15550007777   | +15550007777 | ''",
      "1000           | +15551234567 | ''",
      "s              | +15551234567 | ''",
  })
  void theDidRoutesAndIsTheWebhooksTo(String dialled, String to, String hub) {
    String from = "+1555000" + (3000 + CALLERS.incrementAndGet());
    backend.call(from, dialled);
    LlamenosWorker.Request incoming = worker.await(
        r -> r.path().equals("/api/telephony/incoming") && from.equals(r.param("From")),
        "incoming webhook of the call to " + dialled, LlamenosCallFlowEndToEndTest.WAIT);
    assertEquals(to, incoming.param("To"));
    assertEquals(hub.isEmpty() ? Map.of() : Map.of("hub", hub), incoming.query());
    assertTrue(incoming.twilioValid() && incoming.bridgeValid(), "signatures of " + incoming);
  }
}
