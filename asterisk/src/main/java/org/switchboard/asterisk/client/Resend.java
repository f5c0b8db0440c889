package org.switchboard.asterisk.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.Failures;

/**
 * What becomes of an ARI command whose event-socket frame got no answer because the socket closed
 * (or the frame could not be written): it is sent again over HTTP at once, and again after short
 * pauses ({@link #DEFAULT_PAUSES}) while HTTP itself fails without an answer (connection refused
 * or reset, timeout). An answer from Asterisk, whatever its status, is never retried.
 *
 * <p>A frame that was written may have run on Asterisk, so each command has a rule
 * ({@link #rule}, table in the module README) that makes the resend safe:
 *
 * <ul>
 *   <li>{@link Kind#CREATE}: it creates something under an id Switchboard chose (originate,
 *       channel create, externalMedia and snoop with their channel id, bridge create, play with
 *       its playback id, record with its name). The resend first asks for that object ({@code
 *       GET}); if it exists the first frame ran and its {@code 200} answer is the command's.
 *       Otherwise the command is sent again, and an "already exists" answer ({@code 409}:
 *       Asterisk's for a channel or bridge id and for a recording name in use or stored) is
 *       checked the same way; a recording that already finished is found among the stored ones.
 *       Asterisk accepts a second playback under an existing id (it would play twice) and
 *       answers a duplicate snoop id with a 500, hence the lookup first.
 *   <li>{@link Kind#REMOVE}: hangup, bridge destroy, playback stop, recording stop/cancel/delete:
 *       {@code 404} on the resend means it is gone, which is what was asked.
 *   <li>{@link Kind#SETTLED}: continue, redirect, dial, removeChannel: the listed statuses on the
 *       resend mean the first frame already moved the channel on ({@code 409} not in Stasis any
 *       more, already dialling; {@code 422} not in this bridge).
 *   <li>{@link Kind#JOIN}: addChannel. Running it twice leaves the same state, but a channel may
 *       have gone between the two runs (a callee hanging up right after being bridged): Asterisk
 *       then answers the resend {@code 400} (channel not found) or {@code 422} (not in Stasis)
 *       and adds none of the list. The bridge is read ({@code GET /bridges/{id}}); when it holds
 *       any of the channels asked for, the first frame ran and the command succeeded (the gone
 *       channel's own end reaches its owner as usual).
 *   <li>{@link Kind#REPEAT}: reads and commands that set a state (answer, ring, hold, moh,
 *       silence, mute, variables): running them twice leaves the same state.
 *   <li>{@link Kind#ONCE}: DTMF, playback control (skip, pause...) and a transfer's progress
 *       (a second {@code NOTIFY}) would act twice: sent again
 *       only when the frame was never written, else they fail as before.
 * </ul>
 */
final class Resend {
  private static final Logger log = LoggerFactory.getLogger(Resend.class);

  /** The pauses before the second, third and fourth HTTP attempt. */
  static final List<Duration> DEFAULT_PAUSES =
      List.of(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(900));

  /** A command's frame left without its answer: the socket closed or refused the frame. */
  static final class Lost extends IOException {
    private final boolean written;

    Lost(String message, boolean written) {
      super(message);
      this.written = written;
    }

    /** Whether the frame was handed to the socket (Asterisk may have run it). */
    boolean written() {
      return written;
    }
  }

  /** One HTTP request: method, path (under {@code /ari}), query, JSON body or null. */
  interface Http {
    CompletableFuture<SocketRest.Answer> send(
        String method, String path, Map<String, ?> query, byte[] json);
  }

  enum Kind { CREATE, REMOVE, SETTLED, JOIN, REPEAT, ONCE }

  /**
   * How a command is resent.
   *
   * @param probes for {@link Kind#CREATE}, the paths that read the object created, in order; for
   *     {@link Kind#JOIN}, the bridge
   * @param done the statuses on the resend that mean the first frame did it
   */
  record Rule(Kind kind, List<String> probes, List<Integer> done) {
    static Rule of(Kind kind) {
      return new Rule(kind, List.of(), List.of());
    }
  }

  private final String serverId;
  private final Http http;
  private final List<Duration> pauses;

  Resend(String serverId, Http http, List<Duration> pauses) {
    this.serverId = serverId;
    this.http = http;
    this.pauses = List.copyOf(pauses);
  }

