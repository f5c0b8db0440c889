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
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
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
import org.switchboard.engine.port.MediaPort;
import org.switchboard.engine.port.SoundSpan;
import org.switchboard.engine.port.SoundSpans;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.RecordingLinks;
import org.switchboard.engine.port.Sids;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallEnded;
import org.switchboard.engine.twiml.verb.Method;

/**
 * Recordings of live calls started through the REST API: {@code POST Calls/{sid}/Recordings}, and
 * {@code Record=true} on {@code POST Calls} (from the answer, {@link CallOperations#originate}). A
 * snoop channel on the call's channel hears the asked track ({@code POST
 * /channels/{id}/snoop?spy=in|out|both}: Twilio's {@code inbound}, {@code outbound}, {@code
 * both}; named {@code <CallSid>-rec-<n>_} so its events route to the call), and an ARI recording
 * of that snoop ({@code POST /channels/{snoop}/record}) is paused and resumed ({@code POST|DELETE
 * /recordings/live/{name}/pause}: paused time is left out of the file) and stopped ({@code POST
 * /recordings/live/{name}/stop}) on request, and finished when the call ends (the call entity's
 * {@link CallCommand.WatchEnd}). A dual-channel recording of both tracks has two snoops ({@code
 * spy=in}, {@code spy=out}), each recorded as one channel ({@link RecordingIndex#channelFiles}),
 * merged into one stereo file when served; a single track is always one channel, as with Twilio.
 * A finished recording is read back from Asterisk ({@code GET /recordings/stored/{name}}) and
 * registered in the {@link RecordingIndex} with its source ({@code StartCallRecordingAPI} or
 * {@code OutboundAPI}); its {@code RecordingStatusCallback} gets {@code in-progress}, then {@code
 * completed} (or {@code absent} when Asterisk kept no file) with Twilio's fields. Held in this
 * node's memory: a recording whose node stops is not finished.
 */
public final class LiveRecordings {
  private static final Logger LOG = LoggerFactory.getLogger(LiveRecordings.class);
  private static final DateTimeFormatter RFC_2822 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
          .withZone(ZoneOffset.UTC);

  /** Twilio's {@code source} of recordings started through {@code Calls/{sid}/Recordings}. */
  public static final String SOURCE = "StartCallRecordingAPI";

  /** Twilio's {@code source} of recordings of calls created with {@code Record=true}. */
  public static final String OUTBOUND_API = "OutboundAPI";

  /**
   * {@code RecordingStatusCallback}, its method and its events (of {@code in-progress completed
   * absent}).
   */
  public record Callback(Optional<URI> url, Method method, Set<String> events) {}

  /**
   * What to record.
   *
   * @param track Twilio's {@code RecordingTrack}: {@code inbound} (what the call's party says),
   *     {@code outbound} (what it hears) or {@code both}
   * @param dual {@code RecordingChannels=dual}: both tracks each in its own channel (a single
   *     track is one channel whatever is asked)
   * @param source Twilio's recording {@code source}
   * @param trimSilence {@code Trim=trim-silence}: the finished file is measured ({@link
   *     MediaPort#soundSpan}, each channel of a dual one, the span covering both) and served cut
   *     to its sound, as {@code <Record trim>}
   */
  public record Options(String track, boolean dual, String source, boolean trimSilence) {
    /** A mono recording of both tracks through {@code Calls/{sid}/Recordings}. */
    public static final Options API = new Options("both", false, SOURCE);

    public Options {
      if (!List.of("inbound", "outbound", "both").contains(track)) {
        throw new IllegalArgumentException("RecordingTrack must be inbound, outbound or both");
      }
      Objects.requireNonNull(source, "source");
    }

    /** A recording kept whole. */
    public Options(String track, boolean dual, String source) {
      this(track, dual, source, false);
    }

    /** The ARI {@code spy} direction of each channel's snoop. */
    List<String> spies() {
      return switch (track) {
        case "inbound" -> List.of("in");
        case "outbound" -> List.of("out");
        default -> dual ? List.of("in", "out") : List.of("both");
      };
    }
  }

  /**
   * A recording in progress or paused.
   *
   * @param snoops the snoop channel of each recorded channel
   * @param status {@code in-progress} or {@code paused}
   */
  public record Live(String recordingSid, String callSid, ChannelRef channel,
      List<ChannelRef> snoops, Instant startTime, String status, Options options) {
    /** The number of channels of the recording file. */
    public int channels() {
      return snoops.size();
    }

    /** The ARI recordings, one per channel. */
    List<String> names() {
      return RecordingIndex.channelFiles(recordingSid, channels());
    }

    Live withStatus(String now) {
      return new Live(recordingSid, callSid, channel, snoops, startTime, now, options);
    }
  }

  private record State(Live live, Callback callback) {}

