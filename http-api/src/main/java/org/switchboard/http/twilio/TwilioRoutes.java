package org.switchboard.http.twilio;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.http.api.ApiException;
import org.switchboard.http.api.ApiJson;
import org.switchboard.http.api.ApiSettings;
import org.switchboard.http.api.Authenticator;
import org.switchboard.http.api.CallControl;
import org.switchboard.http.api.ConferenceControl;
import org.switchboard.http.api.QueueControl;
import org.switchboard.http.api.RecordingControl;
import org.switchboard.http.api.RecordingRoutes;
import org.switchboard.http.api.RecordingStore;
import org.switchboard.http.api.RecordingStore.AudioFormat;
import org.switchboard.http.api.RecordingUrls;
import org.switchboard.http.api.RequestBodies;
import org.switchboard.http.api.SwitchboardMetrics;

/**
 * The Twilio-compatible REST subset under {@code /2010-04-01/Accounts/{AccountSid}/}: Calls,
 * Recordings (metadata and media) and their Transcriptions, Queues and Members, Conferences and
 * Participants. Every request needs HTTP Basic {@code
 * AccountSid:AuthToken} (or the API key), except recording media with a valid signed URL. Errors
 * use Twilio's body {@code {code, message, more_info, status}}: 401/20003 for credentials,
 * 404/20404 for unknown resources, 405/20004 for wrong methods, 400/21xxx for bad parameters,
 * 413/20413 for a body over {@code max-body-size}.
 */
public final class TwilioRoutes extends AllDirectives {
  private static final Logger LOG = LoggerFactory.getLogger(TwilioRoutes.class);

  private final ApiSettings settings;
  private final Authenticator auth;
  private final RecordingUrls urls;
  private final RecordingStore store;
  private final SwitchboardMetrics metrics;
  private final CallsResource calls;
  private final RecordingsResource recordings;
  private final QueuesResource queues;
  private final ConferencesResource conferences;
  private final ParticipantCreation participants;
  private final CallRecordingsResource callRecordings;
  private final TranscriptionsResource transcriptions;

  /** Routes over these collaborators, without conferences nor recordings of live calls. */
  public TwilioRoutes(CallControl callControl, QueueControl queueControl, RecordingStore store,
      RecordingUrls urls, Authenticator auth, ApiSettings settings, SwitchboardMetrics metrics) {
    this(callControl, queueControl, ConferenceControl.NONE, RecordingControl.NONE, store, urls,
        auth, settings, metrics);
  }

  /** Routes over these collaborators. */
  public TwilioRoutes(CallControl callControl, QueueControl queueControl,
      ConferenceControl conferenceControl, RecordingControl recordingControl,
      RecordingStore store, RecordingUrls urls, Authenticator auth, ApiSettings settings,
      SwitchboardMetrics metrics) {
    this.settings = settings;
    this.auth = auth;
    this.urls = urls;
    this.store = store;
    this.metrics = metrics;
    TwilioJson json = new TwilioJson(settings.accountSid(), urls);
    this.calls = new CallsResource(callControl, json);
    this.recordings = new RecordingsResource(store, json);
    this.queues = new QueuesResource(queueControl, json);
    this.conferences = new ConferencesResource(conferenceControl, json);
    this.participants = new ParticipantCreation(conferenceControl, callControl, json);
    this.callRecordings = new CallRecordingsResource(recordingControl, recordings, json);
    this.transcriptions = new TranscriptionsResource(store, json);
  }

  /** The route. */
  public Route route() {
    return pathPrefix(TwilioJson.API_VERSION, () -> pathPrefix("Accounts", () ->
        pathPrefix(PathMatchers.segment(), account -> extractUnmatchedPath(rest ->
            extractRequest(request -> RequestBodies.strict(settings.maxBodySize(),
                Duration.ofSeconds(10), TwilioError::tooLarge, entity -> completeWithFuture(
                    handle(account, rest, request, entity.getData().utf8String()))))))));
  }

