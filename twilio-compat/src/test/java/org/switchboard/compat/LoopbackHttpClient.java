package org.switchboard.compat;

import com.twilio.http.HttpClient;
import com.twilio.http.HttpMethod;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Twilio SDK's transport pointed at a Switchboard node: every request the SDK would send to
 * {@code https://api.twilio.com/...} goes, with the same path, query, form body and Basic
 * credentials, to the node's own base URL. Each exchange is kept so that a test can show what the
 * SDK sent.
 */
final class LoopbackHttpClient extends HttpClient {
  /** One request the SDK made and the status it got. */
  record Exchange(String method, String path, String query, String body, int status) {}

  private final URI base;
  private final java.net.http.HttpClient http =
      java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

  LoopbackHttpClient(URI base) {
    this.base = base;
  }

  List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  @Override
  public Response makeRequest(Request request) {
    URL twilio = request.constructURL();
    URI target = base.resolve(twilio.getFile());
    String body = request.getMethod() == HttpMethod.POST ? request.encodeFormBody() : "";
    HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json")
        .header("User-Agent", "twilio-java/compat-test");
    if (request.requiresAuthentication()) {
      builder.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          (request.getUsername() + ":" + request.getPassword()).getBytes(StandardCharsets.UTF_8)));
    }
    for (Map.Entry<String, List<String>> header : request.getHeaderParams().entrySet()) {
      for (String value : header.getValue()) {
        builder.header(header.getKey(), value);
      }
    }
    if (request.getMethod() == HttpMethod.POST) {
      builder.header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(body));
    } else {
      builder.method(request.getMethod().toString(), HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      exchanges.add(new Exchange(request.getMethod().toString(), target.getRawPath(),
          target.getRawQuery(), body, response.statusCode()));
      return new Response(response.body(), response.statusCode());
    } catch (IOException e) {
      throw new AssertionError(request.getMethod() + " " + target + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }
}
