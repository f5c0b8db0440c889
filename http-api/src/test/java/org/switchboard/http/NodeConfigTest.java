package org.switchboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The keys of the webhooks, REST API, audio and call blocks that hold a node-wide value: each
 * resolves to that value in a node's effective configuration, whatever the block itself says, and
 * follows it when it is overridden.
 */
class NodeConfigTest {

  /** Each derived key and the node-wide key it holds. */
  private static final Map<String, String> DERIVED = Map.of(
      "switchboard.call.account-sid", "switchboard.account-sid",
      "switchboard.webhooks.account-sid", "switchboard.account-sid",
      "switchboard.webhooks.auth-token", "switchboard.auth-token",
      "switchboard.webhooks.bridge-secret", "switchboard.bridge-secret",
      "switchboard.api.account-sid", "switchboard.account-sid",
      "switchboard.api.auth-token", "switchboard.auth-token",
      "switchboard.api.bridge-secret", "switchboard.bridge-secret",
      "switchboard.api.public-base-url", "switchboard.http.public-url",
      "switchboard.audio.public-base-url", "switchboard.http.public-url");

  private static Config node(String settings) {
    return ConfigFactory.parseString(settings).withFallback(ConfigFactory.load());
  }

  private static void assertDerived(Config effective, String account, String token, String secret,
      String url) {
    Map<String, String> sources = Map.of(
        "switchboard.account-sid", account,
        "switchboard.auth-token", token,
        "switchboard.bridge-secret", secret,
        "switchboard.http.public-url", url);
    sources.forEach((key, value) -> assertEquals(value, effective.getString(key), key));
    DERIVED.forEach((key, source) -> assertEquals(sources.get(source), effective.getString(key),
        key + " should hold " + source));
  }

  @Test
  void everyBlockHoldsTheNodeWideValuesAndItsOwnSettingOfThemIsReplaced() {
    Config config = node("switchboard { account-sid = AC1, auth-token = tok1, bridge-secret = sec1,"
        + " webhooks.auth-token = stale, api { account-sid = ACstale, public-base-url ="
        + " \"http://stale:1\" }, audio.public-base-url = \"http://stale:2\","
        + " call.account-sid = ACstale2 }");
    assertDerived(NodeConfig.effective(config, "http://10.0.0.7:9999"),
        "AC1", "tok1", "sec1", "http://10.0.0.7:9999");
  }

  @Test
  void overridingANodeWideValueMovesEveryKeyThatHoldsIt() {
    Config config = node("switchboard { account-sid = AC2, auth-token = tok2, bridge-secret = sec2,"
        + " http.public-url = \"https://sb.example.org\" }");
    assertDerived(NodeConfig.effective(config, "https://sb.example.org"),
        "AC2", "tok2", "sec2", "https://sb.example.org");
    Config moved = ConfigFactory.parseString("switchboard.auth-token = tok3").withFallback(config);
    assertDerived(NodeConfig.effective(moved, "http://127.0.0.1:18080"),
        "AC2", "tok3", "sec2", "http://127.0.0.1:18080");
  }

  @Test
  void anEmptySecretGetsOneRandomValueThatEveryBlockShares() {
    Config effective = NodeConfig.effective(
        node("switchboard { auth-token = \"\", bridge-secret = \"\" }"), "http://127.0.0.1:8080");
    String token = effective.getString("switchboard.auth-token");
    String secret = effective.getString("switchboard.bridge-secret");
    assertTrue(token.matches("[0-9a-f]{32}"), token);
    assertTrue(secret.matches("[0-9a-f]{32}"), secret);
    assertNotEquals(token, secret);
    assertDerived(effective, effective.getString("switchboard.account-sid"), token, secret,
        "http://127.0.0.1:8080");
  }

  @Test
  void withoutANodeTheBlocksHoldTheReferenceValuesAndTheirOwnUrlDefaults() {
    Config reference = ConfigFactory.load();
    DERIVED.forEach((key, source) -> {
      if (!source.equals("switchboard.http.public-url")) {
        assertEquals(reference.getString(source), reference.getString(key), key);
      }
    });
    assertEquals("http://127.0.0.1:8080", reference.getString("switchboard.audio.public-base-url"));
    assertEquals("http://127.0.0.1:8080", reference.getString("switchboard.api.public-base-url"));
  }

  @Test
  void aNodeIsAClusterWhoseShutdownWaitsForTheDrain() {
    Config effective = NodeConfig.effective(node("switchboard.drain { deadline = 30s,"
        + " end-grace = 10s, outbox-flush = 10s }"), "http://127.0.0.1:8080");
    assertEquals("cluster", effective.getString("pekko.actor.provider"));
    assertEquals("40s", effective.getString("pekko.coordinated-shutdown.phases.service-stop.timeout"));
    assertEquals(Duration.ofSeconds(55),
        effective.getDuration("pekko.coordinated-shutdown.phases.before-service-unbind.timeout"));
  }
}