  private CompletionStage<HttpResponse> handle(
      String account, String rest, HttpRequest http, String body) {
    String fullPath = http.getUri().path();
    TwilioRequest request;
    try {
      String form = http.method().value().equals("GET") ? "" : body;
      request = TwilioRequest.of(http.method().value(), rest,
          TwilioForm.parse(http.getUri().rawQueryString().orElse(null), form), fullPath);
    } catch (TwilioError.TwilioException e) {
      return done(e.response());
    }
    boolean media = request.matches("Recordings", null) && request.method().equals("GET")
        && !request.suffix().equals("json");
    if (!auth.basicValid(http)) {
      if (media) {
        RecordingUrls.Verification signed = urls.verify(request.segment(1),
            request.params().first("expires").orElse(null),
            request.params().first("sig").orElse(null));
        if (signed.valid()) {
          return mediaResponse(request.segment(1), format(request.suffix()));
        }
        if (signed.status() == RecordingUrls.Status.EXPIRED) {
          metrics.authFailed("twilio", "expired");
          return done(TwilioError.response(403, TwilioError.AUTHENTICATE, "URL expired"));
        }
      }
      metrics.authFailed("twilio", "basic");
      return done(TwilioError.unauthorized());
    }
    if (!account.equals(settings.accountSid())) {
      return done(TwilioError.notFound(fullPath));
    }
    if (media) {
      return mediaResponse(request.segment(1), format(request.suffix()));
    }
    if (!request.wantsJson()) {
      return done(TwilioError.notFound(fullPath));
    }
    int invalidCode = request.matches("Calls") || request.segments().size() == 2
        && request.segment(0).equals("Calls")
        ? TwilioError.CALLS_RESOURCE : TwilioError.BAD_REQUEST;
    CompletionStage<HttpResponse> answer;
    try {
      answer = dispatch(request);
    } catch (TwilioError.TwilioException e) {
      return done(e.response());
    } catch (ApiException e) {
      return done(TwilioError.of(e, invalidCode));
    }
    return answer.toCompletableFuture()
        .orTimeout(settings.askTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .handle((response, error) -> {
          if (error == null) {
            return response;
          }
          Throwable cause = error.getCause() != null ? error.getCause() : error;
          if (cause instanceof TwilioError.TwilioException twilio) {
            return twilio.response();
          }
          return TwilioError.of(ApiJson.failure(error, LOG, fullPath), invalidCode);
        });
  }

  private CompletionStage<HttpResponse> dispatch(TwilioRequest r) {
    TwilioForm p = r.params();
    Map<String, Supplier<CompletionStage<HttpResponse>>> methods = new TreeMap<>();
    if (r.matches("Calls")) {
      methods.put("GET", () -> ok(calls.list(p)));
      methods.put("POST", () -> created(calls.create(p)));
    } else if (r.matches("Calls", null)) {
      methods.put("GET", () -> ok(calls.fetch(r.segment(1))));
      methods.put("POST", () -> ok(calls.update(r.segment(1), p)));
    } else if (r.matches("Calls", null, "Recordings")) {
      methods.put("GET", () -> ok(callRecordings.list(r.segment(1), p)));
      methods.put("POST", () -> created(callRecordings.create(r.segment(1), p)));
    } else if (r.matches("Calls", null, "Recordings", null)) {
      Optional<String> call = Optional.of(r.segment(1));
      methods.put("GET", () -> ok(callRecordings.fetch(r.segment(1), r.segment(3))));
      methods.put("POST", () -> ok(callRecordings.update(r.segment(1), r.segment(3), p)));
      methods.put("DELETE", () -> noContent(recordings.delete(r.segment(3), call)));
    } else if (r.matches("Recordings")) {
      methods.put("GET", () -> ok(recordings.list(p, Optional.empty())));
    } else if (r.matches("Recordings", null)) {
      methods.put("GET", () -> ok(recordings.fetch(r.segment(1), Optional.empty())));
      methods.put("DELETE", () -> noContent(recordings.delete(r.segment(1), Optional.empty())));
    } else if (r.matches("Transcriptions")) {
      methods.put("GET", () -> ok(transcriptions.list(p, Optional.empty())));
    } else if (r.matches("Transcriptions", null)) {
      methods.put("GET", () -> ok(transcriptions.fetch(r.segment(1), Optional.empty())));
      methods.put("DELETE",
          () -> noContent(transcriptions.delete(r.segment(1), Optional.empty())));
    } else if (r.matches("Recordings", null, "Transcriptions")) {
      methods.put("GET", () -> ok(transcriptions.list(p, Optional.of(r.segment(1)))));
    } else if (r.matches("Recordings", null, "Transcriptions", null)) {
      Optional<String> recording = Optional.of(r.segment(1));
      methods.put("GET", () -> ok(transcriptions.fetch(r.segment(3), recording)));
      methods.put("DELETE", () -> noContent(transcriptions.delete(r.segment(3), recording)));
    } else if (r.matches("Queues")) {
      methods.put("GET", () -> ok(queues.list(p)));
      methods.put("POST", () -> created(queues.create(p)));
    } else if (r.matches("Queues", null)) {
      methods.put("GET", () -> ok(queues.fetch(r.segment(1))));
      methods.put("POST", () -> ok(queues.update(r.segment(1), p)));
      methods.put("DELETE", () -> noContent(queues.delete(r.segment(1))));
    } else if (r.matches("Queues", null, "Members")) {
      methods.put("GET", () -> ok(queues.members(r.segment(1), p)));
    } else if (r.matches("Queues", null, "Members", null)) {
      methods.put("GET", () -> ok(queues.member(r.segment(1), r.segment(3))));
      methods.put("POST", () -> ok(queues.dequeue(r.segment(1), r.segment(3), p)));
    } else if (r.matches("Conferences")) {
      methods.put("GET", () -> ok(conferences.list(p)));
    } else if (r.matches("Conferences", null)) {
      methods.put("GET", () -> ok(conferences.fetch(r.segment(1))));
      methods.put("POST", () -> ok(conferences.update(r.segment(1), p)));
    } else if (r.matches("Conferences", null, "Participants")) {
      methods.put("GET", () -> ok(conferences.participants(r.segment(1), p)));
      methods.put("POST", () -> created(participants.create(r.segment(1), p)));
    } else if (r.matches("Conferences", null, "Participants", null)) {
      methods.put("GET", () -> ok(conferences.participant(r.segment(1), r.segment(3))));
      methods.put("POST", () -> ok(conferences.updateParticipant(r.segment(1), r.segment(3), p)));
      methods.put("DELETE",
          () -> noContent(conferences.removeParticipant(r.segment(1), r.segment(3))));
    } else {
      return done(TwilioError.notFound(r.path()));
    }
    Supplier<CompletionStage<HttpResponse>> handler = methods.get(r.method());
    if (handler == null) {
      return done(TwilioError.methodNotAllowed(String.join(", ", methods.keySet())));
    }
    return handler.get();
  }

  private CompletionStage<HttpResponse> mediaResponse(String name, AudioFormat format) {
    if (!RecordingUrls.NAME.matcher(name).matches()) {
      return done(TwilioError.notFound("/Recordings/" + name));
    }
    return RecordingRoutes.media(store, name, format).exceptionally(error ->
        TwilioError.of(ApiJson.failure(error, LOG, "recording " + name),
            TwilioError.BAD_REQUEST));
  }

  private static AudioFormat format(String suffix) {
    return suffix.toLowerCase(Locale.ROOT).equals("mp3") ? AudioFormat.MP3 : AudioFormat.WAV;
  }

  private static CompletionStage<HttpResponse> ok(CompletionStage<Object> body) {
    return body.thenApply(json -> ApiJson.json(200, json));
  }

  private static CompletionStage<HttpResponse> created(CompletionStage<Object> body) {
    return body.thenApply(json -> ApiJson.json(201, json));
  }

  private static CompletionStage<HttpResponse> noContent(CompletionStage<Void> done) {
    return done.thenApply(v -> HttpResponse.create().withStatus(StatusCodes.NO_CONTENT));
  }

  private static CompletionStage<HttpResponse> done(HttpResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
