package org.switchboard.http;

import com.typesafe.config.Config;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.asterisk.client.AriConnector;
import org.switchboard.engine.call.ActiveCalls;
import org.switchboard.engine.call.CallHistory;
import org.switchboard.engine.call.CallServices;
import org.switchboard.engine.call.CallSettings;
import org.switchboard.engine.hotline.CallOperations;
import org.switchboard.engine.call.PhoneNumbers;
import org.switchboard.engine.call.RecordingIndex;
import org.switchboard.engine.call.VoiceApplication;
import org.switchboard.engine.hotline.CallOperations;
import org.switchboard.engine.ring.DialPlan;
import org.switchboard.engine.store.HistoryStore;
import org.switchboard.engine.store.HistoryStores;
import org.switchboard.engine.store.StoreSettings;
import org.switchboard.http.api.ApiRoutes;
import org.switchboard.http.cluster.ClusterLinks;
import org.switchboard.http.cluster.LinkOwner;
import org.switchboard.http.cluster.ResyncNotices;
import org.switchboard.http.api.SeedSettings;
import org.switchboard.http.provision.EndpointProvisioner;
import org.switchboard.http.provision.SipTrunk;
import org.switchboard.http.api.ApiSettings;
import org.switchboard.http.api.MetricsRegistry;
import org.switchboard.http.api.RecordingUrls;
import org.switchboard.http.api.SwitchboardMetrics;
import org.switchboard.http.audio.AudioSettings;
import org.switchboard.http.audio.CachingTtsEngine;
import org.switchboard.http.audio.MediaFetcher;
import org.switchboard.http.audio.MediaRoute;
import org.switchboard.http.audio.MediaStore;
import org.switchboard.http.audio.Mp3Encoder;
import org.switchboard.http.audio.TtsCheck;
import org.switchboard.http.audio.TtsEngines;
import org.switchboard.http.config.LlamenosSettings;
import org.switchboard.http.config.SwitchboardSettings;
import org.switchboard.http.dashboard.DashboardRoutes;
import org.switchboard.http.engine.AriRecordingStore;
import org.switchboard.http.engine.RecordingMedia;
import org.switchboard.http.engine.EngineCallControl;
import org.switchboard.http.engine.EngineConferenceControl;
import org.switchboard.http.engine.EngineQueueControl;
import org.switchboard.http.engine.EngineRecordingControl;
import org.switchboard.http.engine.NodeMetrics;
import org.switchboard.http.server.GuardedServer;
import org.switchboard.http.server.PemTls;
import org.switchboard.http.server.ServerLimits;
import org.switchboard.http.signature.BridgeSignatureVerifier;
import org.switchboard.http.speech.NodeTranscription;
import org.switchboard.http.stream.NodeMedia;
import org.switchboard.http.stream.ScheduledTickSource;
import org.switchboard.http.webhook.HttpWebhookClient;
import org.switchboard.http.webhook.WebhookSettings;

/**
 * One running Switchboard node: the actor system (a one-node cluster unless seed nodes are
 * configured), the call and queue entities, the webhook client with its callback outbox, TTS and
 * media, the ARI links of every configured Asterisk server, and the HTTP server. {@link Main},
 * the demo, the end-to-end tests and the load generator all start exactly this.
 */
