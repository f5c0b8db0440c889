package org.switchboard.engine.hotline;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.call.CallRouting;
import org.switchboard.engine.call.RecordingIndex;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.RecordingLinks;
import org.switchboard.engine.port.Sids;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallEnded;
import org.switchboard.engine.twiml.verb.Method;

/**
 * Recordings of live calls started through the REST API ({@code POST Calls/{sid}/Recordings}):
 * a snoop channel on the call's channel hears both directions ({@code POST
 * /channels/{id}/snoop?spy=both}, named {@code <CallSid>-rec-<n>_} so its events route to the
 * call), and an ARI recording of that snoop ({@code POST /channels/{snoop}/record}) is paused and
 * resumed
 * ({@code POST|DELETE /recordings/live/{name}/pause}: paused time is left out of the file) and
 * stopped ({@code POST /recordings/live/{name}/stop}) on request, and finished when the call ends
 * (the call entity's {@link CallCommand.WatchEnd}). A finished recording is read back from
 * Asterisk ({@code GET /recordings/stored/{name}}) and registered in the {@link RecordingIndex}
 * with source {@code StartCallRecordingAPI}; its {@code RecordingStatusCallback} gets {@code
 * in-progress}, then {@code completed} (or {@code absent} when Asterisk kept no file) with
 * Twilio's fields. Held in this node's memory: a recording whose node stops is not finished.
 */
public final class LiveRecordings {
  private static final Logger LOG = LoggerFactory.getLogger(LiveRecordings.class);
  private static final DateTimeFormatter RFC_2822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
          .withZone(ZoneOffset.UTC);

  /** Twilio's {@code source} of recordings started through the API. */
  public static final String SOURCE = "StartCallRecordingAPI";

  /**
   * {@code RecordingStatusCallback}, its method and its events (of {@code in-progress completed
   * absent}).
   */
  public record Callback(Optional<URI> url, Method method, Set<String> events) {}

  /**
   * A recording in progress or paused.
   *
   * @param status {@code in-progress} or {@code paused}
   */
  public record Live(String recordingSid, String callSid, ChannelRef channel, ChannelRef snoop,
      Instant startTime, String status) {}

  private record State(Live live, Callback callback) {}

