package org.switchboard.engine.hotline;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.switchboard.engine.call.CallEntity;
import org.switchboard.engine.call.CallHistory;
import org.switchboard.engine.call.CallServices;
import org.switchboard.engine.call.Calls;
import org.switchboard.engine.call.RecordingIndex;
import org.switchboard.engine.conference.ConferenceRecorder;
import org.switchboard.engine.conference.Conferences;
import org.switchboard.engine.port.CallSid;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.RecordingLinks;
import org.switchboard.engine.port.Sids;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallSnapshot;
import org.switchboard.engine.protocol.LegCancelCause;
import org.switchboard.engine.protocol.LegReport;
import org.switchboard.engine.protocol.LegSpec;
import org.switchboard.engine.protocol.AmdOptions;
import org.switchboard.engine.queue.QueueActor;
import org.switchboard.engine.queue.QueueSettings;
import org.switchboard.engine.queue.QueueStats;
import org.switchboard.engine.queue.Queues;
import org.switchboard.engine.ring.DialContext;
import org.switchboard.engine.ring.DialPlan;
import org.switchboard.engine.ring.LegSettings;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.CallEvent;

/**
 * The engine as the HTTP API sees it: starts the call, queue and conference entities with the
 * hotline delegates and legs wired in ({@link #start}), and offers the call operations of the
 * Twilio REST API and the Llamenos API. Every operation returns at once with a {@link
 * CompletionStage}; none blocks.
 */
public final class CallOperations {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(CallOperations.class);

  /**
   * The hotline part of the engine's configuration.
   *
   * @param defaultServerId the Asterisk server REST-originated calls use when none is given
   * @param askTimeout how long a snapshot or queue query waits for its entity
   */
  public record Setup(
      DialPlan plan,
      LegSettings legs,
      QueueSettings queues,
      String defaultServerId,
      RecordingLinks recordingLinks,
      Duration askTimeout) {
    public Setup {
      Objects.requireNonNull(plan, "plan");
      Objects.requireNonNull(legs, "legs");
      Objects.requireNonNull(queues, "queues");
      Objects.requireNonNull(defaultServerId, "defaultServerId");
      Objects.requireNonNull(recordingLinks, "recordingLinks");
      Objects.requireNonNull(askTimeout, "askTimeout");
    }

    /** Reads {@code switchboard.hotline} and {@code switchboard.call.account-sid}. */
    public static Setup fromConfig(com.typesafe.config.Config config, DialPlan plan,
        String defaultServerId, RecordingLinks links, java.time.Clock clock) {
      String account = config.getString("switchboard.call.account-sid");
      var hotline = config.getConfig("switchboard.hotline");
      return new Setup(plan, LegSettings.fromConfig(config, account, clock),
          QueueSettings.fromConfig(config, clock), defaultServerId, links,
          hotline.getDuration("ask-timeout"));
    }
  }

  /** No live call and no remembered call has this CallSid. */
  public static final class NoSuchCall extends RuntimeException {
    public NoSuchCall(String callSid) {
      super("no such call: " + callSid);
    }
  }