  /** The rule of {@code operation} (as the APIs name it, e.g. {@code POST /channels}). */
  static Rule rule(String operation, String method, String path, Map<String, ?> query) {
    if (HttpMethods.GET.value().equals(method)) {
      return Rule.of(Kind.REPEAT);
    }
    return switch (operation) {
      case "POST /channels", "POST /channels/create", "POST /channels/externalMedia" ->
          create(query.get("channelId"), "/channels/");
      case "POST /channels/{id}/snoop" -> create(query.get("snoopId"), "/channels/");
      case "POST /bridges" -> create(query.get("bridgeId"), "/bridges/");
      case "POST /channels/{id}/play", "POST /bridges/{id}/play" ->
          create(query.get("playbackId"), "/playbacks/");
      // A recording that ran and already finished is found among the stored ones.
      case "POST /channels/{id}/record", "POST /bridges/{id}/record" ->
          create(query.get("name"), "/recordings/live/", "/recordings/stored/");
      case "DELETE /channels/{id}", "DELETE /bridges/{id}", "DELETE /playbacks/{id}",
          "POST /recordings/live/{name}/stop", "DELETE /recordings/live/{name}",
          "DELETE /recordings/stored/{name}",
          "DELETE /asterisk/config/dynamic/{configClass}/{objectType}/{id}" ->
          new Rule(Kind.REMOVE, List.of(), List.of(404));
      case "POST /channels/{id}/continue", "POST /channels/{id}/redirect",
          "POST /channels/{id}/dial" -> new Rule(Kind.SETTLED, List.of(), List.of(409));
      case "POST /bridges/{id}/removeChannel" ->
          new Rule(Kind.SETTLED, List.of(), List.of(422));
      case "POST /bridges/{id}/addChannel" -> new Rule(Kind.JOIN,
          List.of(path.substring(0, path.length() - "/addChannel".length())), List.of(400, 422));
      case "POST /channels/{id}/dtmf", "POST /playbacks/{id}/control",
          "POST /channels/{id}/transfer_progress" -> Rule.of(Kind.ONCE);
      default -> Rule.of(Kind.REPEAT);
    };
  }

  private static Rule create(Object id, String... collections) {
    if (id == null || id.toString().isEmpty()) {
      return Rule.of(Kind.ONCE);
    }
    return new Rule(Kind.CREATE,
        java.util.Arrays.stream(collections).map(c -> c + AriHttp.seg(id.toString())).toList(),
        List.of(409));
  }

  /**
   * The answer of a command whose frame was {@code lost}: its HTTP resend's (or the lookup's that
   * shows it ran), or the loss itself for a command that must not run twice.
   */
  CompletableFuture<SocketRest.Answer> after(Lost lost, String operation, String method,
      String path, Map<String, ?> query, byte[] json) {
    Rule rule = rule(operation, method, path, query);
    if (rule.kind() == Kind.ONCE && lost.written()) {
      log.warn("ARI {}: {} got no answer before the event socket closed and is not sent again "
          + "(it may have run; a second run would repeat it)", serverId, operation);
      return CompletableFuture.failedFuture(lost);
    }
    log.debug("ARI {}: {} got no answer before the event socket closed ({}); sending it over HTTP",
        serverId, operation, lost.getMessage());
    if (rule.kind() == Kind.CREATE && lost.written()) {
      return lookUp(rule)
          .thenCompose(found -> found.status() == 200
              ? CompletableFuture.completedFuture(found)
              : resend(rule, method, path, query, json));
    }
    if (rule.kind() == Kind.JOIN) {
      return attempt(() -> http.send(method, path, query, json), 0).thenCompose(answer ->
          lost.written() && rule.done().contains(answer.status())
              ? joined(rule, query, answer)
              : CompletableFuture.completedFuture(answer));
    }
    return resend(rule, method, path, query, json);
  }

  /**
   * The answer of a command that got no answer in time ({@code timeout}, over HTTP or the event
   * socket): Asterisk may have run it, or still run it later. A command that creates under our id
   * ({@link Kind#CREATE}) is looked up once, and an addChannel ({@link Kind#JOIN}) reads its
   * bridge once: found (the bridge holds any channel of the list), the command ran and the lookup
   * is its answer. Otherwise, and for every other command, it fails with {@code timeout} as
   * before: its outcome stays unknown and its caller reconciles (a late playback is stopped, a
   * hangup sent again; ARCHITECTURE.md "Uncertain ARI outcomes"). The lookup is not retried: it
   * follows a timeout, when Asterisk is slow already.
   */
  CompletableFuture<SocketRest.Answer> afterNoAnswer(Throwable timeout, String operation,
      String method, String path, Map<String, ?> query) {
    Rule rule = rule(operation, method, path, query);
    if (rule.kind() != Kind.CREATE && rule.kind() != Kind.JOIN) {
      return CompletableFuture.failedFuture(timeout);
    }
    CompletableFuture<SocketRest.Answer> found = lookUpOnce(rule.probes(), 0);
    return found.handle((answer, error) -> {
      boolean ran = error == null && answer.status() == 200 && (rule.kind() == Kind.CREATE
          || holdsAny(answer.body(), List.of(String.valueOf(query.get("channel")).split(","))));
      if (!ran) {
        log.debug("ARI {}: {} got no answer in time and {} does not show it ran{}", serverId,
            operation, rule.probes(), error == null ? "" : " (" + Failures.cause(error) + ")");
        return CompletableFuture.<SocketRest.Answer>failedFuture(timeout);
      }
      log.info("ARI {}: {} got no answer in time, but {} shows it ran", serverId, operation,
          rule.probes());
      return CompletableFuture.completedFuture(rule.kind() == Kind.CREATE
          ? answer : new SocketRest.Answer(204, new byte[0]));
    }).thenCompose(f -> f);
  }