  private final ActorSystem<?> system;
  private final AriPort ari;
  private final WebhookPort webhooks;
  private final RecordingIndex index;
  private final RecordingLinks links;
  private final String accountSid;
  private final Clock clock;
  private final Function<String, RecipientRef<CallCommand>> calls;
  private final MediaPort media;
  private final Map<String, State> live = new ConcurrentHashMap<>();
  private final AtomicLong snoopIds = new AtomicLong(System.currentTimeMillis());

  LiveRecordings(ActorSystem<?> system, AriPort ari, WebhookPort webhooks, RecordingIndex index,
      RecordingLinks links, String accountSid, Clock clock,
      Function<String, RecipientRef<CallCommand>> calls) {
    this(system, ari, webhooks, index, links, accountSid, clock, calls, url -> {
      throw new UnsupportedOperationException("no media here");
    });
  }

  /** As above; {@code media} measures recordings asked with {@code Trim=trim-silence}. */
  LiveRecordings(ActorSystem<?> system, AriPort ari, WebhookPort webhooks, RecordingIndex index,
      RecordingLinks links, String accountSid, Clock clock,
      Function<String, RecipientRef<CallCommand>> calls, MediaPort media) {
    this.media = media;
    this.system = system;
    this.ari = ari;
    this.webhooks = webhooks;
    this.index = index;
    this.links = links;
    this.accountSid = accountSid;
    this.clock = clock;
    this.calls = calls;
  }

  /** Starts a mono recording of both tracks of the answered call {@code callSid}. */
  public CompletionStage<Live> start(String callSid, ChannelRef channel, Callback callback) {
    return start(callSid, channel, callback, Options.API);
  }

