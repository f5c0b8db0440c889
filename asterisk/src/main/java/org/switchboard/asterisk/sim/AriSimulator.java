package org.switchboard.asterisk.sim;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * A fake Asterisk 22 speaking ARI over real HTTP and WebSocket, for tests, demos and load tests.
 * Inbound calls are Local channel pairs like the recorded transcripts: the {@code ;2} half runs
 * {@code Stasis(app,inbound,<dialled>)} and its id is what {@link #inboundCall} returns; the
 * {@code ;1} half is the caller's phone.
 */
public final class AriSimulator implements AutoCloseable {

  /** A channel as the simulator sees it. */
  public record ChannelView(String id, String name, String state, String stasisApp,
      String bridgeId, String callerNumber) {}

  /** A bridge and its members. */
  public record BridgeView(String id, String type, List<String> channels) {}

  /** RTP counters and bytes of one externalMedia channel. */
  public record RtpView(String channelId, int localPort, int packetsSent, int packetsReceived,
      byte[] sent, byte[] received) {}

  private SimCore core;
  private ActorSystem system;
  private ServerBinding binding;
  private int callCounter;
  private final String idPrefix;

  /** A simulator whose inbound calls are {@code sim-call-1}, {@code sim-call-2}, … */
  public AriSimulator() {
    this("sim");
  }

  /**
   * A simulator whose inbound calls are {@code <idPrefix>-call-N} (their phones {@code
   * <idPrefix>-phone-N}): a prefix unique to a run gives its calls CallSids of their own, as a
   * real Asterisk's channel ids would.
   */
  public AriSimulator(String idPrefix) {
    this.idPrefix = idPrefix;
  }

  /**
   * Starts the simulator.
   *
   * @return the bound port
   */
  public synchronized int start(SimConfig config) {
    if (core != null) {
      throw new IllegalStateException("simulator already started");
    }
    core = new SimCore(config);
    core.media = new Media(core);
    core.bridging = new Bridging(core);
    system = ActorSystem.create("ari-sim", ConfigFactory.parseString(
        "pekko.actor.provider = local\n"
            + "pekko.http.server.idle-timeout = infinite\n"
            + "pekko.http.server.websocket.periodic-keep-alive-max-idle = 10s\n"
            + "pekko.http.server.parsing.max-content-length = 16m\n"
            // Request headers are read by name; the WebSocket handshake's are always modeled.
            + "pekko.http.server.parsing.modeled-header-parsing = off\n"
            + "pekko.loglevel = WARNING\n"
            + "pekko.stdout-loglevel = WARNING")
        .withFallback(ConfigFactory.load()));
    SimHttpServer server =
        new SimHttpServer(system, core, new AriDispatcher(core), new ControlApi(this));
    try {
      binding = Http.get(system).newServerAt(config.host(), config.port())
          .bind(server::handle).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("cannot bind " + config.host() + ":" + config.port(), e);
    }
    return port();
  }

  /** The bound port. */
  public int port() {
    return binding.localAddress().getPort();
  }

  /** {@code http://host:port}. */
  public String baseUrl() {
    return "http://" + core.config.host() + ":" + port();
  }

  /** The simulator's clock (advance it when manual). */
  public SimClock clock() {
    return core.clock;
  }

  /** The REST requests and events seen so far. */
  public SimLog log() {
    return core.log;
  }

  /**
   * A call arrives: a Local pair whose {@code ;2} half enters {@code Stasis(app,inbound,dialled)}
   * (or fails to, when no socket serves the app, and hangs up).
   *
   * @return the id of the Stasis ({@code ;2}) channel
   */
  public String inboundCall(String callerNumber, String dialedNumber) {
    return core.locked(() -> {
      int n = ++callCounter;
      String phone = idPrefix + "-phone-" + n;
      String inbound = idPrefix + "-call-" + n;
      new Dialing(core).originate(new OriginateRequest(
          "Local/" + dialedNumber + "@" + core.config.inboundContext(), null, List.of(),
          "switchboard-phone", "idle", phone, inbound, callerNumber, 0, null, null), false);
      return inbound;
    });
  }

  /** The caller of {@code channelId} presses digits (ChannelDtmfReceived on it, ~200 ms apart). */
  public void pressDtmf(String channelId, String digits) {
    core.locked(() -> {
      SimChannel c = core.channel(channelId);
      SimChannel target = !c.secondHalf && c.localPeer != null && !c.inStasis()
          ? c.localPeer : c;
      core.media.receiveDtmf(target, digits, 0, 100, 100);
    });
  }

  /** The caller hangs up: the phone half of a Local pair, or the channel itself. */
  public void callerHangup(String channelId) {
    core.locked(() -> {
      SimChannel c = core.channel(channelId);
      if (c.secondHalf && c.localPeer != null && !c.localPeer.destroyed) {
        core.hangup(c.localPeer, Causes.NORMAL, SimCore.HangupStart.DIALPLAN);
      } else {
        core.hangup(c, Causes.NORMAL, SimCore.HangupStart.REMOTE);
      }
    });
  }

  /**
   * The far end of the ringing outbound leg {@code channelId} answers now (for legs whose dial
   * rule never answers by itself, {@code no-answer}): Up, {@code Dial(ANSWER)}, then its
   * application.
   */
  public void answerLeg(String channelId) {
    core.locked(() -> new Dialing(core).answerLeg(core.channel(channelId)));
  }

  /**
   * The far end of the PJSIP channel {@code channelId} (a dialled leg, say) sends a SIP REFER
   * whose Refer-To URI's user part is {@code destination} (a blind transfer): with {@code
   * PJSIP_TRANSFER_HANDLING()=ari-only} on the channel, a {@code ChannelTransfer} event as
   * Asterisk 22 emits it; the application then reports the outcome ({@code transfer_progress}).
   *
   * @throws IllegalStateException when the channel leaves transfers to Asterisk's core
   */
  public void refer(String channelId, String destination) {
    core.locked(() -> core.transfers.refer(core.channel(channelId), destination));
  }

  /** The caller of {@code channelId} talks for {@code duration} (recordings hear it, RTP flows). */
  public void speak(String channelId, Duration duration) {
    core.locked(() -> {
      SimChannel c = core.channel(channelId);
      c.speakingUntil = core.clock.now().plus(duration);
    });
  }

  /**
   * The caller of {@code channelId} says {@code wav} (16-bit PCM, any rate, e.g. from espeak-ng),
   * starting now: recordings of the channel or of a snoop on it hold these samples (at their
   * format's rate), {@code TALK_DETECT} hears their loudness, and the channel counts as speaking
   * for the file's length.
   */
  public void speak(String channelId, byte[] wav) {
    short[] samples = WavFile.speech16k(wav);
    core.locked(() -> {
      SimChannel c = core.channel(channelId);
      c.speech = samples;
      c.speechStart = core.clock.now();
      c.speakingUntil = c.speechStart.plusMillis(samples.length / 16);
    });
  }

  /** Closes every event WebSocket from the server side; channels stay. */
  public void dropSockets() {
    core.locked(() -> core.hub.dropAll());
  }

  /**
   * Closes every event WebSocket and refuses reconnects for {@code gap} (simulated time): every
   * event of the gap is lost, as on Asterisk while the application has no socket
   * ({@link SimLog#missed()} lists them). Channels, bridges, playbacks and recordings go on.
   */
  public void dropSockets(Duration gap) {
    core.locked(() -> core.hub.dropFor(gap));
  }

  /**
   * Arms {@code fault}: the next matching ARI requests (HTTP or over the event socket) fail as it
   * says instead of running; earlier faults that match too are used up first.
   */
  public void injectFault(SimFault fault) {
    core.locked(() -> core.faults.add(fault));
  }

  /**
   * How many requests the injected faults will still take: 0 once every one has met its requests
   * (a {@link SimFault#late} one is then holding its request).
   */
  public int faultsLeft() {
    return core.<Integer>locked(() -> core.faults.left());
  }

  /** Disarms every injected fault. */
  public void clearFaults() {
    core.locked(() -> core.faults.clear());
  }

  /** Adds a dial rule that wins over every earlier one. */
  public void addDialRule(DialRule rule) {
    core.dialPlan.addRule(rule);
  }

  /**
   * Says what answering machine detection ({@code switchboard-amd}) concludes about far ends whose
   * endpoint matches {@code pattern} (a {@link DialRule} glob); wins over earlier rules. Without a
   * rule a far end is a person ({@link AmdOutcome#human}).
   */
  public void answeringMachine(String pattern, AmdOutcome outcome) {
    core.amd.addRule(pattern, outcome);
  }

  /** Removes the {@link #answeringMachine} rules. */
  public void clearAnsweringMachines() {
    core.amd.clearRules();
  }

  /** Removes the rules added at runtime. */
  public void clearDialRules() {
    core.dialPlan.clearRuntimeRules();
  }

  /** The rules added at runtime, newest first. */
  public List<DialRule> dialRules() {
    return core.dialPlan.runtimeRules();
  }

  /** Live channels in creation order. */
  public List<ChannelView> channels() {
    return core.locked(() -> {
      List<ChannelView> l = new ArrayList<>();
      core.channels.values().forEach(c -> l.add(new ChannelView(c.id, c.name, c.state,
          c.stasisApp, c.bridgeId, c.callerNumber)));
      return l;
    });
  }

  /** Live bridges. */
  public List<BridgeView> bridges() {
    return core.locked(() -> {
      List<BridgeView> l = new ArrayList<>();
      core.bridges.values().forEach(b -> l.add(new BridgeView(b.id, b.bridgeType,
          List.copyOf(b.channels))));
      return l;
    });
  }

  /** Ids of the current playbacks. */
  public List<String> playbacks() {
    return core.locked(() -> List.copyOf(core.playbacks.keySet()));
  }

  /** Names of the live recordings. */
  public List<String> liveRecordings() {
    return core.locked(() -> List.copyOf(core.recordings.keySet()));
  }

  /** Names of the stored recordings. */
  public List<String> storedRecordings() {
    return core.locked(() -> {
      List<String> l = new ArrayList<>();
      core.media.recorder.listStored().forEach(n -> l.add(n.get("name").asText()));
      return l;
    });
  }

  /**
   * Whether dynamic configuration objects may be created, updated and deleted (true by default,
   * as with conf/sorcery.conf's memory wizards; false answers 403 like a stock Asterisk).
   */
  public void dynamicConfigWritable(boolean writable) {
    core.locked(() -> {
      core.dynamicConfig.writable(writable);
      return null;
    });
  }

  /** A dynamic configuration object's fields, e.g. {@code res_pjsip}, {@code endpoint}, id. */
  public Optional<Map<String, String>> configObject(String configClass, String type, String id) {
    return core.locked(() -> core.dynamicConfig.object(configClass, type, id));
  }

  /** Applications with a connected socket. */
  public List<String> applications() {
    return core.locked(() -> core.hub.appNames());
  }

  /** RTP state of an externalMedia channel (kept after hangup), or null. */
  public RtpView rtp(String channelId) {
    ExternalMedia m = core.externalMedia.get(channelId);
    return m == null ? null : new RtpView(channelId, m.localPort(), m.packetsSent(),
        m.packetsReceived(), m.sentBytes(), m.receivedBytes());
  }

  /**
   * Frames a chan_websocket externalMedia channel holds in its queue, not played yet (0 for an RTP
   * channel or an unknown one).
   */
  public int mediaQueued(String channelId) {
    ExternalMedia m = core.externalMedia.get(channelId);
    return m == null ? 0 : m.queuedFrames();
  }

  @Override
  public synchronized void close() {
    if (core != null) {
      core.locked(() -> core.hub.dropAll());
    }
    if (binding != null) {
      binding.terminate(Duration.ofSeconds(2));
      binding = null;
    }
    if (system != null) {
      system.terminate();
      system = null;
    }
    if (core != null) {
      core.rtp.close();
      core.externalMedia.values().forEach(ExternalMedia::close);
      core.clock.shutdown();
    }
  }

  SimCore core() {
    return core;
  }
}
