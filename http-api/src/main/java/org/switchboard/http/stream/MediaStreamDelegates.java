package org.switchboard.http.stream;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.call.CallRouting;
import org.switchboard.engine.call.Delegation;
import org.switchboard.engine.call.ForwardingCallDelegates;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.twiml.verb.Connect;
import org.switchboard.engine.twiml.verb.Parameter;
import org.switchboard.engine.twiml.verb.Start;
import org.switchboard.engine.twiml.verb.Stream;
import org.switchboard.http.api.MetricsRegistry;
import org.switchboard.http.audio.AudioSettings;
import org.switchboard.http.stream.realtime.AgentLatency;
import org.switchboard.http.stream.realtime.AgentOptions;
import org.switchboard.http.stream.realtime.RealtimeSettings;
import org.switchboard.http.stream.StreamParams.Track;
import org.switchboard.http.stream.codec.AudioFormat;

/**
 * The call delegates that run media streams: {@code <Connect><Stream>} (bidirectional; the script
 * waits for {@link CallCommand.StreamClosed}) and {@code <Start><Stream>} (a fork beside the
 * script, ended by {@code <Stop><Stream name>} or the call's end). Every other verb ({@code
 * <Dial>}, {@code <Enqueue>}, speech) goes to the inner delegates.
 *
 * <p>Media path (ids owned by the call, so Asterisk's events for them route to it):
 * <ul>
 *   <li>Connect: mixing bridge {@code <CallSid>-br-stream-<n>} with the caller and ExternalMedia
 *       channel {@code <CallSid>-em-<n>_} (RTP/UDP to the session, {@code direction=both}).
 *   <li>Start: per track a snoop channel {@code <CallSid>-snoop-<n>_} on the caller ({@code spy=in}
 *       for {@code inbound}, {@code out} for {@code outbound}), bridged with its own ExternalMedia
 *       channel. The caller itself is never bridged, so the script can record, dial or bridge it.
 * </ul>
 * Asterisk 22's ExternalMedia knows only {@code direction=both}; a fork simply never sends audio
 * back. {@code <Stream statusCallback>} events go out through {@link WebhookPort#notify}.
 */
public final class MediaStreamDelegates extends ForwardingCallDelegates {
  private static final Logger LOG = LoggerFactory.getLogger(MediaStreamDelegates.class);

  /**
   * The {@code <Parameter>} of a {@code <Stream>} choosing the audio format on the application's
   * socket ({@link AudioFormat#parse} names); without it {@code switchboard.audio.stream.app-format}.
   */
  public static final String AUDIO_FORMAT_PARAMETER = "audioFormat";

  private final AriPort ari;
  private final WebhookPort webhooks;
  private final AudioSettings.Stream settings;
  private final MediaEncoding encoding;
  private final TickSource ticks;
  private final Clock clock;
  private final RelayDelays delays;
  private final Function<String, Optional<URI>> mediaSockets;
  private final RealtimeSettings realtime;
  private final AgentLatency agentLatency;
  private final AtomicLong counter = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean warnedSlin16Rtp =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Delegates over {@code inner} (which runs every verb but streams).
   *
   * @param ari the engine's ARI port (bridges, ExternalMedia and snoop channels, hangups)
   * @param webhooks where stream status callbacks go
   * @param settings {@code switchboard.audio.stream}
   * @param ticks the 20 ms pacing of application audio ({@link ScheduledTickSource})
   * @param clock timestamps of status callbacks
   */
  public MediaStreamDelegates(CallDelegates inner, AriPort ari,
      WebhookPort webhooks, AudioSettings.Stream settings, TickSource ticks, Clock clock) {
    this(inner, ari, webhooks, settings, ticks, clock, RelayDelays.NONE, server -> Optional.empty());
  }

  /**
   * Delegates whose streams report each frame's time inside Switchboard to {@code delays} and
   * carry media over chan_websocket on the servers {@code mediaSockets} gives a
   * {@code ws://host:port/media/} prefix for (see {@link #mediaSockets}), over RTP elsewhere.
   */
  public MediaStreamDelegates(CallDelegates inner, AriPort ari, WebhookPort webhooks,
      AudioSettings.Stream settings, TickSource ticks, Clock clock, RelayDelays delays,
      Function<String, Optional<URI>> mediaSockets) {
    this(inner, ari, webhooks, settings, noAgents(settings),
        new AgentLatency(new MetricsRegistry()), ticks, clock, delays, mediaSockets);
  }