  private CompletableFuture<SocketRest.Answer> lookUpOnce(List<String> probes, int next) {
    CompletableFuture<SocketRest.Answer> sent;
    try {
      sent = http.send(HttpMethods.GET.value(), probes.get(next), Map.of(), null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return sent.thenCompose(found -> found.status() == 200 || next + 1 == probes.size()
        ? CompletableFuture.completedFuture(found)
        : lookUpOnce(probes, next + 1));
  }

  /**
   * A resent addChannel that found a channel gone: success when the bridge holds any channel of
   * the list (the first frame ran), else the resend's own {@code answer}.
   */
  private CompletableFuture<SocketRest.Answer> joined(
      Rule rule, Map<String, ?> query, SocketRest.Answer answer) {
    List<String> asked = List.of(String.valueOf(query.get("channel")).split(","));
    return lookUp(rule).thenApply(bridge -> {
      if (bridge.status() == 200 && holdsAny(bridge.body(), asked)) {
        log.info("ARI {}: addChannel {} answered {} on its resend, but {} holds some of them: the"
            + " first frame ran", serverId, asked, answer.status(), rule.probes().get(0));
        return new SocketRest.Answer(204, new byte[0]);
      }
      return answer;
    });
  }

  private static boolean holdsAny(byte[] bridgeJson, List<String> channels) {
    try {
      for (com.fasterxml.jackson.databind.JsonNode id
          : org.switchboard.asterisk.ari.AriJson.MAPPER.readTree(bridgeJson).path("channels")) {
        if (channels.contains(id.asText())) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private CompletableFuture<SocketRest.Answer> resend(
      Rule rule, String method, String path, Map<String, ?> query, byte[] json) {
    return attempt(() -> http.send(method, path, query, json), 0).thenCompose(answer -> {
      if (!rule.done().contains(answer.status())) {
        return CompletableFuture.completedFuture(answer);
      }
      if (rule.kind() != Kind.CREATE) {
        return CompletableFuture.completedFuture(new SocketRest.Answer(204, new byte[0]));
      }
      // "Already exists": the first frame ran after all; the object is the answer.
      return lookUp(rule)
          .thenApply(found -> found.status() == 200 ? found : answer);
    });
  }

  /** Runs {@code request}, again after each pause while it fails without an answer. */
  private CompletableFuture<SocketRest.Answer> attempt(
      java.util.function.Supplier<CompletableFuture<SocketRest.Answer>> request, int done) {
    CompletableFuture<SocketRest.Answer> sent;
    try {
      sent = request.get();
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.handle((answer, error) -> {
      if (error == null) {
        return CompletableFuture.completedFuture(answer);
      }
      if (done >= pauses.size() || !transport(error)) {
        return CompletableFuture.<SocketRest.Answer>failedFuture(Failures.cause(error));
      }
      Duration pause = pauses.get(done);
      log.info("ARI {}: HTTP resend failed ({}); again in {} ms", serverId,
          Failures.cause(error).toString(), pause.toMillis());
      return CompletableFuture.supplyAsync(() -> null,
              CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS))
          .thenCompose(x -> attempt(request, done + 1));
    }).thenCompose(f -> f);
  }

  /**
   * A failure without an answer from Asterisk (no connection, a reset, a timeout, a full pool):
   * every failure of the HTTP side except a request that could not be built, since Asterisk's
   * answers, errors included, arrive as {@link SocketRest.Answer}s.
   */
  static boolean transport(Throwable error) {
    Throwable t = Failures.cause(error);
    if (t instanceof org.switchboard.engine.port.AriCommandException ari) {
      return ari.status() == 0;
    }
    return !(t instanceof IllegalArgumentException);
  }

  /** The object a {@link Kind#CREATE} command makes, read by its id: the first 200, or a 404. */
  private CompletableFuture<SocketRest.Answer> lookUp(Rule rule) {
    return lookUp(rule.probes(), 0);
  }

  private CompletableFuture<SocketRest.Answer> lookUp(List<String> probes, int next) {
    String probe = probes.get(next);
    return attempt(() -> http.send(HttpMethods.GET.value(), probe, Map.of(), null), 0)
        .thenCompose(found -> found.status() == 200 || next + 1 == probes.size()
            ? CompletableFuture.completedFuture(found)
            : lookUp(probes, next + 1));
  }
}
