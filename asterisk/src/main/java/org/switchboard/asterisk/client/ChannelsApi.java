package org.switchboard.asterisk.client;

import static org.apache.pekko.http.javadsl.model.HttpMethods.DELETE;
import static org.apache.pekko.http.javadsl.model.HttpMethods.GET;
import static org.apache.pekko.http.javadsl.model.HttpMethods.POST;
import static org.switchboard.asterisk.client.AriHttp.seg;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.switchboard.asterisk.ari.AriJson;
import org.switchboard.asterisk.ari.Channel;
import org.switchboard.asterisk.ari.LiveRecording;
import org.switchboard.asterisk.ari.Playback;
import org.switchboard.asterisk.ari.Variable;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.AriPort.RecordRequest;
import org.switchboard.engine.port.HangupReason;

/** {@code /channels}: originate, create, dial, media, variables, dialplan and snooping. */
public final class ChannelsApi {
  private final AriHttp http;
  private final String app;

  ChannelsApi(AriHttp http, String app) {
    this.http = http;
    this.app = app;
  }

  /** {@code POST /channels}: originate into this app; the ids are chosen by the caller. */
  public CompletionStage<Channel> originate(OriginateParams p) {
    return http.call(
            POST,
            "POST /channels",
            "/channels",
            Params.of(
                "endpoint", p.endpoint(),
                "app", app,
                "appArgs", p.appArgs(),
                "callerId", p.callerId(),
                "timeout", Params.positive(p.timeoutSeconds()),
                "channelId", p.channelId(),
                "otherChannelId", p.otherChannelId(),
                "originator", p.originator()),
            variablesBody(p.variables()))
        .thenApply(body -> AriJson.read(body, Channel.class));
  }

  /** {@code POST /channels/create}: a channel in this app that is not dialled yet. */
  public CompletionStage<Channel> create(OriginateParams p) {
    return http.call(
            POST,
            "POST /channels/create",
            "/channels/create",
            Params.of(
                "endpoint", p.endpoint(),
                "app", app,
                "appArgs", p.appArgs(),
                "channelId", p.channelId(),
                "otherChannelId", p.otherChannelId(),
                "originator", p.originator()),
            variablesBody(p.variables()))
        .thenApply(body -> AriJson.read(body, Channel.class));
  }

  /** {@code POST /channels/{id}/dial} a created channel; {@code timeoutSeconds} 0 = none. */
  public CompletionStage<Done> dial(String id, String caller, int timeoutSeconds) {
    return http.command(
        POST,
        "POST /channels/{id}/dial",
        "/channels/" + seg(id) + "/dial",
        Params.of("caller", caller, "timeout", Params.positive(timeoutSeconds)));
  }

  public CompletionStage<Channel> get(String id) {
    return http.json(GET, "GET /channels/{id}", "/channels/" + seg(id), Map.of(), Channel.class);
  }

  public CompletionStage<List<Channel>> list() {
    return http.jsonList("GET /channels", "/channels", Channel.class);
  }

  public CompletionStage<Done> answer(String id) {
    return http.command(POST, "POST /channels/{id}/answer", path(id, "answer"), Map.of());
  }

  /** {@code DELETE /channels/{id}?reason=…}. */
  public CompletionStage<Done> hangup(String id, HangupReason reason) {
    return http.command(
        DELETE, "DELETE /channels/{id}", "/channels/" + seg(id), Params.of("reason", reason.wire()));
  }

  public CompletionStage<Done> ring(String id) {
    return http.command(POST, "POST /channels/{id}/ring", path(id, "ring"), Map.of());
  }

  public CompletionStage<Done> stopRinging(String id) {
    return http.command(DELETE, "DELETE /channels/{id}/ring", path(id, "ring"), Map.of());
  }

  /** {@code POST /channels/{id}/play?media=a,b&playbackId=…}. */
  public CompletionStage<Playback> play(String id, String playbackId, List<String> media) {
    return http.json(
        POST,
        "POST /channels/{id}/play",
        path(id, "play"),
        Params.of("media", Params.list(media), "playbackId", playbackId),
        Playback.class);
  }

  /** {@code POST /channels/{id}/record}. */
  public CompletionStage<LiveRecording> record(String id, RecordRequest request) {
    return http.json(
        POST, "POST /channels/{id}/record", path(id, "record"), recordParams(request),
        LiveRecording.class);
  }

  /** {@code POST /channels/{id}/dtmf}; pauses in ms, 0 for Asterisk's default. */
  public CompletionStage<Done> sendDtmf(String id, String dtmf, int betweenMs, int durationMs) {
    return http.command(
        POST,
        "POST /channels/{id}/dtmf",
        path(id, "dtmf"),
        Params.of(
            "dtmf", dtmf,
            "between", Params.positive(betweenMs),
            "duration", Params.positive(durationMs)));
  }

