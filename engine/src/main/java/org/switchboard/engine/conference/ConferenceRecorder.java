package org.switchboard.engine.conference;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.MediaPort;
import org.switchboard.engine.port.RecordingLinks;
import org.switchboard.engine.port.Sids;
import org.switchboard.engine.port.SoundSpan;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.twiml.verb.Method;

/**
 * {@code <Conference record="record-from-start">} (spec §4.9, §2.3): the room's mixing bridge is
 * recorded by ARI ({@code POST /bridges/{id}/record}, named by its RecordingSid) from the moment
 * the conference starts (hold music before it is never recorded) until it ends; then, with {@code
 * trim="trim-silence"} (the default), the file is measured ({@link MediaPort#soundSpan}) and served
 * trimmed. The recording is registered for the REST API under the CallSid of the participant who
 * started the conference, and the {@code recordingStatusCallback} (of the first participant who
 * asked for the recording) gets {@code in-progress} / {@code completed} or {@code absent} with
 * {@code ConferenceSid} and {@code RecordingSource=Conference}. Used by one {@link
 * ConferenceActor}; its port calls run off the actor and touch only thread-safe collaborators.
 */
public final class ConferenceRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(ConferenceRecorder.class);

  /** Where a finished conference recording is registered (the node's recording index). */
  @FunctionalInterface
  public interface Registry {
    void register(String recordingSid, String callSid, int seconds, String status,
        Instant started, String serverId, Optional<SoundSpan> kept);
  }

  /** No recording: {@code record} is accepted and nothing is recorded (engine tests). */
  public static final ConferenceRecorder NONE = new ConferenceRecorder(null, null, null, null,
      null, "", Clock.systemUTC());

  /**
   * A participant's recording wishes.
   *
   * @param events subset of {@code in-progress completed absent}
   */
  public record Settings(boolean trimSilence, Optional<URI> callback, Method method,
      Set<String> events) {}

  private final AriPort ari;
  private final MediaPort media;
  private final WebhookPort webhooks;
  private final RecordingLinks links;
  private final Registry registry;
  private final String accountSid;
  private final Clock clock;

  public ConferenceRecorder(AriPort ari, MediaPort media, WebhookPort webhooks,
      RecordingLinks links, Registry registry, String accountSid, Clock clock) {
    this.ari = ari;
    this.media = media;
    this.webhooks = webhooks;
    this.links = links;
    this.registry = registry;
    this.accountSid = accountSid;
    this.clock = clock;
  }

  /** One running recording of a conference. */
  final class Running {
    private final String sid;
    private final String serverId;
    private final String bridgeId;
    private final String conferenceSid;
    private final String callSid;
    private final Settings settings;
    private final Instant started;
    private final CompletionStage<Done> recording;

    private Running(String serverId, String bridgeId, String conferenceSid, String callSid,
        Settings settings, CompletionStage<Done> after) {
      this(serverId, bridgeId, conferenceSid, callSid, settings, Sids.random("RE"),
          Optional.empty(), after);
    }

    /**
     * A recording of {@code sid}; {@code resumed} (its start time) when it is one Asterisk already
     * records (taken back after a restart: nothing is started, no {@code in-progress} again).
     */
    private Running(String serverId, String bridgeId, String conferenceSid, String callSid,
        Settings settings, String sid, Optional<Instant> resumed, CompletionStage<Done> after) {
      this.sid = sid;
      this.serverId = serverId;
      this.bridgeId = bridgeId;
      this.conferenceSid = conferenceSid;
      this.callSid = callSid;
      this.settings = settings;
      this.started = resumed.orElseGet(clock::instant);
      if (resumed.isPresent()) {
        this.recording = CompletableFuture.completedFuture(Done.getInstance());
        return;
      }
      this.recording = after.thenCompose(d -> ari.recordBridge(serverId, bridgeId,
          new AriPort.RecordRequest(sid, "wav", 0, 0, false, "none", "fail")));
      recording.whenComplete((ok, error) -> {
        if (error == null) {
          callback("in-progress", Optional.empty());
        } else {
          LOG.warn("conference {}: recording {} did not start: {}", conferenceSid, sid,
              Failures.cause(error).getMessage());
        }
      });
    }

    /** What is kept of this recording in the conference's durable state. */
    ConferenceRecord.Recording stored() {
      return new ConferenceRecord.Recording(sid, callSid, settings, started);
    }

    /**
     * Stops the recording, then measures and registers it and sends its callback; completes
     * (never exceptionally) once the recording is stopped, so the bridge can go.
     */
    CompletionStage<Done> stop() {
      Instant stopped = clock.instant();
      CompletionStage<Done> done = recording
          .thenCompose(d -> ari.stopRecording(serverId, sid))
          .handle((d, error) -> {
            if (error != null) {
              LOG.info("conference {}: stopping recording {}: {}", conferenceSid, sid,
                  Failures.cause(error).getMessage());
            }
            return Done.getInstance();
          });
      done.thenCompose(d -> settings.trimSilence()
              ? media.soundSpan(serverId, sid)
              : CompletableFuture.completedFuture(Optional.<SoundSpan>empty()))
          .handle((span, error) -> {
            Optional<SoundSpan> kept = error == null ? span : Optional.empty();
            int seconds = kept.map(SoundSpan::seconds)
                .orElse((int) Duration.between(started, stopped).toSeconds());
            boolean silent = kept.map(k -> k.toMs() == k.fromMs()).orElse(seconds == 0);
            String status = silent ? "absent" : "completed";
            registry.register(sid, callSid, seconds, status, started, serverId, kept);
            callback(status, Optional.of(seconds));
            return null;
          });
      return done;
    }

    private void callback(String status, Optional<Integer> seconds) {
      if (settings.callback().isEmpty() || !settings.events().contains(status)) {
        return;
      }
      List<Map.Entry<String, String>> p = new ArrayList<>();
      p.add(Map.entry("AccountSid", accountSid));
      p.add(Map.entry("ConferenceSid", conferenceSid));
      p.add(Map.entry("RecordingSid", sid));
      p.add(Map.entry("RecordingUrl", links.recordingUrl(sid).toString()));
      p.add(Map.entry("RecordingStatus", status));
      seconds.ifPresent(s -> p.add(Map.entry("RecordingDuration", Integer.toString(s))));
      p.add(Map.entry("RecordingChannels", "1"));
      p.add(Map.entry("RecordingStartTime", ConferenceCallbacks.rfc2822(started)));
      p.add(Map.entry("RecordingSource", "Conference"));
      webhooks.notify(new WebhookPort.WebhookRequest(settings.callback().get(), settings.method(),
          List.copyOf(p), conferenceSid, "conference-recording-" + status));
    }
  }

  /**
   * Starts recording the bridge once {@code after} completed; empty when this recorder records
   * nothing ({@link #NONE}).
   */
  Optional<Running> start(String serverId, String bridgeId, String conferenceSid, String callSid,
      Settings settings, CompletionStage<Done> after) {
    if (ari == null) {
      LOG.warn("conference {}: record is not available here; not recorded", conferenceSid);
      return Optional.empty();
    }
    return Optional.of(new Running(serverId, bridgeId, conferenceSid, callSid, settings, after));
  }

  /**
   * The recording {@code stored} of a conference taken back after a restart: Asterisk records it
   * still (a recording it lost ends with the stop's failure logged and the file measured as
   * usual); empty when this recorder records nothing.
   */
  Optional<Running> resume(String serverId, String bridgeId, String conferenceSid,
      ConferenceRecord.Recording stored) {
    if (ari == null) {
      return Optional.empty();
    }
    return Optional.of(new Running(serverId, bridgeId, conferenceSid, stored.callSid(),
        stored.settings(), stored.sid(), Optional.of(stored.started()),
        CompletableFuture.completedFuture(Done.getInstance())));
  }
}
