package org.switchboard.asterisk.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.asterisk.ari.AriJson;

/**
 * ARI REST over the event WebSocket (Asterisk 20.14, 21.9, 22.4 and later): a command goes out as
 * a {@code RESTRequest} frame and its answer comes back on the same socket as a {@code
 * RESTResponse}, so no HTTP request is made, parsed, pooled or answered per command.
 *
 * <p>Each newly opened socket is first asked {@code GET asterisk/ping}; only once that is answered
 * (mode {@link RestTransport#AUTO}) do commands use the socket. An older server ignores the frame
 * and commands stay on HTTP. Commands also go over HTTP while no socket is up, when more than
 * {@code maxPending} answers are awaited on it, and for binary answers (recording files), which
 * Asterisk refuses on the socket. When a socket closes (or a frame cannot be written), the
 * commands still waiting on it fail with {@link Resend.Lost}, which says whether their frame was
 * written; {@link AriHttp} then sends them again over HTTP as {@link Resend} rules.
 */
final class SocketRest {
  private static final Logger log = LoggerFactory.getLogger(SocketRest.class);
  /** How long a new socket has at most to answer the probe (less when requests time out sooner). */
  static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  private final String serverId;
  private final RestTransport mode;
  private final int maxPending;
  private final Duration probeTimeout;
  private final AtomicLong ids = new AtomicLong();
  private volatile Session session;
  private volatile CompletableFuture<Boolean> probed = CompletableFuture.completedFuture(false);

  SocketRest(String serverId, RestTransport mode, int maxPending, Duration requestTimeout) {
    this.serverId = serverId;
    this.mode = mode;
    this.maxPending = maxPending;
    this.probeTimeout = requestTimeout.compareTo(PROBE_TIMEOUT) < 0 ? requestTimeout : PROBE_TIMEOUT;
  }

  /** The answer of one command: the status and the body bytes (empty when it had none). */
  record Answer(int status, byte[] body) {}

  /** Whether commands go over the socket now. */
  boolean active() {
    Session s = session;
    return s != null && s.confirmed;
  }

  /**
   * Sends {@code method uri} (relative to {@code /ari}, with its query) with an optional JSON
   * body; null when it must go over HTTP instead. The future fails after {@code timeout}.
   */
  CompletableFuture<Answer> send(String method, String uri, byte[] json, Duration timeout) {
    Session s = session;
    if (s == null || !s.confirmed || s.pending.size() >= maxPending || s.ws.isOutputClosed()) {
      return null;
    }
    return s.request(method, uri, json, timeout);
  }

  /** A new event socket: probe it (or trust it, in mode {@code WEBSOCKET}). */
  void opened(WebSocket ws) {
    if (mode == RestTransport.HTTP) {
      return;
    }
    Session s = new Session(ws);
    session = s;
    if (mode == RestTransport.WEBSOCKET) {
      s.confirmed = true;
      probed = CompletableFuture.completedFuture(true);
      return;
    }
    CompletableFuture<Boolean> outcome = new CompletableFuture<>();
    probed = outcome;
    s.request("GET", "asterisk/ping", null, probeTimeout).whenComplete((answer, error) -> {
      if (error == null && session == s) {
        s.confirmed = true;
        log.info("ARI {}: commands go over the event socket (REST over WebSocket)", serverId);
      } else if (session == s) {
        log.info("ARI {}: the server does not answer REST over its event socket (Asterisk older "
            + "than 20.14/21.9/22.4?); commands use HTTP", serverId);
      }
      outcome.complete(s.confirmed);
    });
  }

  /** The outcome of the latest socket's probe: whether commands use it (for tests and health). */
  CompletionStage<Boolean> probed() {
    return probed;
  }

  /** The socket {@code ws} is gone: whatever still waits on it fails. */
  void closed(WebSocket ws) {
    Session s = session;
    if (s != null && s.ws == ws) {
      session = null;
      s.failAll("the event socket closed before the answer came");
    }
  }

