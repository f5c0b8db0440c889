package org.switchboard.http.stream;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.http.stream.StreamParams.Track;
import org.switchboard.http.stream.codec.AudioFormat;
import org.switchboard.http.stream.codec.FormatConverter;
import org.switchboard.http.stream.realtime.AgentActions;
import org.switchboard.http.stream.realtime.AgentLatency;
import org.switchboard.http.stream.realtime.AgentOptions;
import org.switchboard.http.stream.realtime.AgentPlayout;
import org.switchboard.http.stream.realtime.RealtimeEvents;
import org.switchboard.http.stream.realtime.RealtimeEvents.ServerEvent;
import org.switchboard.http.stream.realtime.RealtimeSettings;

/**
 * One {@code <Connect><Stream protocol="openai-realtime">}: Switchboard is the Realtime agent's
 * client. The caller's audio (RTP, or chan_websocket) is converted to the negotiated format (24
 * kHz pcm16, or µ-law passed through) and appended to the agent's input buffer; the agent's audio
 * deltas are converted back, queued in an {@link AgentPlayout} and sent toward Asterisk paced by a
 * {@link TickSource}.
 *
 * <p>Over RTP a frame leaves at each 20 ms tick and counts as heard when sent (Asterisk forwards
 * it at once). Over chan_websocket, which queues what it gets and plays it by its own timer, an
 * {@link AsteriskPlayout} keeps up to {@link #WEBSOCKET_WINDOW} frames in Asterisk's queue, each
 * behind a {@code MARK_MEDIA}, and a frame counts as heard when Asterisk reports its mark
 * processed.
 *
 * <p>Barge-in: on {@code input_audio_buffer.speech_started} the queued audio is dropped at once
 * (over chan_websocket with {@code FLUSH_MEDIA}, then {@code GET_STATUS} to close the count) and
 * {@code conversation.item.truncate} tells the agent how many milliseconds the caller heard;
 * late deltas of the cut item are ignored. DTMF goes to the agent as a user text item. Function
 * calls run through {@link AgentActions}: {@code hangup} (once the goodbye has played and had
 * {@link #HANGUP_GRACE_TICKS} ticks to reach the phone), {@code
 * transfer} (the call continues with the TwiML the tools URL answers) and the application's own
 * tools (their answer becomes the {@code function_call_output}).
 *
 * <p>Life as {@link MediaStreamSession}: {@link #start()}, then media until {@link #stop()}, the
 * agent closes the socket or it fails; {@link #completion()} then completes. Bad events are logged
 * and skipped, never fatal. All state is guarded by one lock; the sockets, ticks and the end
 * sequence are the {@link RelayTransport}'s (RTP, or chan_websocket toward Asterisk).
 */
public final class RealtimeSession implements RelayedSession {

  private static final Logger log = LoggerFactory.getLogger(RealtimeSession.class);
  private static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  /** Frames kept in chan_websocket's queue ({@link AsteriskPlayout#WINDOW}). */
  static final int WEBSOCKET_WINDOW = AsteriskPlayout.WINDOW;

  /**
   * Ticks (200 ms) between the goodbye's last frame leaving (over chan_websocket: being played)
   * and the hangup, for it to cross Asterisk and the phone's jitter buffer before the call ends.
   */
  static final int HANGUP_GRACE_TICKS = 10;

  private final ActorSystem<?> system;
  private final String rtpHost;
  private final RealtimeSettings settings;
  private final StreamParams params;
  private final AgentOptions options;
  private final AgentActions actions;
  private final AgentLatency latency;
  private final Object lock = new Object();
  private final RelayTransport transport;
  private final FormatConverter toAgent;
  private final FormatConverter toCaller;
  private final AgentPlayout playout;
  private final AsteriskPlayout<AgentPlayout.Frame> asteriskQueue;
  private final RelayDelays delays;
  private final Set<String> cutItems = new HashSet<>();
  private final Set<String> answeredResponses = new HashSet<>();
  private final Set<String> handledCalls = new HashSet<>();
  private long speechStoppedNanos;
  private long lastSentNanos;
  private long badEvents;
  private boolean hangUpWhenPlayed;
  private int ticksSincePlayed;