  public CompletionStage<Done> startMoh(String id, String mohClass) {
    return http.command(
        POST, "POST /channels/{id}/moh", path(id, "moh"), Params.of("mohClass", mohClass));
  }

  public CompletionStage<Done> stopMoh(String id) {
    return http.command(DELETE, "DELETE /channels/{id}/moh", path(id, "moh"), Map.of());
  }

  public CompletionStage<Done> startSilence(String id) {
    return http.command(POST, "POST /channels/{id}/silence", path(id, "silence"), Map.of());
  }

  public CompletionStage<Done> stopSilence(String id) {
    return http.command(DELETE, "DELETE /channels/{id}/silence", path(id, "silence"), Map.of());
  }

  public CompletionStage<Done> hold(String id) {
    return http.command(POST, "POST /channels/{id}/hold", path(id, "hold"), Map.of());
  }

  public CompletionStage<Done> unhold(String id) {
    return http.command(DELETE, "DELETE /channels/{id}/hold", path(id, "hold"), Map.of());
  }

  /** {@code direction}: in, out or both. */
  public CompletionStage<Done> mute(String id, String direction) {
    return http.command(
        POST, "POST /channels/{id}/mute", path(id, "mute"), Params.of("direction", direction));
  }

  public CompletionStage<Done> unmute(String id, String direction) {
    return http.command(
        DELETE, "DELETE /channels/{id}/mute", path(id, "mute"), Params.of("direction", direction));
  }

  /** The variable's value, or empty when Asterisk says it is not set (404). */
  public CompletionStage<Optional<String>> getVariable(String id, String name) {
    return http.json(
            GET, "GET /channels/{id}/variable", path(id, "variable"), Params.of("variable", name),
            Variable.class)
        .handle(
            (variable, error) -> {
              if (error == null) {
                return Optional.ofNullable(variable.value());
              }
              Throwable cause = error.getCause() != null ? error.getCause() : error;
              if (cause instanceof AriCommandException ari && ari.isNotFound()) {
                return Optional.<String>empty();
              }
              throw error instanceof RuntimeException r ? r : new IllegalStateException(error);
            });
  }

  public CompletionStage<Done> setVariable(String id, String name, String value) {
    return http.command(
        POST,
        "POST /channels/{id}/variable",
        path(id, "variable"),
        Params.of("variable", name, "value", value));
  }

  /** {@code POST /channels/{id}/continue}; null parameters continue where the channel was. */
  public CompletionStage<Done> continueInDialplan(
      String id, String context, String extension, Integer priority) {
    return http.command(
        POST,
        "POST /channels/{id}/continue",
        path(id, "continue"),
        Params.of("context", context, "extension", extension, "priority", priority));
  }

  public CompletionStage<Done> redirect(String id, String endpoint) {
    return http.command(
        POST, "POST /channels/{id}/redirect", path(id, "redirect"), Params.of("endpoint", endpoint));
  }

  /** {@code POST /channels/{id}/transfer_progress}: the progress of a REFER's transfer. */
  public CompletionStage<Done> transferProgress(String id, String states) {
    return http.command(POST, "POST /channels/{id}/transfer_progress",
        path(id, "transfer_progress"), Params.of("states", states));
  }

  /** {@code POST /channels/externalMedia}; the reply's channelvars hold the RTP address. */
  public CompletionStage<Channel> externalMedia(ExternalMediaParams p) {
    return http.json(
        POST,
        "POST /channels/externalMedia",
        "/channels/externalMedia",
        Params.of(
            "channelId", p.channelId(),
            "app", app,
            "external_host", p.externalHost(),
            "encapsulation", p.encapsulation(),
            "transport", p.transport(),
            "connection_type", p.connectionType(),
            "format", p.format(),
            "direction", p.direction(),
            "data", p.data()),
        Channel.class);
  }

  /** {@code POST /channels/{id}/snoop}: spy/whisper are none, both, out or in. */
  public CompletionStage<Channel> snoop(
      String id, String snoopId, String spy, String whisper, String appArgs) {
    return http.json(
        POST,
        "POST /channels/{id}/snoop",
        path(id, "snoop"),
        Params.of("snoopId", snoopId, "spy", spy, "whisper", whisper, "app", app, "appArgs", appArgs),
        Channel.class);
  }

  static Map<String, Object> recordParams(RecordRequest r) {
    return Params.of(
        "name", r.name(),
        "format", r.format(),
        "maxDurationSeconds", Params.positive(r.maxDurationSeconds()),
        "maxSilenceSeconds", Params.positive(r.maxSilenceSeconds()),
        "beep", r.beep(),
        "terminateOn", r.terminateOn(),
        "ifExists", r.ifExists());
  }

  private static Map<String, Object> variablesBody(Map<String, String> variables) {
    return variables == null || variables.isEmpty() ? null : Map.of("variables", variables);
  }

  private static String path(String id, String action) {
    return "/channels/" + seg(id) + "/" + action;
  }
}