  /**
   * Takes a frame read from the socket when it is a {@code RESTResponse} (true), completing the
   * command it answers; events are left to the caller (false).
   */
  boolean intercept(String text) {
    if (text.indexOf("\"RESTResponse\"") < 0) {
      return false;
    }
    String type = null;
    String id = "";
    String uri = "";
    String body = "";
    int status = 0;
    // Only the fields read here are bound; the rest (timestamp, ids of Asterisk) is skipped.
    try (JsonParser p = AriJson.MAPPER.getFactory().createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.getCurrentName();
        p.nextToken();
        switch (name) {
          case "type" -> type = p.getValueAsString();
          case "request_id" -> id = p.getValueAsString("");
          case "status_code" -> status = p.getValueAsInt();
          case "uri" -> uri = p.getValueAsString("");
          case "message_body" -> body = p.getValueAsString("");
          default -> p.skipChildren();
        }
      }
    } catch (IOException e) {
      return false;
    }
    if (!"RESTResponse".equals(type)) {
      return false;
    }
    Session s = session;
    CompletableFuture<Answer> waiting = s == null ? null : s.pending.remove(id);
    if (waiting == null) {
      log.warn("ARI {}: RESTResponse for no waiting request (id '{}', {} {}); late or unknown",
          serverId, id, status, uri);
      return true;
    }
    waiting.complete(new Answer(status, body.getBytes(StandardCharsets.UTF_8)));
    return true;
  }

  /** One open socket: its awaited answers and its frames waiting to be written (one at a time). */
  private final class Session {
    final WebSocket ws;
    final Map<String, CompletableFuture<Answer>> pending = new ConcurrentHashMap<>();
    final Queue<String> outbox = new ConcurrentLinkedQueue<>();
    /** Requests whose frame is still in the outbox (never handed to the socket). */
    final Set<String> unsent = ConcurrentHashMap.newKeySet();
    final AtomicBoolean writing = new AtomicBoolean();
    volatile boolean confirmed;
    /** Why the socket is done, once it is: later requests fail at once with it. */
    volatile String ended;

    Session(WebSocket ws) {
      this.ws = ws;
    }

    CompletableFuture<Answer> request(String method, String uri, byte[] json, Duration timeout) {
      String id = Long.toString(ids.incrementAndGet(), 36);
      ObjectNode frame = AriJson.MAPPER.createObjectNode()
          .put("type", "RESTRequest")
          .put("request_id", id)
          .put("method", method)
          .put("uri", uri);
      if (json != null) {
        frame.put("content_type", "application/json")
            .put("message_body", new String(json, StandardCharsets.UTF_8));
      }
      CompletableFuture<Answer> answer = new CompletableFuture<>();
      pending.put(id, answer);
      answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete((a, e) -> pending.remove(id));
      try {
        String text = AriJson.MAPPER.writeValueAsString(frame);
        unsent.add(id);
        outbox.add(id + "\n" + text);
      } catch (IOException impossible) {
        answer.completeExceptionally(impossible);
        return answer;
      }
      write();
      String reason = ended;
      if (reason != null) {
        failAll(reason); // closed while this request was being queued
      }
      return answer;
    }

    /**
     * Writes queued frames; the JDK socket takes one text message at a time. A send that is done
     * at once is followed in this loop, not by recursion.
     */
    private void write() {
      while (writing.compareAndSet(false, true)) {
        String next = outbox.poll();
        if (next == null) {
          writing.set(false);
          if (outbox.isEmpty()) {
            return;
          }
          continue;
        }
        int cut = next.indexOf('\n');
        unsent.remove(next.substring(0, cut));
        CompletableFuture<WebSocket> sent;
        try {
          sent = ws.sendText(next.substring(cut + 1), true);
        } catch (RuntimeException e) {
          sent = CompletableFuture.failedFuture(e);
        }
        if (sent.isDone() && !sent.isCompletedExceptionally()) {
          writing.set(false);
          continue;
        }
        sent.whenComplete((w, error) -> {
          if (error != null) {
            broken(error);
          }
          writing.set(false);
          write();
        });
        return;
      }
    }

    /** A frame could not be written: commands go over HTTP until the next socket is up. */
    private void broken(Throwable error) {
      if (session == this) {
        session = null;
        log.warn("ARI {}: writing to the event socket failed ({}); commands use HTTP until it "
            + "reconnects", serverId, error.toString());
      }
      failAll("writing to the event socket failed (" + error + ")");
    }

    /** Fails every awaited answer with {@link Resend.Lost}, telling whether its frame left. */
    void failAll(String reason) {
      ended = reason;
      outbox.clear();
      for (String id : pending.keySet()) {
        CompletableFuture<Answer> waiting = pending.remove(id);
        if (waiting != null) {
          waiting.completeExceptionally(new Resend.Lost(reason, !unsent.remove(id)));
        }
      }
    }
  }
}