  private RealtimeSession(ActorSystem<?> system, String rtpHost, RealtimeSettings settings,
      StreamParams params, AgentOptions options, AgentActions actions, TickSource ticks,
      StreamListener listener, Clock clock, AgentLatency latency, RelayDelays delays) {
    this.system = system;
    this.delays = delays;
    this.rtpHost = rtpHost;
    this.settings = settings;
    this.params = params;
    this.options = options;
    this.actions = actions;
    this.latency = latency;
    this.transport = new RelayTransport(lock, system, params, "the agent at " + safeUrl(params),
        ticks, listener, clock, settings.webSocketClient());
    AudioFormat asterisk = params.asteriskFormat();
    AudioFormat agent = agentFormat(options.audioFormat());
    this.toAgent = new FormatConverter(asterisk, agent);
    this.toCaller = new FormatConverter(agent, asterisk);
    this.playout = new AgentPlayout(asterisk.frameBytes(), asterisk.frameBytes() / 20,
        asterisk.encoding() == AudioFormat.Encoding.MULAW ? (byte) 0xFF : 0,
        settings.maxQueuedFrames());
    this.asteriskQueue = new AsteriskPlayout<>(params.streamSid(), WEBSOCKET_WINDOW,
        params.encoding().frameBytes(),
        command -> transport.commandAsterisk(Track.INBOUND, command),
        new AsteriskPlayout.Frames<>() {
          @Override
          public AgentPlayout.Frame next(boolean padPartial) {
            return playout.pollUnheard(padPartial).orElse(null);
          }

          @Override
          public void send(AgentPlayout.Frame frame) {
            RealtimeSession.this.send(frame);
          }

          @Override
          public void played(AgentPlayout.Frame frame) {
            playout.heard(frame.itemId(), frame.realBytes());
          }
        });
  }

  /**
   * A session for {@code params} (its encoding from {@link #encodingFor}); nothing happens until
   * {@link #start()}.
   */
  public static RealtimeSession create(ActorSystem<?> system, String rtpHost,
      RealtimeSettings settings, StreamParams params, AgentOptions options, AgentActions actions,
      TickSource ticks, StreamListener listener, Clock clock, AgentLatency latency) {
    return create(system, rtpHost, settings, params, options, actions, ticks, listener, clock,
        latency, RelayDelays.NONE);
  }

  /**
   * As above; {@code delays} gets each frame's time inside Switchboard: inbound from the caller's
   * packet (or media message) arriving to its {@code input_audio_buffer.append} handed to the
   * agent's socket, outbound from the delta arriving to the frame leaving toward Asterisk
   * (including its wait for a playout slot).
   */
  public static RealtimeSession create(ActorSystem<?> system, String rtpHost,
      RealtimeSettings settings, StreamParams params, AgentOptions options, AgentActions actions,
      TickSource ticks, StreamListener listener, Clock clock, AgentLatency latency,
      RelayDelays delays) {
    return new RealtimeSession(system, rtpHost, settings, params, options, actions, ticks,
        listener, clock, latency, delays);
  }

  /**
   * The ExternalMedia format for an agent format. Over RTP µ-law for both: Asterisk 22 drops
   * slin16 RTP sent to an ExternalMedia channel (no receive mapping for its payload type 118,
   * docs/agents.md), so pcm16 is converted from and to 8 kHz µ-law. Over chan_websocket, which plays slin16, a pcm16
   * agent gets 16 kHz linear audio: no companding, and a 16 → 24 kHz resampling that keeps the
   * caller's upper band.
   */
  public static MediaEncoding encodingFor(AgentOptions.AudioFormat format,
      StreamParams.Transport transport) {
    return format == AgentOptions.AudioFormat.PCM16 && transport == StreamParams.Transport.WEBSOCKET
        ? MediaEncoding.SLIN16 : MediaEncoding.ULAW;
  }

