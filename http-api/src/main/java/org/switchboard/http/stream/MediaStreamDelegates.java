package org.switchboard.http.stream;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.call.CallRouting;
import org.switchboard.engine.call.Delegation;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.twiml.verb.Connect;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Enqueue;
import org.switchboard.engine.twiml.verb.Parameter;
import org.switchboard.engine.twiml.verb.Start;
import org.switchboard.engine.twiml.verb.Stream;
import org.switchboard.http.api.MetricsRegistry;
import org.switchboard.http.audio.AudioSettings;
import org.switchboard.http.stream.realtime.AgentLatency;
import org.switchboard.http.stream.realtime.AgentOptions;
import org.switchboard.http.stream.realtime.RealtimeSettings;
import org.switchboard.http.stream.StreamParams.Track;

/**
 * The call delegates that run media streams: {@code <Connect><Stream>} (bidirectional; the script
 * waits for {@link CallCommand.StreamClosed}) and {@code <Start><Stream>} (a fork beside the
 * script, ended by {@code <Stop><Stream name>} or the call's end). {@code <Dial>} and
 * {@code <Enqueue>} go to the inner delegates.
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
public final class MediaStreamDelegates implements CallDelegates {
  private static final Logger LOG = LoggerFactory.getLogger(MediaStreamDelegates.class);

  private final CallDelegates inner;
  private final AriPort ari;
  private final WebhookPort webhooks;
  private final AudioSettings.Stream settings;
  private final MediaEncoding encoding;
  private final TickSource ticks;
  private final Clock clock;
  private final RealtimeSettings realtime;
  private final AgentLatency agentLatency;
  private final AtomicLong counter = new AtomicLong();

  /**
   * Delegates over {@code inner} (which runs Dial and Enqueue).
   *
   * @param ari the engine's ARI port (bridges, ExternalMedia and snoop channels, hangups)
   * @param webhooks where stream status callbacks go
   * @param settings {@code switchboard.audio.stream}
   * @param ticks the 20 ms pacing of application audio ({@link ScheduledTickSource})
   * @param clock timestamps of status callbacks
   */
  public MediaStreamDelegates(CallDelegates inner, AriPort ari,
      WebhookPort webhooks, AudioSettings.Stream settings, TickSource ticks, Clock clock) {
    this(inner, ari, webhooks, settings, new RealtimeSettings("", false,
        settings.connectTimeout(), settings.maxQueuedFrames()),
        new AgentLatency(new MetricsRegistry()), ticks, clock);
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
    this.realtime = realtime;
    this.agentLatency = agentLatency;
    this.inner = inner;
    this.ari = ari;
    this.webhooks = webhooks;
    this.settings = settings;
    this.encoding = MediaEncoding.forFormat(settings.format());
    this.ticks = ticks;
    this.clock = clock;
  }

  @Override
  public Delegation dial(Context context, Dial dial, boolean callerAnswered) {
    return inner.dial(context, dial, callerAnswered);
  }

  @Override
  public Delegation enqueue(Context context, Enqueue enqueue) {
    return inner.enqueue(context, enqueue);
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
    return relayConnect(context, session);
  }

  /** {@code <Connect><Stream protocol="openai-realtime">}: a Realtime agent answers the caller. */
  private Delegation connectAgent(Context context, Connect connect) {
    Stream stream = connect.stream();
    RealtimeSession session;
    try {
      Map<String, String> parameters = parameters(stream);
      AgentOptions options = AgentOptions.fromParameters(parameters);
      StreamParams params = params(context, stream, List.of(Track.INBOUND), true,
          RealtimeSession.encodingFor(options.audioFormat()), parameters);
      session = RealtimeSession.create(context.actor().getSystem(), settings.rtpHost(), realtime,
          params, options, new CallAgentActions(context.call(), webhooks, options.toolsUrl(),
              params), ticks, listener(context, stream), clock, agentLatency);
    } catch (IllegalArgumentException e) {
      LOG.warn("<Connect><Stream protocol=\"openai-realtime\"> refused: {}", e.getMessage());
      context.call().tell(new CallCommand.StreamClosed(Map.of("StreamError", e.getMessage())));
      return Delegation.NONE;
    }
    LOG.info("<Connect><Stream> {}: agent at {}://{}{}", session.params().streamSid(),
        stream.url().getScheme(), stream.url().getAuthority(), stream.url().getPath());
    return relayConnect(context, session);
  }

  private Delegation relayConnect(Context context, RelayedSession session) {
    long n = counter.incrementAndGet();
    String callSid = context.callSid();
    StreamRelay.Leg leg = new StreamRelay.Leg(Track.INBOUND, Optional.empty(), "in",
        callSid + "-br-stream-" + n, CallRouting.channelId(callSid, "em", n));
    return new StreamRelay(ari, session, context.channel(), List.of(leg),
        Optional.of(context.call())).start();
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
    return new StreamRelay(ari, session, context.channel(), legs, Optional.empty()).start();
  }

  private MediaStreamSession session(Context context, Stream stream, List<Track> tracks,
      boolean bidirectional) {
    StreamParams params = params(context, stream, tracks, bidirectional, encoding,
        parameters(stream));
    return MediaStreamSession.create(context.actor().getSystem(), settings, params, ticks,
        listener(context, stream), clock);
  }

  private StreamParams params(Context context, Stream stream, List<Track> tracks,
      boolean bidirectional, MediaEncoding encoding, Map<String, String> custom) {
    return new StreamParams(stream.url(), StreamParams.newStreamSid(),
        param(context, "AccountSid").orElse(""), context.callSid(), stream.name(), tracks, custom,
        bidirectional, encoding);
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

  private static Optional<String> param(Context context, String name) {
    return context.callParams().stream().filter(e -> e.getKey().equals(name))
        .map(Map.Entry::getValue).findFirst();
  }
}