public final class SwitchboardNode implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SwitchboardNode.class);
  /** How often the statistics of live queues are handed to the store. */
  private static final java.time.Duration QUEUE_KEEPING = java.time.Duration.ofSeconds(10);

  private final ActorSystem<Void> system;
  private final SwitchboardSettings settings;
  private final URI publicUrl;
  private final HttpWebhookClient webhooks;
  private final AriConnector ari;
  private final ClusterLinks links;
  private final CallOperations operations;
  private final SwitchboardMetrics metrics;
  private final OverloadGuard overload;
  private final RecordingUrls recordingUrls;
  private final ServerBinding binding;
  private final ExecutorService blocking;
  private final ScheduledTickSource ticks;
  private final HistoryStore store;

  private SwitchboardNode(Builder b) {
    this.system = b.system;
    this.settings = b.settings;
    this.publicUrl = b.publicUrl;
    this.webhooks = b.webhooks;
    this.ari = b.ari;
    this.links = b.links;
    this.operations = b.operations;
    this.metrics = b.metrics;
    this.overload = b.overload;
    this.recordingUrls = b.recordingUrls;
    this.binding = b.binding;
    this.blocking = b.blocking;
    this.ticks = b.ticks;
    this.store = b.store;
  }

  /**
   * Starts a node. {@code extraRoutes} are served beside Switchboard's own (the demo's sample
   * application); {@code fallbackApplication} handles numbers with no configured application.
   */
  public static SwitchboardNode start(
      Config rawConfig,
      SwitchboardSettings settings,
      VoiceApplication fallbackApplication,
      List<Route> extraRoutes,
      Clock clock) {
    Builder b = new Builder();
    b.settings = settings;
    int port = settings.httpPort() == 0 ? Main.freePort(settings.httpHost()) : settings.httpPort();
    Optional<HttpsConnectionContext> https = PemTls.fromConfig(rawConfig);
    b.publicUrl =
        settings.httpPort() == 0 || settings.publicUrl().isEmpty()
            ? URI.create((https.isPresent() ? "https://" : "http://")
                + urlHost(settings.httpHost()) + ":" + port)
            : settings.publicUrl().get();
    Config config = NodeStore.effective(NodeConfig.effective(rawConfig, b.publicUrl.toString()));
    StoreSettings storeSettings = StoreSettings.fromConfig(config);
    b.system = ActorSystem.create(Behaviors.empty(), "switchboard", config);
    b.blocking = Executors.newFixedThreadPool(4, r -> daemon(r, "switchboard-audio"));
    b.ticks = new ScheduledTickSource();
    try {
      CallHistory history = new CallHistory();
      RecordingIndex recordings = new RecordingIndex();
      b.store = HistoryStores.open(storeSettings, history, recordings, clock);
      NodeStore.prepare(b.system, storeSettings, java.time.Duration.ofSeconds(60));
      NodeStore.startCheckpointWriter(b.system, storeSettings);
      b.webhooks = HttpWebhookClient.start(b.system, WebhookSettings.fromConfig(config));
      AudioSettings audio = AudioSettings.fromConfig(config);
      TtsCheck.atStart(audio, config.getBoolean("switchboard.audio.tts.required-at-start"));
      MediaStore store = new MediaStore(audio);
      CachingTtsEngine tts = TtsEngines.create(audio, store, b.system, b.blocking);
      MediaFetcher media = new MediaFetcher(audio, store, b.system, b.blocking, clock);
      ApiSettings api = ApiSettings.fromConfig(config);
      b.recordingUrls =
          new RecordingUrls(
              api.publicBaseUrl(), api.recordingSigningKey(), api.recordingUrlTtl(), clock);
      LateEventSink sink = new LateEventSink();
      OverloadSettings overloadSettings = OverloadSettings.fromConfig(config);
      b.ari = AriConnector.open(b.system.classicSystem(), settings.ariServers(), sink,
          overloadSettings.refusalsInFlight());
      MetricsRegistry registry = new MetricsRegistry();
      NodeTranscription transcription = NodeTranscription.create(config,
          new AriRecordingStore(recordings, b.store, b.ari), b.webhooks, b.system,
          api.publicBaseUrl().toString(), api.accountSid(), clock);
      CallServices services =
          new CallServices(
              b.ari.ariPort(),
              b.webhooks,
              tts,
              new RecordingMedia(media, b.ari, b.blocking),
              settings.applicationDirectory(fallbackApplication,
                  PhoneNumbers.withDefaultCountry(
                      config.getString("switchboard.numbers.default-country-code")),
                  LlamenosSettings.fromConfig(config).hotlineNumber()),
              transcription.delegates(NodeMedia.delegates(config, b.ari, settings.ariServers(),
                  b.webhooks, audio, registry, b.ticks, clock)),
              CallSettings.fromConfig(config, b.recordingUrls::recordingUrl),
              new ActiveCalls(),
              clock,
              history,
              recordings);
      String defaultServer =
          settings.ariServers().isEmpty() ? "none" : settings.ariServers().get(0).id();
      b.operations =
          CallOperations.start(
              b.system,
              services,
              CallOperations.Setup.fromConfig(
                  config, dialPlan(config), defaultServer, b.recordingUrls::recordingUrl, clock));
      b.metrics = new SwitchboardMetrics(registry);
      sink.set(ResyncNotices.forwarding(b.system,
          NodeMetrics.measuringLag(b.operations.calls().eventSink(), b.metrics, Clock.systemUTC()),
          b.operations.calls().active()));
      b.links = ClusterLinks.start(b.system, b.ari);
      b.ari.ownLatency().enabled(config.getBoolean("switchboard.own-latency.enabled"));
      b.webhooks.ownLatency(b.ari.ownLatency());
      OwnLatencyMetrics.register(b.metrics.registry(), b.ari.ownLatency());
      b.overload = NodeOverload.start(overloadSettings, b.operations.calls().active(), b.ari,
          b.webhooks, b.metrics.registry(), b.system);
      OverloadGuard overload = b.overload;
      EngineQueueControl queueControl = new EngineQueueControl(b.operations, b.store);
      if (storeSettings.kind() != StoreSettings.Kind.MEMORY) {
        b.system.scheduler().scheduleWithFixedDelay(QUEUE_KEEPING, QUEUE_KEEPING,
            () -> queueControl.keepLiveQueues(), b.system.executionContext());
      }
      SipTrunk trunk = new SipTrunk(b.ari.ariPort(), LlamenosSettings.fromConfig(config).sip());
      trunk.watch(b.system, b.ari::links, Duration.ofSeconds(1));
      EngineCallControl callControl = new EngineCallControl(b.operations, b.ari, queueControl,
          b.store, () -> Optional.of(overload.load()), b.links);
      ApiRoutes apiRoutes =
          new ApiRoutes(
              callControl,
              queueControl,
              transcription.recordings(new AriRecordingStore(b.operations.recordings(), b.store,
                  b.ari, Optional.of(new Mp3Encoder(
                  audio.cacheDir(), config.getString("switchboard.audio.mp3.executable"),
                  config.getDuration("switchboard.audio.mp3.timeout"), b.blocking)))),
              new BridgeSignatureVerifier(
                  api.bridgeSecret(), api.signatureTolerance(), api.replayCacheSize(), clock),
              b.recordingUrls,
              api,
              b.metrics,
              clock,
              SeedSettings.fromConfig(config),
              Optional.of(new EndpointProvisioner(b.ari.ariPort(),
                  () -> List.copyOf(b.ari.links().keySet()),
                  SeedSettings.fromConfig(config).provisioning(), new SecureRandom())),
              trunk::state,
              new EngineConferenceControl(b.operations.conferences(), api.askTimeout(),
                  b.operations.announcementMedia()),
              new EngineRecordingControl(b.operations, callControl::fetchCall));
      NodeMetrics.register(b.system, b.metrics, b.operations, queueControl, b.webhooks, b.ari);
      List<Route> all = new java.util.ArrayList<>(extraRoutes);
      all.add(apiRoutes.route());
      all.add(DashboardRoutes.start(b.system, config, api, b.metrics, b.operations, b.ari, clock));
      Route routes = Directives.concat(new MediaRoute(store).route(), all.toArray(new Route[0]));
      b.binding =
          GuardedServer.bind(b.system, settings.httpHost(), port, routes,
                  ServerLimits.fromConfig(config), b.metrics.registry(), https)
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      log.info(
          "Switchboard listening on {} (public URL {}), {} Asterisk server(s)",
          b.binding.localAddress(),
          b.publicUrl,
          settings.ariServers().size());
      SwitchboardNode node = new SwitchboardNode(b);
      transcription.resumePending();
      DrainSettings drain = DrainSettings.fromConfig(config);
      boolean durable = storeSettings.kind() != StoreSettings.Kind.MEMORY;
      ActorSystem<Void> system = b.system;
      new NodeDrain(drain, b.operations.calls().active(), b.webhooks::outboxDepth,
              () -> durable && otherMembersUp(system),
              () -> b.operations.calls().handOver(drain.deadline()))
          .register(b.system, node::stopServices);
      return node;
    } catch (Exception e) {
      if (b.store != null) {
        b.store.close();
      }
      b.system.terminate();
      b.blocking.shutdownNow();
      b.ticks.close();
      throw new IllegalStateException("Switchboard failed to start: " + e.getMessage(), e);
    }
  }

  /** Whether another node of the cluster is up (and can take this node's calls over). */
  private static boolean otherMembersUp(ActorSystem<?> system) {
    org.apache.pekko.cluster.typed.Cluster cluster = org.apache.pekko.cluster.typed.Cluster.get(system);
    for (org.apache.pekko.cluster.Member m : cluster.state().getMembers()) {
      if (m.status() == org.apache.pekko.cluster.MemberStatus.up()
          && !m.equals(cluster.selfMember())) {
        return true;
      }
    }
    return false;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public SwitchboardSettings settings() {
    return settings;
  }

  /** The URL applications and Asterisk reach this node at. */
  public URI publicUrl() {
    return publicUrl;
  }

  public InetSocketAddress httpAddress() {
    return binding.localAddress();
  }

  /** The engine: calls, queues, conferences, REST operations, history and recordings. */
  public CallOperations operations() {
    return operations;
  }

  /** Where ended calls and recordings are kept ({@code switchboard.store}). */
  public HistoryStore store() {
    return store;
  }

  /**
   * What the store's writers did since the node started, for the load generator: {@code state.*}
   * (live calls', dials' and legs' durable state) and {@code history.*} (ended calls, recordings,
   * queues), each {@code engine.store.StoreTraffic}'s counters; empty in memory mode.
   */
  public java.util.Map<String, Long> storeTraffic() {
    java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
    NodeStore.stateTraffic(system).forEach((k, v) -> m.put("state." + k, v));
    store.traffic().forEach((k, v) -> m.put("history." + k, v));
    return m;
  }

  public SwitchboardMetrics metrics() {
    return metrics;
  }

  /** Admission control: whether the node sheds new calls, and its load. */
  public OverloadGuard overload() {
    return overload;
  }

  public AriConnector ari() {
    return ari;
  }

  /** Which node holds each server's event socket ({@link LinkOwner}). */
  public ClusterLinks links() {
    return links;
  }

  public HttpWebhookClient webhooks() {
    return webhooks;
  }

  public RecordingUrls recordingUrls() {
    return recordingUrls;
  }

  /**
   * Drains the node ({@link NodeDrain}: new calls refused or redirected, live calls finish up to
   * the deadline, the rest are ended, the outbox flushed), then stops it; completes when the actor
   * system has terminated. {@link #close()} afterwards only releases the node's threads.
   */
  public CompletionStage<Done> drain() {
    return CoordinatedShutdown.get(system).runAll(NodeDrain.Reason.DRAIN);
  }

  /** Whether the node drains: it takes no new calls. */
  public boolean draining() {
    return operations.calls().active().draining().isPresent();
  }

  /**
   * After a drain: the HTTP server and the webhook client (coordinated shutdown). The ARI links
   * stay with their {@link LinkOwner}s until the node leaves the cluster (a later phase), which
   * hands them to the next node.
   */
  private CompletionStage<Done> stopServices() {
    return binding.unbind()
        .handle((done, error) -> Done.getInstance())
        .thenCompose(done -> {
          webhooks.close();
          store.close();
          return Http.get(system).shutdownAllConnectionPools()
              .handle((ok, error) -> Done.getInstance());
        });
  }

  /** Stops the HTTP server, the ARI links, the outbox and the actor system. */
  @Override
  public void close() {
    if (system.whenTerminated().isCompleted()) {
      blocking.shutdownNow();
      ticks.close();
      store.close();
      return;
    }
    try {
      binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("HTTP unbind: {}", e.toString());
    }
    CompletionStage<?> links = ari.shutdown();
    try {
      links.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("ARI shutdown: {}", e.toString());
    }
    webhooks.close();
    try {
      Http.get(system).shutdownAllConnectionPools().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("HTTP client pools: {}", e.toString());
    }
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("actor system shutdown: {}", e.toString());
    }
    blocking.shutdownNow();
    ticks.close();
    store.close();
  }

  private static DialPlan dialPlan(Config config) {
    Config d = config.getConfig("switchboard.dial");
    java.util.Map<String, String> clients = new java.util.LinkedHashMap<>();
    d.getConfig("clients").root().keySet()
        .forEach(k -> clients.put(k, d.getConfig("clients").getString("\"" + k + "\"")));
    return new DialPlan(
        d.getString("number-template"),
        d.getString("sip-endpoint"),
        d.getString("client-template"),
        clients);
  }

  /**
   * The host of the derived public URL: a wildcard bind ({@code BRIDGE_BIND=0.0.0.0}) is not an
   * address anyone can reach, so loopback stands in (logged: set {@code SWITCHBOARD_PUBLIC_URL});
   * IPv6 literals get brackets.
   */
  static String urlHost(String host) {
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      log.warn("listening on every address ({}): the public URL (recording and media URLs) uses"
          + " 127.0.0.1; set SWITCHBOARD_PUBLIC_URL to the address Asterisk and the application"
          + " reach this node at", host);
      return "127.0.0.1";
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Collects the parts while they start. */
  private static final class Builder {
    ActorSystem<Void> system;
    SwitchboardSettings settings;
    URI publicUrl;
    HttpWebhookClient webhooks;
    AriConnector ari;
    ClusterLinks links;
    CallOperations operations;
    SwitchboardMetrics metrics;
    OverloadGuard overload;
    RecordingUrls recordingUrls;
    ServerBinding binding;
    ExecutorService blocking;
    ScheduledTickSource ticks;
    HistoryStore store;
  }
}