  /** The audio format on the agent's socket. */
  public static AudioFormat agentFormat(AgentOptions.AudioFormat format) {
    return format == AgentOptions.AudioFormat.PCM16 ? AudioFormat.PCM16_24K : AudioFormat.MULAW_8K;
  }

  @Override
  public StreamParams params() {
    return params;
  }

  /**
   * Binds the RTP socket (unless the media comes over chan_websocket), connects to the agent
   * (with the configured API key) and sends {@code session.update}. Completes with the local RTP
   * address, or fails (the session then ends with an error).
   */
  @Override
  public CompletionStage<Map<Track, InetSocketAddress>> start() {
    CompletableFuture<Map<Track, InetSocketAddress>> bound;
    synchronized (lock) {
      bound = transport.bind(rtpHost, (track, packet) -> onCallerAudio(packet.payload()));
    }
    if (bound.isCompletedExceptionally()) {
      return bound;
    }
    AppSocket agent = AppSocket.connector(settings.webSocketClient(), headers())
        .connect(system, params.url(), this::onAgentText, delays);
    return transport.open(agent,
        settings.connectTimeout(), () -> {
          transport.offer(RealtimeEvents.sessionUpdate(options, settings.sessionShape()), 0);
          transport.startTicks(this::onTick);
          log.info("stream {}: agent at {} connected ({}, {} tools)", params.streamSid(),
              safeUrl(params), options.audioFormat().wire(), options.tools().size());
          return bound.join();
        });
  }

