package org.switchboard.http.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.http.e2e.TestTwimlApp.Response;

/**
 * The dashboard over real sockets without a browser: outside the demo it needs the REST API's
 * Basic credentials, even from loopback; its page names only its own scripts; its event stream
 * carries the node's picture every second, with the calls in progress.
 */
class DashboardEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACCOUNT = "AC00000000000000000000000000000000";
  private static E2eHarness h;
  private static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    h = new E2eHarness();
    h.app.on("/voice", r -> Response.twiml("<Say>Hold on.</Say><Pause length=\"30\"/>"));
  }

  @AfterAll
  static void stop() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void needsCredentialsOutsideTheDemo() throws Exception {
    HttpResponse<String> refused = get("/dashboard", null);
    assertEquals(401, refused.statusCode());
    assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
    assertEquals(401, get("/dashboard/events", basic(ACCOUNT, "wrong")).statusCode());
    assertEquals(401, get("/dashboard/app.js", basic("AC1", E2eHarness.AUTH_TOKEN)).statusCode());

    HttpResponse<String> page = get("/dashboard", basic(ACCOUNT, E2eHarness.AUTH_TOKEN));
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("")
        .contains("default-src 'self'"));
    assertTrue(page.body().contains("src=\"/dashboard/app.js\""), page.body());
    assertFalse(page.body().matches("(?s).*(src|href)=\"(https?:)?//.*"),
        "the page loads nothing from another origin");
    HttpResponse<String> script = get("/dashboard/app.js", basic(ACCOUNT, E2eHarness.AUTH_TOKEN));
    assertEquals(200, script.statusCode());
    assertTrue(script.body().contains("new EventSource(\"/dashboard/events\")"));
    String metrics = get("/metrics", null).body();
    assertTrue(metrics.contains("switchboard_api_auth_failures_total{endpoint=\"dashboard\""), metrics);
  }

  @Test
  void streamsThePictureWithTheCallsInProgress() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(url("/dashboard/events"))
        .header("Authorization", basic(ACCOUNT, E2eHarness.AUTH_TOKEN)).GET().build();
    HttpResponse<Stream<String>> response = client.send(request, HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    try (Stream<String> lines = response.body()) {
      Iterator<String> events = lines.iterator();
      JsonNode first = next(events, p -> true);
      assertEquals("sim", first.path("links").get(0).path("serverId").asText());
      assertEquals("connected", first.path("links").get(0).path("state").asText());
      assertTrue(first.path("members").get(0).path("self").asBoolean());

      h.call("+15557771234", "+15550009999");
      JsonNode withCall = next(events, p -> p.path("calls").path("total").asInt() == 1
          && "Pause".equals(p.path("calls").path("shown").get(0).path("verb").asText()));
      JsonNode call = withCall.path("calls").path("shown").get(0);
      assertEquals("+15557771234", call.path("from").asText());
      assertEquals("+15550009999", call.path("to").asText());
      assertEquals("in-progress", call.path("status").asText());
      assertTrue(withCall.path("rates").path("webhookMs").isNumber()
          || withCall.path("rates").path("webhookMs").isNull());
    }
  }

  /** Every metric conf/grafana/switchboard.json queries is one the node exposes on /metrics. */
  @Test
  void grafanaDashboardQueriesExistingMetrics() throws Exception {
    JsonNode grafana = JSON.readTree(Path.of("../conf/grafana/switchboard.json").toFile());
    String scrape = get("/metrics", null).body();
    Set<String> queried = new TreeSet<>();
    for (JsonNode panel : grafana.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher m = Pattern.compile("switchboard_[a-z_]+").matcher(target.path("expr").asText());
        while (m.find()) {
          queried.add(m.group().replaceFirst("_(bucket|sum|count)$", ""));
        }
      }
    }
    assertTrue(queried.size() >= 15, "queried: " + queried);
    for (String name : queried) {
      assertTrue(scrape.contains("# TYPE " + name + " "), name + " is not on /metrics");
    }
  }

  /** The next {@code snapshot} event matching {@code wanted}, within E2eHarness.WAIT. */
  private static JsonNode next(Iterator<String> lines, Predicate<JsonNode> wanted) throws Exception {
    long deadline = System.nanoTime() + E2eHarness.WAIT.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline && lines.hasNext()) {
      String line = lines.next();
      if (line.startsWith("data:")) {
        last = JSON.readTree(line.substring(5).trim());
        if (wanted.test(last)) {
          return last;
        }
      }
    }
    throw new AssertionError("no matching dashboard picture within " + E2eHarness.WAIT
        + "; last: " + last);
  }

  private static HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI url(String path) {
    return URI.create("http://127.0.0.1:" + h.node.httpAddress().getPort() + path);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