  /**
   * Delegates that also run Realtime agents ({@code <Stream protocol="openai-realtime">}).
   *
   * @param realtime {@code switchboard.realtime} (the API key among them)
   * @param agentLatency where agents' latencies are recorded ({@code /metrics})
   */
  public MediaStreamDelegates(CallDelegates inner, AriPort ari, WebhookPort webhooks,
      AudioSettings.Stream settings, RealtimeSettings realtime, AgentLatency agentLatency,
      TickSource ticks, Clock clock) {
    this(inner, ari, webhooks, settings, realtime, agentLatency, ticks, clock, RelayDelays.NONE,
        server -> Optional.empty());
  }

  /** Delegates with agents, relay delays and the chan_websocket servers (the node's). */
  public MediaStreamDelegates(CallDelegates inner, AriPort ari, WebhookPort webhooks,
      AudioSettings.Stream settings, RealtimeSettings realtime, AgentLatency agentLatency,
      TickSource ticks, Clock clock, RelayDelays delays,
      Function<String, Optional<URI>> mediaSockets) {
    super(inner);
    this.realtime = realtime;
    this.agentLatency = agentLatency;
    this.delays = delays;
    this.mediaSockets = mediaSockets;
    this.ari = ari;
    this.webhooks = webhooks;
    this.settings = settings;
    this.encoding = MediaEncoding.forFormat(settings.format());
    this.ticks = ticks;
    this.clock = clock;
  }

  @Override
  public Delegation connect(Context context, Connect connect) {
    if (connect.stream().protocol() == Stream.Protocol.OPENAI_REALTIME) {
      return connectAgent(context, connect);
    }
    MediaStreamSession session;
    try {
      session = session(context, connect.stream(), List.of(Track.INBOUND), true);
    } catch (IllegalArgumentException e) {
      LOG.warn("<Connect><Stream> refused: {}", e.getMessage());
      context.call().tell(new CallCommand.StreamClosed(Map.of("StreamError", e.getMessage())));
      return Delegation.NONE;
    }
    LOG.info("<Connect><Stream> {} to {}", session.params().streamSid(),
        connect.stream().url());
    if (session.params().encoding() == MediaEncoding.SLIN16
        && session.params().transport() == StreamParams.Transport.RTP
        && warnedSlin16Rtp.compareAndSet(false, true)) {
      LOG.warn("<Connect><Stream> over slin16 RTP: Asterisk 22 drops slin16 RTP sent to it, the "
          + "application's audio will not be heard; use format ulaw or chan_websocket "
          + "(switchboard.audio.stream.websocket-servers), docs/agents.md");
    }
    return new StreamRelay(ari, session, context.channel(), List.of(connectLeg(context)),
        Optional.of(context.call()), mediaSockets.apply(context.channel().serverId())).start();
  }

  /**
   * {@code <Connect><Stream protocol="openai-realtime">}: a Realtime agent answers the caller, its
   * ExternalMedia channel over RTP, or over chan_websocket on the servers configured for it.
   */
  private Delegation connectAgent(Context context, Connect connect) {
    Stream stream = connect.stream();
    Optional<URI> sockets = mediaSockets.apply(context.channel().serverId());
    StreamParams.Transport transport =
        sockets.isPresent() ? StreamParams.Transport.WEBSOCKET : StreamParams.Transport.RTP;
    RealtimeSession session;
    try {
      Map<String, String> parameters = parameters(stream);
      AgentOptions options = AgentOptions.fromParameters(parameters);
      StreamParams params = new StreamParams(stream.url(), StreamParams.newStreamSid(),
          param(context, "AccountSid").orElse(""), context.callSid(), stream.name(),
          List.of(Track.INBOUND), parameters, true,
          RealtimeSession.encodingFor(options.audioFormat(), transport),
          RealtimeSession.agentFormat(options.audioFormat()), transport);
      session = RealtimeSession.create(context.actor().getSystem(), settings.rtpHost(), realtime,
          params, options, new CallAgentActions(context.call(), webhooks, options.toolsUrl(),
              params), ticks, listener(context, stream), clock, agentLatency, delays);
    } catch (IllegalArgumentException e) {
      LOG.warn("<Connect><Stream protocol=\"openai-realtime\"> refused: {}", e.getMessage());
      context.call().tell(new CallCommand.StreamClosed(Map.of("StreamError", e.getMessage())));
      return Delegation.NONE;
    }
    LOG.info("<Connect><Stream> {}: agent at {}://{}{}", session.params().streamSid(),
        stream.url().getScheme(), stream.url().getAuthority(), stream.url().getPath());
    return new StreamRelay(ari, session, context.channel(), List.of(connectLeg(context)),
        Optional.of(context.call()), sockets).start();
  }

  private StreamRelay.Leg connectLeg(Context context) {
    long n = counter.incrementAndGet();
    String callSid = context.callSid();
    return new StreamRelay.Leg(Track.INBOUND, Optional.empty(), "in",
        callSid + "-br-stream-" + n, CallRouting.channelId(callSid, "em", n));
  }