  private static final int LEG_DIRECTORY_SIZE = 10_000;

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Calls calls;
  private final Queues queues;
  private final Conferences conferences;
  private final CallServices services;
  private final Setup setup;
  private final LiveRecordings liveRecordings;
  private final Map<String, String> legByChannel =
      java.util.Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > LEG_DIRECTORY_SIZE;
        }
      });

  private CallOperations(ActorSystem<?> system, Calls calls, Queues queues, Conferences conferences,
      CallServices services, Setup setup) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.calls = calls;
    this.queues = queues;
    this.conferences = conferences;
    this.services = services;
    this.setup = setup;
    this.liveRecordings = new LiveRecordings(system, services.ari(), services.webhooks(),
        services.recordings(), setup.recordingLinks(), services.settings().accountSid(),
        services.clock(), calls::call, services.media());
  }

  /** The media of announcement URLs (a conference's or participant's {@code AnnounceUrl}). */
  public AnnouncementMedia announcementMedia() {
    return new AnnouncementMedia(services.webhooks(),
        new org.switchboard.engine.call.MediaResolver(services.tts(), services.media()),
        services.settings().accountSid());
  }

  /** Recordings of live calls started through the REST API. */
  public LiveRecordings liveRecordings() {
    return liveRecordings;
  }

  /**
   * Starts the engine on this node: queue and conference sharding, then call sharding whose
   * delegates are {@link HotlineDelegates} around {@code services.delegates()} (streams) and whose
   * legs are {@link HotlineLegs}.
   */
  public static CallOperations start(ActorSystem<?> system, CallServices services, Setup setup) {
    ClusterSharding sharding = ClusterSharding.get(system);
    Queues queues = Queues.start(system, setup.queues());
    Conferences conferences = Conferences.start(system, services.ari(), services.webhooks(),
        services.settings().accountSid(), services.clock(), new ConferenceRecorder(services.ari(),
            services.media(), services.webhooks(), setup.recordingLinks(),
            (sid, callSid, seconds, status, started, serverId, kept) -> services.recordings()
                .register(new RecordingIndex.Entry(sid, callSid, seconds, 1, "Conference", status,
                    started, sid, serverId, kept)),
            services.settings().accountSid(), services.clock()));
    DialContext dials = new DialContext(services.ari(), services.webhooks(), setup.plan(), setup.legs(),
        sid -> sharding.entityRefFor(CallEntity.TYPE_KEY, sid), queues::queue,
        setup.recordingLinks()::recordingUrl, services.media());
    HotlineDelegates delegates = new HotlineDelegates(dials, ConferenceRooms.of(conferences),
        services.tts(), services.media(), services.recordings(), services.delegates());
    CallServices wired = services.withDelegates(delegates);
    Calls calls = Calls.start(system, wired, new HotlineLegs(setup.legs()));
    return new CallOperations(system, calls, queues, conferences, wired, setup);
  }

  /** The call system (event sink for the ARI router, entity references, active calls). */
  public Calls calls() {
    return calls;
  }

  /** The queue directory. */
  public Queues queues() {
    return queues;
  }

  /** The conference rooms. */
  public Conferences conferences() {
    return conferences;
  }

  /** Recordings made on this node, for the REST Recordings API. */
  public RecordingIndex recordings() {
    return services.recordings();
  }

  /** Calls that ended on this node. */
  public CallHistory history() {
    return services.history();
  }

  /**
   * Starts a REST call (Twilio Calls API): originates a standalone leg and returns its CallSid at
   * once (status {@code queued}). When answered the leg runs the request's TwiML with Direction
   * {@code outbound-api}; its status callbacks follow §2.1; it ends {@code busy}, {@code
   * no-answer}, {@code failed}, {@code canceled} or {@code completed}.
   */
  public CompletionStage<String> originate(OutboundCall request) {
    return originate(request, system.ignoreRef());
  }

  /**
   * {@link #originate(OutboundCall)} of a call recorded from its answer to its end ({@code
   * Record=true}): when the leg answers, {@link LiveRecordings} starts recording it as {@code
   * options} say, before its TwiML runs; the recording is finished when the call ends.
   */
  public CompletionStage<String> originate(OutboundCall request, LiveRecordings.Callback callback,
      LiveRecordings.Options options) {
    ActorRef<LegReport> recorder = system.systemActorOf(Behaviors.receive(LegReport.class)
        .onMessage(LegReport.LegAnswered.class, answered -> {
          liveRecordings.start(answered.legCallSid(), answered.channel(), callback, options)
              .whenComplete((started, error) -> {
                if (error != null) {
                  LOG.error("{}: Record=true: the recording could not start: {}",
                      answered.legCallSid(), error.getMessage());
                }
              });
          return Behaviors.same();
        })
        .onMessage(LegReport.LegEnded.class, ended -> {
          liveRecordings.finishAll(ended.legCallSid());
          return Behaviors.stopped();
        })
        .onAnyMessage(report -> Behaviors.same())
        .build(), "record-from-answer-" + Sids.random("ra"), Props.empty());
    return originate(request, recorder);
  }

  private CompletionStage<String> originate(OutboundCall request, ActorRef<LegReport> reportTo) {
    try {
      String server = request.serverId().orElse(setup.defaultServerId());
      String channelId = Sids.random("sb-");
      String callSid = CallSid.forChannel(new ChannelRef(server, channelId));
      LegSpec.TwimlSource source = request.twiml().isPresent()
          ? new LegSpec.TwimlSource(URI.create("about:blank"), Method.POST, request.twiml(),
              request.fallbackUrl(), request.fallbackMethod())
          : new LegSpec.TwimlSource(request.url().orElseThrow(), request.method(), Optional.empty(),
              request.fallbackUrl(), request.fallbackMethod());
      LegSpec spec = new LegSpec(server, channelId, setup.plan().endpointFor(request.to()),
          request.to(), request.from(), request.timeoutSeconds(), Optional.empty(),
          Optional.of(source), callback(request.statusCallback(), request.statusCallbackEvents(),
              request.statusCallbackMethod()), Map.of(), true)
          .withMachineDetection(request.machineDetection())
          .withSendDigits(request.sendDigits());
      legByChannel.put(channelId, callSid);
      calls.call(callSid).tell(new CallCommand.StartLeg(spec, reportTo));
      return CompletableFuture.completedFuture(callSid);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The Llamenos {@code /ring}: rings every target in parallel on the parent call's server, each
   * leg with ParentCallSid = the parent but not bridged to it; the first answer wins and runs the
   * answer URL, the others report {@code canceled}. Fails with {@link NoSuchCall} when the parent
   * is not live.
   */
  public CompletionStage<List<RingSpec.Leg>> ring(RingSpec request) {
    return liveSnapshot(request.parentCallSid()).thenApply(parent -> {
      String server = parent.channel().serverId();
      List<LegSpec> specs = new ArrayList<>();
      List<RingSpec.Leg> legs = new ArrayList<>();
      String ringId = Sids.random("rg");
      for (RingSpec.Target target : request.targets()) {
        String channelId = Sids.random("sb-");
        String legSid = CallSid.forChannel(new ChannelRef(server, channelId));
        var callback = callback(target.statusCallback().or(request::statusCallback),
            request.statusCallbackEvents(), Method.POST);
        specs.add(new LegSpec(server, channelId, setup.plan().endpointFor(target.address()),
            target.address(), request.callerNumber(), request.timeoutSeconds(),
            Optional.of(request.parentCallSid()),
            Optional.of(new LegSpec.TwimlSource(target.answerUrl().orElse(request.answerUrl()),
                request.answerMethod())),
            callback, Map.of(ApiRing.RING_VARIABLE, ringId), true).withMachineDetection(
                request.machineDetection().map(d -> new AmdOptions(d, false, true))));
        legs.add(new RingSpec.Leg(legSid, channelId, target.id()));
        legByChannel.put(channelId, legSid);
      }
      system.systemActorOf(
          ApiRing.create(request.parentCallSid(), ringId, specs,
              Duration.ofSeconds(request.timeoutSeconds()),
              setup.legs().drainTimeout(), sid -> sharding.entityRefFor(CallEntity.TYPE_KEY, sid),
              setup.legs().clock().instant()),
          "ring-" + ringId, Props.empty());
      return List.copyOf(legs);
    });
  }

  /**
   * Stops ringing legs ({@code /cancel-ringing}): each id is a leg CallSid or the channel id
   * {@link #ring} returned; {@code except} (either form) is spared. Returns the CallSids told.
   */
  public CompletionStage<List<String>> cancelRinging(List<String> callSidsOrChannelIds, Optional<String> except) {
    Optional<String> spared = except.map(this::legSid);
    Set<String> told = new LinkedHashSet<>();
    for (String id : callSidsOrChannelIds) {
      String sid = legSid(id);
      if (spared.filter(sid::equals).isEmpty() && told.add(sid)) {
        calls.call(sid).tell(new CallCommand.CancelLeg(org.switchboard.engine.protocol.LegCancelCause.REQUESTED));
      }
    }
    return CompletableFuture.completedFuture(List.copyOf(told));
  }

  private String legSid(String id) {
    return CallSid.isCallSid(id) ? id : legByChannel.getOrDefault(id, id);
  }

  /** Hangs up a live call (REST {@code Status=completed|canceled}); fails with {@link NoSuchCall}. */
  public CompletionStage<CallSnapshot> hangup(String callSid, String reason) {
    return liveSnapshot(callSid).thenApply(s -> {
      calls.call(callSid).tell(new CallCommand.HangUp(reason));
      return s;
    });
  }

  /**
   * Replaces a live call's document (REST update with {@code Url} or {@code Twiml}: exactly one);
   * fails with {@link NoSuchCall} or {@link IllegalArgumentException}.
   */
  public CompletionStage<CallSnapshot> redirect(String callSid, Optional<URI> url, Method method, Optional<String> twiml) {
    if (url.isPresent() == twiml.isPresent()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("exactly one of Url and Twiml is required"));
    }
    return liveSnapshot(callSid).thenApply(s -> {
      calls.call(callSid).tell(new CallCommand.Redirect(url, method, twiml));
      return s;
    });
  }

  /** A call, live or remembered; empty when unknown. */
  public CompletionStage<Optional<CallSnapshot>> snapshot(String callSid) {
    Optional<CallSnapshot> ended = services.history().find(callSid);
    if (ended.isPresent()) {
      return CompletableFuture.completedFuture(ended);
    }
    return ask(callSid).thenApply(Optional::of).exceptionally(e -> services.history().find(callSid));
  }

  /** Live calls of this node, then remembered ended calls, newest first. */
  public CompletionStage<List<CallSnapshot>> list() {
    return calls.active().snapshots(system, setup.askTimeout()).thenApply(live -> {
      Map<String, CallSnapshot> all = new LinkedHashMap<>();
      live.forEach(s -> all.put(s.callSid(), s));
      services.history().list().forEach(s -> all.putIfAbsent(s.callSid(), s));
      return List.copyOf(all.values());
    });
  }

  /** The REST view of queue {@code name}. */
  public CompletionStage<QueueStats> queueStats(String name) {
    return AskPattern.<QueueActor.Command, QueueStats>ask(queues.queue(name), QueueActor.GetStats::new,
        setup.askTimeout(), system.scheduler());
  }

  /**
   * The REST view of every queue this node knows: a running queue is asked, one that passivated
   * (so is empty) is answered from what is remembered, without starting its actor again.
   */
  public CompletionStage<List<QueueStats>> allQueueStats() {
    List<CompletableFuture<QueueStats>> asks = new ArrayList<>();
    queues.names().forEach(n -> asks.add(queues.isLive(n) ? queueStats(n).toCompletableFuture()
        : CompletableFuture.completedFuture(idleStats(n))));
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
        .thenApply(v -> asks.stream().map(CompletableFuture::join).toList());
  }

  private QueueStats idleStats(String name) {
    String sid = QueueActor.queueSid(name);
    int max = queues.entry(sid).map(Queues.Entry::maxSize).filter(OptionalInt::isPresent)
        .map(OptionalInt::getAsInt).orElse(setup.queues().defaultMaxSize());
    return new QueueStats(sid, name, 0, max, 0, List.of());
  }

  /**
   * Deletes an empty queue (REST {@code DELETE /Queues/{sid}}); fails with {@link
   * IllegalStateException} while callers wait in it, completes with false for an unknown sid.
   */
  public CompletionStage<Boolean> deleteQueue(String queueSid) {
    Optional<String> name = queues.nameOf(queueSid);
    if (name.isEmpty()) {
      return CompletableFuture.completedFuture(false);
    }
    CompletionStage<QueueStats> stats = queues.isLive(name.get()) ? queueStats(name.get())
        : CompletableFuture.completedFuture(idleStats(name.get()));
    return stats.thenApply(s -> {
      if (s.currentSize() > 0) {
        throw new IllegalStateException("queue " + queueSid + " holds " + s.currentSize()
            + " callers; dequeue them before deleting it");
      }
      return queues.delete(queueSid);
    });
  }

  private CompletionStage<CallSnapshot> liveSnapshot(String callSid) {
    return ask(callSid).handle((s, e) -> {
      if (e != null || s.endTime().isPresent()) {
        throw new NoSuchCall(callSid);
      }
      return s;
    });
  }

  private CompletionStage<CallSnapshot> ask(String callSid) {
    return calls.call(callSid).ask(CallCommand.GetSnapshot::new, setup.askTimeout());
  }

  private static Optional<LegSpec.StatusCallback> callback(Optional<URI> url, List<String> events, Method method) {
    return url.map(u -> new LegSpec.StatusCallback(u, events.isEmpty() ? List.of(CallEvent.COMPLETED.wire()) : events, method));
  }
}