  private Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    if (!settings.apiKey().isEmpty()) {
      headers.put("Authorization", "Bearer " + settings.apiKey());
    }
    if (settings.betaHeader()) {
      headers.put("OpenAI-Beta", "realtime=v1");
    }
    return headers;
  }

  /** Forwards a caller's key press to the agent as a user text item, and asks it to answer. */
  @Override
  public void dtmf(char digit) {
    synchronized (lock) {
      if (transport.streaming()) {
        transport.offer(RealtimeEvents.userText("DTMF: " + digit), 0);
        transport.offer(RealtimeEvents.responseCreate(), 0);
      }
    }
  }

  @Override
  public void asteriskAddress(Track track, InetSocketAddress address) {
    synchronized (lock) {
      transport.presetRemote(track, address);
    }
  }

  /** The caller's audio over chan_websocket rather than RTP, and chan_websocket's events. */
  @Override
  public CompletionStage<Void> connectAsterisk(Track track, java.net.URI uri) {
    synchronized (lock) {
      return transport.connectAsterisk(track, uri, this::onCallerAudio, this::onAsteriskEvent);
    }
  }

  @Override
  public CompletionStage<StreamEnd> fail(String error) {
    synchronized (lock) {
      transport.end(StreamEnd.Reason.ERROR, error);
    }
    return transport.completion();
  }

  @Override
  public CompletionStage<StreamEnd> stop() {
    synchronized (lock) {
      transport.end(StreamEnd.Reason.STOPPED, null);
    }
    return transport.completion();
  }

  @Override
  public CompletionStage<StreamEnd> completion() {
    return transport.completion();
  }

  /** Frames of agent audio waiting to be sent. */
  public int queuedFrames() {
    synchronized (lock) {
      return playout.frames();
    }
  }

  /** Frames sent over chan_websocket that Asterisk has not reported played yet. */
  public int unplayedFrames() {
    synchronized (lock) {
      return asteriskQueue.unplayed();
    }
  }

  /** True once the agent asked to hang up, until the goodbye has played. */
  boolean hangUpPending() {
    synchronized (lock) {
      return hangUpWhenPlayed;
    }
  }

  /** The caller's audio in the ExternalMedia format (an RTP payload or a media message). */
  private void onCallerAudio(byte[] audio) {
    long arrived = System.nanoTime();
    synchronized (lock) {
      if (transport.streaming()) {
        transport.offer(RealtimeEvents.append(toAgent.isIdentity() ? audio : toAgent.convert(audio)),
            arrived);
      }
    }
  }

  private void onTick() {
    synchronized (lock) {
      if (!transport.streaming()) {
        return;
      }
      boolean connected = transport.canSendToAsterisk(Track.INBOUND);
      if (paced()) {
        asteriskQueue.tick();
      }
      boolean played = playout.isEmpty() && asteriskQueue.unplayed() == 0;
      ticksSincePlayed = played ? ticksSincePlayed + 1 : 0;
      if (hangUpWhenPlayed && (ticksSincePlayed > HANGUP_GRACE_TICKS || !connected)) {
        hangUpWhenPlayed = false;
        actions.hangUp("the agent hung up");
        return;
      }
      if (!connected) {
        return;
      }
      if (paced()) {
        asteriskQueue.fill(true);
      } else {
        sendFrame();
      }
    }
  }

  /** True when the media goes over chan_websocket and Asterisk reports what it played. */
  private boolean paced() {
    return transport.overWebSocket(Track.INBOUND) && !asteriskQueue.marksUnsupported();
  }

  /** Caller holds the lock. Sends the next frame, counted as heard (RTP). */
  private void sendFrame() {
    playout.poll().ifPresent(this::send);
  }

  /** Caller holds the lock. */
  private void send(AgentPlayout.Frame frame) {
    transport.sendToAsterisk(Track.INBOUND, frame.audio());
    long now = System.nanoTime();
    lastSentNanos = now;
    delays.observe(RelayDelays.Direction.OUTBOUND, now - frame.receivedNanos());
    if (frame.firstOfItem()) {
      latency.playout(now - frame.receivedNanos());
    }
  }

  /** A chan_websocket control event, for the pacing ({@link AsteriskPlayout#onEvent}). */
  private void onAsteriskEvent(String event) {
    synchronized (lock) {
      if (transport.state() != RelayTransport.State.ENDED) {
        asteriskQueue.onEvent(event);
      }
    }
  }

  /** Caller holds the lock. The flush is over: truncate {@code cut} at what Asterisk played. */
  private void truncatePlayed(String cut) {
    long heardMs = playout.heardMs(cut);
    transport.offer(RealtimeEvents.truncate(cut, heardMs), 0);
    log.debug("stream {}: barge-in, item {} cut after {} ms played", params.streamSid(), cut,
        heardMs);
  }

  private void onAgentText(String text) {
    ServerEvent event;
    try {
      event = RealtimeEvents.parse(text);
    } catch (IllegalArgumentException e) {
      if (badEvents++ % 100 == 0) {
        log.warn("stream {}: ignoring a bad event from the agent ({} so far): {}",
            params.streamSid(), badEvents, e.getMessage());
      }
      return;
    }
    synchronized (lock) {
      if (transport.streaming()) {
        onEvent(event);
      }
    }
  }

  /** Caller holds the lock. */
  private void onEvent(ServerEvent event) {
    if (event instanceof RealtimeEvents.AudioDelta delta) {
      onAudio(delta);
    } else if (event instanceof RealtimeEvents.SpeechStarted) {
      bargeIn();
    } else if (event instanceof RealtimeEvents.SpeechStopped) {
      speechStoppedNanos = System.nanoTime();
    } else if (event instanceof RealtimeEvents.FunctionCall call) {
      if (handledCalls.add(call.callId())) {
        onFunctionCall(call);
      }
    } else if (event instanceof RealtimeEvents.Failure failure) {
      log.warn("stream {}: the agent reported an error: {} {} {}", params.streamSid(),
          failure.errorType(), failure.code(), failure.message());
    } else if (event instanceof RealtimeEvents.SessionReady ready) {
      log.debug("stream {}: {}", params.streamSid(), ready.type());
    }
  }

  /** Caller holds the lock. */
  private void onAudio(RealtimeEvents.AudioDelta delta) {
    if (cutItems.contains(delta.itemId())) {
      return;
    }
    long now = System.nanoTime();
    if (answeredResponses.add(delta.responseId() + "/" + delta.itemId())
        && speechStoppedNanos != 0) {
      latency.response(now - speechStoppedNanos);
      speechStoppedNanos = 0;
    }
    boolean idle = playout.isEmpty();
    playout.add(delta.itemId(), toCaller.convert(delta.audio()), now);
    if (!transport.canSendToAsterisk(Track.INBOUND)) {
      return;
    }
    if (paced()) {
      asteriskQueue.fill(false);
    } else if (idle && now - lastSentNanos >= FRAME_NANOS && playout.frames() > 0) {
      // Audio after silence leaves at once rather than at the next tick, unless that would run
      // ahead of real time.
      sendFrame();
    }
  }

  /** Caller holds the lock. */
  private void bargeIn() {
    if (!paced()) {
      if (transport.overWebSocket(Track.INBOUND)) {
        asteriskQueue.drop();
      }
      playout.clear().ifPresent(cut -> {
        cutItems.add(cut.itemId());
        transport.offer(RealtimeEvents.truncate(cut.itemId(), cut.audioEndMs()), 0);
        log.debug("stream {}: barge-in, item {} cut after {} ms", params.streamSid(),
            cut.itemId(), cut.audioEndMs());
      });
      return;
    }
    Optional<String> queued = playout.dropQueued();
    queued.ifPresent(cutItems::add);
    Optional<String> cut =
        asteriskQueue.playing().map(AgentPlayout.Frame::itemId).or(() -> queued);
    if (cut.isEmpty() || asteriskQueue.flushing()) {
      return;
    }
    cutItems.add(cut.get());
    if (asteriskQueue.unplayed() == 0) {
      transport.offer(RealtimeEvents.truncate(cut.get(), playout.heardMs(cut.get())), 0);
      return;
    }
    String item = cut.get();
    asteriskQueue.flush(() -> truncatePlayed(item));
  }

  /** Caller holds the lock. */
  private void onFunctionCall(RealtimeEvents.FunctionCall call) {
    log.info("stream {}: the agent calls {}", params.streamSid(), call.name());
    if (call.name().equals(AgentOptions.HANGUP)) {
      hangUpWhenPlayed = true;
      return;
    }
    boolean known = options.tools().stream().anyMatch(t -> t.name().equals(call.name()));
    if (!known || options.toolsUrl().isEmpty()) {
      answer(call, "{\"error\":\"no such tool: " + call.name().replace("\"", "") + "\"}");
      return;
    }
    actions.callTool(call.name(), call.callId(), call.arguments()).whenComplete((body, error) -> {
      synchronized (lock) {
        if (!transport.streaming()) {
          return;
        }
        if (error != null) {
          log.warn("stream {}: tool {} failed: {}", params.streamSid(), call.name(),
              RelayTransport.describe(error));
          answer(call, "{\"error\":\"the tool failed\"}");
        } else if (call.name().equals(AgentOptions.TRANSFER)) {
          actions.continueWith(body);
        } else {
          answer(call, body);
        }
      }
    });
  }

  /** Caller holds the lock. */
  private void answer(RealtimeEvents.FunctionCall call, String output) {
    transport.offer(RealtimeEvents.functionOutput(call.callId(), output), 0);
    transport.offer(RealtimeEvents.responseCreate(), 0);
  }

  /** The agent's URL without its query (which may carry a model name, never a key). */
  private static String safeUrl(StreamParams params) {
    return params.url().getScheme() + "://" + params.url().getAuthority() + params.url().getPath();
  }
}