  @Override
  public Delegation startStream(Context context, Start start) {
    List<Track> tracks = switch (start.stream().track()) {
      case INBOUND_TRACK -> List.of(Track.INBOUND);
      case OUTBOUND_TRACK -> List.of(Track.OUTBOUND);
      case BOTH_TRACKS -> List.of(Track.INBOUND, Track.OUTBOUND);
    };
    MediaStreamSession session;
    try {
      session = session(context, start.stream(), tracks, false);
    } catch (IllegalArgumentException e) {
      LOG.warn("<Start><Stream> refused: {}", e.getMessage());
      return Delegation.NONE;
    }
    String callSid = context.callSid();
    List<StreamRelay.Leg> legs = new ArrayList<>();
    for (Track track : tracks) {
      long n = counter.incrementAndGet();
      legs.add(new StreamRelay.Leg(track, Optional.of(CallRouting.channelId(callSid, "snoop", n)),
          track == Track.INBOUND ? "in" : "out", callSid + "-br-stream-" + n,
          CallRouting.channelId(callSid, "em", n)));
    }
    LOG.info("<Start><Stream> {} ({}) to {}", session.params().streamSid(),
        start.stream().track().wire(), start.stream().url());
    return new StreamRelay(ari, session, context.channel(), legs, Optional.empty(),
        mediaSockets.apply(context.channel().serverId())).start();
  }

  private MediaStreamSession session(Context context, Stream stream, List<Track> tracks,
      boolean bidirectional) {
    String accountSid = param(context, "AccountSid").orElse("");
    Map<String, String> custom = parameters(stream);
    String formatName = custom.get(AUDIO_FORMAT_PARAMETER);
    AudioFormat appFormat;
    try {
      appFormat = formatName == null ? settings.appFormat() : AudioFormat.parse(formatName);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("<Parameter name=\"" + AUDIO_FORMAT_PARAMETER + "\">: "
          + e.getMessage(), e);
    }
    StreamParams params = new StreamParams(stream.url(), StreamParams.newStreamSid(), accountSid,
        context.callSid(), stream.name(), tracks, custom, bidirectional, encoding, appFormat,
        mediaSockets.apply(context.channel().serverId()).isPresent()
            ? StreamParams.Transport.WEBSOCKET : StreamParams.Transport.RTP);
    return MediaStreamSession.create(context.actor().getSystem(), settings, params, ticks,
        listener(context, stream), clock, delays);
  }

  private static Map<String, String> parameters(Stream stream) {
    Map<String, String> custom = new LinkedHashMap<>();
    for (Parameter p : stream.parameters()) {
      custom.put(p.name(), p.value());
    }
    return custom;
  }

  private StreamListener listener(Context context, Stream stream) {
    return stream.statusCallback()
        .<StreamListener>map(url -> new StreamStatusCallbacks(webhooks, url,
            stream.statusCallbackMethod(), param(context, "AccountSid").orElse(""),
            context.callSid()))
        .orElse(event -> { });
  }

  /** Realtime settings without an API key, for delegates built without a node's config. */
  private static RealtimeSettings noAgents(AudioSettings.Stream settings) {
    return new RealtimeSettings("", false, settings.connectTimeout(), settings.maxQueuedFrames());
  }

  /**
   * The chan_websocket prefix of each server listed in {@code websocketServers}
   * ({@code switchboard.audio.stream.websocket-servers}; {@code *} for all): the ARI base URL's
   * host and port as {@code ws(s)://host:port/media/}.
   *
   * @param ariBaseUrls each server's ARI base URL ({@code http://127.0.0.1:8088/ari}) by id
   */
  public static Function<String, Optional<URI>> mediaSockets(List<String> websocketServers,
      Map<String, String> ariBaseUrls) {
    Map<String, URI> prefixes = new LinkedHashMap<>();
    ariBaseUrls.forEach((id, url) -> {
      if (websocketServers.contains("*") || websocketServers.contains(id)) {
        URI ari = URI.create(url);
        String scheme = "https".equals(ari.getScheme()) ? "wss" : "ws";
        prefixes.put(id, URI.create(scheme + "://" + ari.getRawAuthority() + "/media/"));
      }
    });
    for (String id : websocketServers) {
      if (!id.equals("*") && !ariBaseUrls.containsKey(id)) {
        throw new IllegalArgumentException(
            "switchboard.audio.stream.websocket-servers names an unknown ARI server '" + id + "'");
      }
    }
    return server -> Optional.ofNullable(prefixes.get(server));
  }

  private static Optional<String> param(Context context, String name) {
    return context.callParams().stream().filter(e -> e.getKey().equals(name))
        .map(Map.Entry::getValue).findFirst();
  }
}