  private final ActorSystem<?> system;
  private final AriPort ari;
  private final WebhookPort webhooks;
  private final RecordingIndex index;
  private final RecordingLinks links;
  private final String accountSid;
  private final Clock clock;
  private final Function<String, RecipientRef<CallCommand>> calls;
  private final Map<String, State> live = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong snoops =
      new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis());

  LiveRecordings(ActorSystem<?> system, AriPort ari, WebhookPort webhooks, RecordingIndex index,
      RecordingLinks links, String accountSid, Clock clock,
      Function<String, RecipientRef<CallCommand>> calls) {
    this.system = system;
    this.ari = ari;
    this.webhooks = webhooks;
    this.index = index;
    this.links = links;
    this.accountSid = accountSid;
    this.clock = clock;
    this.calls = calls;
  }

  /** Starts recording the answered call {@code callSid} on {@code channel}. */
  public CompletionStage<Live> start(String callSid, ChannelRef channel, Callback callback) {
    String sid = Sids.random("RE");
    ChannelRef snoop = new ChannelRef(channel.serverId(),
        CallRouting.channelId(callSid, "rec", snoops.incrementAndGet()));
    Live started = new Live(sid, callSid, channel, snoop, clock.instant(), "in-progress");
    return ari.snoop(channel, snoop.channelId(), "both")
        .thenCompose(done -> ari.record(snoop,
            new AriPort.RecordRequest(sid, "wav", 0, 0, false, "none", "fail")))
        .thenApply(done -> {
          live.put(sid, new State(started, callback));
          LOG.info("{}: recording {} started through the API", callSid, sid);
          callback(callback, started, "in-progress", OptionalInt.empty());
          ActorRef<CallEnded> watcher = system.systemActorOf(
              Behaviors.receive(CallEnded.class).onAnyMessage(ended -> {
                finish(sid);
                return Behaviors.stopped();
              }).build(), "live-recording-" + sid, Props.empty());
          calls.apply(callSid).tell(new CallCommand.WatchEnd(watcher));
          return started;
        });
  }

  /** The recordings running on {@code callSid}, the newest first. */
  public List<Live> of(String callSid) {
    List<Live> out = new ArrayList<>();
    live.values().forEach(s -> {
      if (s.live().callSid().equals(callSid)) {
        out.add(s.live());
      }
    });
    out.sort(Comparator.comparing(Live::startTime).reversed());
    return out;
  }

  /** The running recording {@code recordingSid} of {@code callSid}, if any. */
  public Optional<Live> find(String callSid, String recordingSid) {
    return Optional.ofNullable(live.get(recordingSid)).map(State::live)
        .filter(l -> l.callSid().equals(callSid));
  }

  /** Pauses ({@code true}) or resumes a running recording; answers it as it now is. */
  public CompletionStage<Live> pause(Live recording, boolean paused) {
    return ari.pauseRecording(recording.channel().serverId(), recording.recordingSid(), paused)
        .thenApply(done -> {
          State now = live.computeIfPresent(recording.recordingSid(), (sid, s) -> new State(
              new Live(sid, s.live().callSid(), s.live().channel(), s.live().snoop(),
                  s.live().startTime(),
                  paused ? "paused" : "in-progress"), s.callback()));
          return now == null ? recording : now.live();
        });
  }

  /** Stops a running recording; answers once Asterisk has the file (or has none). */
  public CompletionStage<Optional<RecordingIndex.Entry>> stop(Live recording) {
    return ari.stopRecording(recording.channel().serverId(), recording.recordingSid())
        .handle((done, error) -> {
          if (error != null) {
            LOG.info("{}: stopping recording {}: {}", recording.callSid(),
                recording.recordingSid(), error.getMessage());
          }
          return null;
        })
        .thenCompose(v -> finish(recording.recordingSid()));
  }

  /** Takes the recording out of the running ones, registers the file and calls back once. */
  private CompletionStage<Optional<RecordingIndex.Entry>> finish(String sid) {
    State state = live.remove(sid);
    if (state == null) {
      return CompletableFuture.completedFuture(index.find(sid));
    }
    Live l = state.live();
    ari.hangup(l.snoop(), HangupReason.NORMAL).whenComplete((done, error) -> {
      if (error != null) {
        LOG.debug("{}: snoop {} already gone: {}", l.callSid(), l.snoop().channelId(),
            error.getMessage());
      }
    });
    return ari.storedRecording(l.channel().serverId(), sid)
        .exceptionally(error -> {
          LOG.warn("{}: recording {} could not be read back: {}", l.callSid(), sid,
              error.getMessage());
          return Optional.empty();
        })
        .thenApply(stored -> {
          if (stored.isEmpty()) {
            LOG.warn("{}: recording {} left no file", l.callSid(), sid);
            callback(state.callback(), l, "absent", OptionalInt.empty());
            return Optional.<RecordingIndex.Entry>empty();
          }
          RecordingIndex.Entry entry = new RecordingIndex.Entry(sid, l.callSid(),
              stored.get().durationSeconds(), 1, SOURCE, "completed", l.startTime(), sid,
              l.channel().serverId());
          index.register(entry);
          callback(state.callback(), l, "completed",
              OptionalInt.of(stored.get().durationSeconds()));
          return Optional.of(entry);
        });
  }

  private void callback(Callback callback, Live l, String status, OptionalInt duration) {
    if (callback.url().isEmpty() || !callback.events().contains(status)) {
      return;
    }
    List<Map.Entry<String, String>> p = new ArrayList<>();
    p.add(Map.entry("AccountSid", accountSid));
    p.add(Map.entry("CallSid", l.callSid()));
    p.add(Map.entry("RecordingSid", l.recordingSid()));
    p.add(Map.entry("RecordingUrl", links.recordingUrl(l.recordingSid()).toString()));
    p.add(Map.entry("RecordingStatus", status));
    duration.ifPresent(d -> p.add(Map.entry("RecordingDuration", Integer.toString(d))));
    p.add(Map.entry("RecordingChannels", "1"));
    p.add(Map.entry("RecordingStartTime", RFC_2822.format(l.startTime())));
    p.add(Map.entry("RecordingSource", SOURCE));
    p.add(Map.entry("RecordingTrack", "both"));
    if (status.equals("absent")) {
      p.add(Map.entry("ErrorCode", "0"));
    }
    webhooks.notify(new WebhookPort.WebhookRequest(callback.url().get(), callback.method(),
        List.copyOf(p), l.callSid(), "api-recording-" + status));
  }
}