  /**
   * Starts recording the answered call {@code callSid} on {@code channel} as {@code options}
   * say. Fails when Asterisk refuses a snoop or a recording; what was made by then is hung up.
   */
  public CompletionStage<Live> start(String callSid, ChannelRef channel, Callback callback,
      Options options) {
    String sid = Sids.random("RE");
    List<String> spies = options.spies();
    List<ChannelRef> snoops = new ArrayList<>();
    spies.forEach(spy -> snoops.add(new ChannelRef(channel.serverId(),
        CallRouting.channelId(callSid, "rec", snoopIds.incrementAndGet()))));
    Live started = new Live(sid, callSid, channel, List.copyOf(snoops), clock.instant(),
        "in-progress", options);
    List<String> names = started.names();
    List<CompletableFuture<?>> snooped = new ArrayList<>();
    for (int i = 0; i < spies.size(); i++) {
      snooped.add(ari.snoop(channel, snoops.get(i).channelId(), spies.get(i))
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(snooped.toArray(CompletableFuture[]::new))
        .thenCompose(done -> {
          List<CompletableFuture<?>> recorded = new ArrayList<>();
          for (int i = 0; i < names.size(); i++) {
            recorded.add(ari.record(snoops.get(i), new AriPort.RecordRequest(names.get(i), "wav",
                0, 0, false, "none", "fail")).toCompletableFuture());
          }
          return CompletableFuture.allOf(recorded.toArray(CompletableFuture[]::new));
        })
        .whenComplete((done, error) -> {
          if (error != null) {
            LOG.warn("{}: recording {} could not start: {}", callSid, sid,
                Failures.cause(error).getMessage());
            hangUpSnoops(started);
          }
        })
        .thenApply(done -> {
          live.put(sid, new State(started, callback));
          LOG.info("{}: recording {} started ({} channel(s), track {}, {})", callSid, sid,
              started.channels(), options.track(), options.source());
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
    List<CompletableFuture<?>> all = new ArrayList<>();
    recording.names().forEach(name -> all.add(
        ari.pauseRecording(recording.channel().serverId(), name, paused).toCompletableFuture()));
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(done -> {
          State now = live.computeIfPresent(recording.recordingSid(), (sid, s) -> new State(
              s.live().withStatus(paused ? "paused" : "in-progress"), s.callback()));
          return now == null ? recording : now.live();
        });
  }

  /** Stops a running recording; answers once Asterisk has the file (or has none). */
  public CompletionStage<Optional<RecordingIndex.Entry>> stop(Live recording) {
    List<CompletableFuture<?>> all = new ArrayList<>();
    recording.names().forEach(name -> all.add(
        ari.stopRecording(recording.channel().serverId(), name).toCompletableFuture()));
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .handle((done, error) -> {
          if (error != null) {
            LOG.info("{}: stopping recording {}: {}", recording.callSid(),
                recording.recordingSid(), Failures.cause(error).getMessage());
          }
          return null;
        })
        .thenCompose(v -> finish(recording.recordingSid()));
  }

  /** Finishes every recording running on {@code callSid} (its call ended). */
  void finishAll(String callSid) {
    of(callSid).forEach(l -> finish(l.recordingSid()));
  }

  /** Takes the recording out of the running ones, registers the file and calls back once. */
  private CompletionStage<Optional<RecordingIndex.Entry>> finish(String sid) {
    State state = live.remove(sid);
    if (state == null) {
      return CompletableFuture.completedFuture(index.find(sid));
    }
    Live l = state.live();
    // Asterisk ends a snoop's recording with the snoop: read the files once the snoops are gone.
    List<CompletableFuture<Optional<AriPort.StoredRecording>>> reads = new ArrayList<>();
    return hangUpSnoops(l).thenCompose(gone -> {
      l.names().forEach(name -> reads.add(ari.storedRecording(l.channel().serverId(), name)
          .exceptionally(error -> {
            LOG.warn("{}: recording {} could not be read back: {}", l.callSid(), name,
                Failures.cause(error).getMessage());
            return Optional.empty();
          }).toCompletableFuture()));
      return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new));
    }).thenCompose(done -> {
      List<AriPort.StoredRecording> stored = new ArrayList<>();
      reads.forEach(r -> r.join().ifPresent(stored::add));
      return kept(l, stored).thenApply(kept -> registered(state, stored, kept));
    });
  }

  /**
   * The part of the recording kept by {@code Trim=trim-silence}: from the first sound of any of
   * its channels to the last; empty (kept whole) when not asked or not measurable (logged).
   */
  private CompletionStage<Optional<SoundSpan>> kept(Live l,
      List<AriPort.StoredRecording> stored) {
    if (!l.options().trimSilence() || stored.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return SoundSpans.covering(media, l.channel().serverId(),
        stored.stream().map(AriPort.StoredRecording::name).toList(),
        (name, error) -> LOG.warn("{}: recording {} could not be measured, kept whole: {}",
            l.callSid(), name, Failures.cause(error).getMessage()));
  }

  /** Registers the finished recording ({@code stored} its files) and calls back once. */
  private Optional<RecordingIndex.Entry> registered(State state,
      List<AriPort.StoredRecording> stored, Optional<SoundSpan> kept) {
    Live l = state.live();
    String sid = l.recordingSid();
    if (stored.isEmpty()) {
      LOG.warn("{}: recording {} left no file", l.callSid(), sid);
      callback(state.callback(), l, "absent", OptionalInt.empty());
      return Optional.<RecordingIndex.Entry>empty();
    }
    int duration = kept.map(SoundSpan::seconds).orElseGet(() -> stored.stream()
        .mapToInt(AriPort.StoredRecording::durationSeconds).max().orElse(0));
    // Both channels, or the one Asterisk kept (logged): never a recording lost for its twin.
    boolean whole = stored.size() == l.channels();
    if (!whole) {
      LOG.warn("{}: recording {} kept {} of its {} channels", l.callSid(), sid, stored.size(),
          l.channels());
    }
    RecordingIndex.Entry entry = new RecordingIndex.Entry(sid, l.callSid(), duration,
        whole ? l.channels() : 1, l.options().source(), "completed", l.startTime(),
        whole ? sid : stored.get(0).name(), l.channel().serverId(), kept);
    index.register(entry);
    callback(state.callback(), l, "completed", OptionalInt.of(duration), entry.channels());
    return Optional.of(entry);
  }

  /** Hangs up the recording's snoops; completes (never fails) once Asterisk answered each. */
  private CompletableFuture<Void> hangUpSnoops(Live l) {
    List<CompletableFuture<?>> hangups = new ArrayList<>();
    l.snoops().forEach(snoop -> hangups.add(ari.hangup(snoop, HangupReason.NORMAL)
        .handle((done, error) -> {
          if (error != null) {
            LOG.debug("{}: snoop {} already gone: {}", l.callSid(), snoop.channelId(),
                error.getMessage());
          }
          return done;
        }).toCompletableFuture()));
    return CompletableFuture.allOf(hangups.toArray(CompletableFuture[]::new));
  }

  private void callback(Callback callback, Live l, String status, OptionalInt duration) {
    callback(callback, l, status, duration, l.channels());
  }

  private void callback(Callback callback, Live l, String status, OptionalInt duration,
      int channels) {
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
    p.add(Map.entry("RecordingChannels", Integer.toString(channels)));
    p.add(Map.entry("RecordingStartTime", RFC_2822.format(l.startTime())));
    p.add(Map.entry("RecordingSource", l.options().source()));
    p.add(Map.entry("RecordingTrack", l.options().track()));
    if (status.equals("absent")) {
      p.add(Map.entry("ErrorCode", "0"));
    }
    webhooks.notify(new WebhookPort.WebhookRequest(callback.url().get(), callback.method(),
        List.copyOf(p), l.callSid(), "api-recording-" + status));
  }
}
