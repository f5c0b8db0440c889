package org.switchboard.asterisk.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * ARI REST over the event WebSocket, as Asterisk 20.14, 21.9 and 22.4 and later serve it
 * ({@code res/ari/ari_websocket_requests.c}): a {@code RESTRequest} text frame is run like the
 * same HTTP request and answered on the same socket with a {@code RESTResponse} event. Frames of
 * one socket are handled one after another, in order (Asterisk reads and runs them on the socket's
 * own thread). Parameters come from the {@code uri}'s query, the {@code query_strings} array and a
 * form body (the first occurrence of a name wins), then a JSON body (which overrides them). A
 * binary answer (a recording's file) is refused with 406. Events a request causes are queued on
 * the socket before its response (one of the orders a real server can produce).
 */
final class SocketRequests {
  private static final System.Logger LOG = System.getLogger(SocketRequests.class.getName());
  private static final Set<String> METHODS =
      Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS");
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String JSON = "application/json";

  private final SimCore core;
  private final AriDispatcher dispatcher;
  private final String asteriskId;

  SocketRequests(SimCore core, AriDispatcher dispatcher, String asteriskId) {
    this.core = core;
    this.dispatcher = dispatcher;
    this.asteriskId = asteriskId;
  }

  /** Runs one text frame of {@code app}'s socket; completes once its response is queued. */
  CompletionStage<Void> handle(String app, EventHub.Socket socket, String text) {
    JsonNode message;
    try {
      message = AriJson.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      message = null;
    }
    if (message == null || !message.isObject()) {
      LOG.log(System.Logger.Level.WARNING, "event socket of app {0}: frame is not a JSON object",
          app);
      return CompletableFuture.completedFuture(null);
    }
    Parsed request = new Parsed(message);
    if (request.error != null) {
      respond(app, socket, request, request.error.status, "Bad request", request.error.body);
      return CompletableFuture.completedFuture(null);
    }
    return core.media.sounds.prefetch(ChannelsResource.mediaList(request.ari))
        .thenCompose(done -> dispatcher.dispatch(request.ari))
        .thenAccept(reply -> {
          if (reply == AriRequest.Reply.NO_ANSWER) {
            core.log.request(new SimLog.Request(core.clock.now(), request.method,
                "/ari/" + request.path, request.rawQuery, request.bodyText, SimFault.NO_ANSWER,
                SimLog.WEBSOCKET));
          } else if (reply.binary() != null) {
            respond(app, socket, request, 406, reason(406), null);
          } else {
            respond(app, socket, request, reply.status(), reason(reply.status()), reply.body());
          }
        });
  }

  private void respond(String app, EventHub.Socket socket, Parsed request, int status,
      String reason, JsonNode body) {
    ObjectNode response = AriJson.object()
        .put("type", "RESTResponse")
        .put("transaction_id", request.transactionId)
        .put("request_id", request.requestId)
        .put("status_code", status)
        .put("reason_phrase", reason)
        .put("uri", request.path);
    String bodyText = "";
    if (body != null) {
      bodyText = AriJson.write(body);
      response.put("content_type", JSON).put("message_body", bodyText);
    }
    response.put("timestamp", AriJson.time(core.clock.now()))
        .put("asterisk_id", asteriskId)
        .put("application", app);
    core.log.request(new SimLog.Request(core.clock.now(), request.method,
        "/ari/" + request.path, request.rawQuery, request.bodyText, status, SimLog.WEBSOCKET));
    if (!socket.send(AriJson.write(response))) {
      LOG.log(System.Logger.Level.ERROR,
          "event socket of app {0} is full or closed; RESTResponse {1} not delivered", app,
          request.requestId);
    }
  }

  /**
   * The reason phrases of Asterisk's handlers ({@code 406} is worded by the socket code, and a
   * frame refused before it ran gets {@code Bad request}).
   */
  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 204 -> "No Content";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable.  Use HTTP GET";
      case 409 -> "Conflict";
      case 412 -> "Precondition Failed";
      case 422 -> "Unprocessable Entity";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Internal Server Error" : "Error";
    };
  }

  /** One RESTRequest frame, checked in Asterisk's order; {@code error} set when it is refused. */
  private static final class Parsed {
    final String transactionId;
    final String requestId;
    String method = "";
    String path = "";
    String rawQuery = "";
    String bodyText = "";
    AriRequest ari;
    AriError error;

    Parsed(JsonNode m) {
      transactionId = m.path("transaction_id").asText("");
      requestId = m.path("request_id").asText("");
      try {
        parse(m);
      } catch (AriError e) {
        error = e;
      }
    }

    private void parse(JsonNode m) {
      String type = m.path("type").asText("");
      if (type.isEmpty()) {
        throw AriError.of(400, "No 'type' property.");
      }
      if (!type.equals("RESTRequest")) {
        throw AriError.of(400, "Unknown request type.");
      }
      String uri = m.path("uri").asText("");
      if (uri.isEmpty()) {
        throw AriError.of(400, "Empty or missing 'uri' property.");
      }
      int q = uri.indexOf('?');
      path = q < 0 ? uri : uri.substring(0, q);
      Map<String, String> params = new LinkedHashMap<>();
      if (q >= 0) {
        rawQuery = uri.substring(q + 1);
        form(rawQuery, params);
      }
      method = m.path("method").asText("");
      if (!METHODS.contains(method)) {
        throw AriError.of(400, "Unknown or missing 'method' property.");
      }
      JsonNode strings = m.path("query_strings");
      if (!strings.isMissingNode() && !strings.isNull()) {
        if (!strings.isArray()) {
          throw AriError.of(400, "Unable to parse 'query_strings' array.");
        }
        for (JsonNode nvp : strings) {
          if (!nvp.path("name").isTextual() || !nvp.has("value")) {
            throw AriError.of(400, "Unable to parse 'query_strings' array.");
          }
          params.putIfAbsent(nvp.get("name").asText(), nvp.get("value").asText());
        }
      }
      String json = "";
      bodyText = m.path("message_body").asText("");
      if (!bodyText.isEmpty()) {
        String contentType = m.path("content_type").asText("");
        if (contentType.isEmpty()) {
          throw AriError.of(400, "No 'content_type' for 'message_body'.");
        } else if (contentType.equals(FORM)) {
          form(bodyText, params);
        } else if (contentType.equals(JSON)) {
          json = bodyText;
        } else {
          throw AriError.of(400, "Unknown content type.");
        }
      }
      ari = SimHttpServer.parse(method, SimHttpServer.segments(path), params, json);
    }

    private static void form(String text, Map<String, String> into) {
      for (String pair : text.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        into.putIfAbsent(name, value);
      }
    }

    private static String decode(String s) {
      try {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw AriError.of(400, "Unable to parse 'message_body' as '" + FORM + "'.");
      }
    }
  }
}
