package org.switchboard.http.stream;

import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.Failures;
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
 * client. The caller's RTP is converted to the negotiated format (24 kHz pcm16, or µ-law passed
 * through) and appended to the agent's input buffer; the agent's audio deltas are converted back,
 * queued in an {@link AgentPlayout} and sent as RTP paced by a {@link TickSource}.
 *
 * <p>Barge-in: on {@code input_audio_buffer.speech_started} the queued audio is dropped at once
 * and {@code conversation.item.truncate} tells the agent how many milliseconds the caller heard;
 * late deltas of the cut item are ignored. DTMF goes to the agent as a user text item. Function
 * calls run through {@link AgentActions}: {@code hangup} (once the goodbye has played), {@code
 * transfer} (the call continues with the TwiML the tools URL answers) and the application's own
 * tools (their answer becomes the {@code function_call_output}).
 *
 * <p>Life as {@link MediaStreamSession}: {@link #start()}, then media until {@link #stop()}, the
 * agent closes the socket or it fails; {@link #completion()} then completes. Bad events are logged
 * and skipped, never fatal. All state is guarded by one lock.
 */
public final class RealtimeSession implements RelayedSession {

  private static final Logger log = LoggerFactory.getLogger(RealtimeSession.class);
  private static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private enum State { NEW, STARTING, STREAMING, ENDED }

  private final ActorSystem<?> system;
  private final String rtpHost;
  private final RealtimeSettings settings;
  private final StreamParams params;
  private final AgentOptions options;
  private final AgentActions actions;
  private final TickSource ticks;
  private final StreamListener listener;
  private final Clock clock;
  private final AgentLatency latency;
  private final Object lock = new Object();
  private final FormatConverter toAgent;
  private final FormatConverter toCaller;
  private final AgentPlayout playout;
  private final Set<String> cutItems = new HashSet<>();
  private final Set<String> answeredResponses = new HashSet<>();
  private final Set<String> handledCalls = new HashSet<>();
  private final CompletableFuture<StreamEnd> completion = new CompletableFuture<>();
  private RtpEndpoint endpoint;
  private BoundedSourceQueue<AppSocket.Outgoing> toAgentSocket;
  private AutoCloseable tickHandle;
  private long speechStoppedNanos;
  private long lastSentNanos;
  private long droppedMessages;
  private long badEvents;
  private boolean hangUpWhenPlayed;
  private boolean warnedPayloadType;
  private State state = State.NEW;

  private RealtimeSession(ActorSystem<?> system, String rtpHost, RealtimeSettings settings,
      StreamParams params, AgentOptions options, AgentActions actions, TickSource ticks,
      StreamListener listener, Clock clock, AgentLatency latency) {
    this.system = system;
    this.rtpHost = rtpHost;
    this.settings = settings;
    this.params = params;
    this.options = options;
    this.actions = actions;
    this.ticks = ticks;
    this.listener = listener;
    this.clock = clock;
    this.latency = latency;
    AudioFormat asterisk = asteriskFormat(params.encoding());
    AudioFormat agent = options.audioFormat() == AgentOptions.AudioFormat.PCM16
        ? AudioFormat.PCM16_24K : AudioFormat.MULAW_8K;
    this.toAgent = new FormatConverter(asterisk, agent);
    this.toCaller = new FormatConverter(agent, asterisk);
    MediaEncoding encoding = params.encoding();
    this.playout = new AgentPlayout(encoding.frameBytes(), encoding.frameBytes() / 20,
        encoding == MediaEncoding.ULAW ? (byte) 0xFF : 0, settings.maxQueuedFrames());
  }

  /**
   * A session for {@code params} (its encoding from {@link #encodingFor}); nothing happens until
   * {@link #start()}.
   */
  public static RealtimeSession create(ActorSystem<?> system, String rtpHost,
      RealtimeSettings settings, StreamParams params, AgentOptions options, AgentActions actions,
      TickSource ticks, StreamListener listener, Clock clock, AgentLatency latency) {
    return new RealtimeSession(system, rtpHost, settings, params, options, actions, ticks,
        listener, clock, latency);
  }

  /**
   * The ExternalMedia format for an agent format: µ-law for both. Asterisk 22 played slin16 RTP
   * sent back to an ExternalMedia channel as silence (RealtimeAgentOnAsteriskTest), so pcm16 is
   * converted from and to 8 kHz µ-law.
   */
  public static MediaEncoding encodingFor(AgentOptions.AudioFormat format) {
    return MediaEncoding.ULAW;
  }

  private static AudioFormat asteriskFormat(MediaEncoding encoding) {
    return encoding == MediaEncoding.ULAW ? AudioFormat.MULAW_8K : AudioFormat.L16_16K;
  }

  @Override
  public StreamParams params() {
    return params;
  }

  /**
   * Binds the RTP socket, connects to the agent (with the configured API key) and sends
   * {@code session.update}. Completes with the local RTP address, or fails (the session then ends
   * with an error).
   */
  @Override
  public CompletionStage<Map<Track, InetSocketAddress>> start() {
    synchronized (lock) {
      if (state != State.NEW) {
        return CompletableFuture.failedFuture(new IllegalStateException("agent already started"));
      }
      state = State.STARTING;
      try {
        endpoint = new RtpEndpoint(rtpHost, params.streamSid() + "-agent", this::onRtp);
      } catch (SocketException e) {
        String error = "cannot bind RTP socket on " + rtpHost + ": " + e.getMessage();
        end(StreamEnd.Reason.ERROR, error);
        return CompletableFuture.failedFuture(new IllegalStateException(error, e));
      }
    }
    InetSocketAddress local = endpoint.local();
    AppSocket socket = AppSocket.connect(system, request(), this::onAgentText);
    synchronized (lock) {
      toAgentSocket = socket.out();
      if (state == State.ENDED) {
        toAgentSocket.complete();
      }
    }
    socket.closed().whenComplete((done, error) -> onSocketClosed(error));
    return socket.upgrade().toCompletableFuture()
        .orTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .handle((upgrade, error) -> {
          String failure = error != null ? describe(error)
              : upgrade.response().status().intValue() != 101
                  ? "the agent refused the WebSocket: " + upgrade.response().status() : null;
          if (failure != null) {
            String message = "cannot connect to the agent at " + safeUrl() + ": " + failure;
            synchronized (lock) {
              end(StreamEnd.Reason.ERROR, message);
            }
            throw new CompletionException(new IllegalStateException(message));
          }
          synchronized (lock) {
            if (state != State.STARTING) {
              throw new CompletionException(new IllegalStateException("stream stopped while connecting"));
            }
            state = State.STREAMING;
            send(RealtimeEvents.sessionUpdate(options));
            tickHandle = ticks.subscribe(this::onTick);
            fire(StreamEvent.Type.STARTED, Optional.empty());
          }
          log.info("stream {}: agent at {} connected ({}, {} tools)", params.streamSid(),
              safeUrl(), options.audioFormat().wire(), options.tools().size());
          return Map.of(Track.INBOUND, local);
        });
  }

  private WebSocketRequest request() {
    WebSocketRequest request = WebSocketRequest.create(params.url().toString());
    if (!settings.apiKey().isEmpty()) {
      request = request.addHeader(HttpHeader.parse("Authorization", "Bearer " + settings.apiKey()));
    }
    if (settings.betaHeader()) {
      request = request.addHeader(HttpHeader.parse("OpenAI-Beta", "realtime=v1"));
    }
    return request;
  }

  /** Forwards a caller's key press to the agent as a user text item, and asks it to answer. */
  @Override
  public void dtmf(char digit) {
    synchronized (lock) {
      if (state == State.STREAMING) {
        send(RealtimeEvents.userText("DTMF: " + digit));
        send(RealtimeEvents.responseCreate());
      }
    }
  }

  @Override
  public void asteriskAddress(Track track, InetSocketAddress address) {
    synchronized (lock) {
      if (endpoint != null && track == Track.INBOUND) {
        endpoint.presetRemote(address);
      }
    }
  }

  @Override
  public CompletionStage<StreamEnd> fail(String error) {
    synchronized (lock) {
      end(StreamEnd.Reason.ERROR, error);
    }
    return completion;
  }

  @Override
  public CompletionStage<StreamEnd> stop() {
    synchronized (lock) {
      end(StreamEnd.Reason.STOPPED, null);
    }
    return completion;
  }

  @Override
  public CompletionStage<StreamEnd> completion() {
    return completion;
  }

  /** Frames of agent audio waiting to be played. */
  public int queuedFrames() {
    synchronized (lock) {
      return playout.frames();
    }
  }

  /** True once the agent asked to hang up, until the goodbye has played. */
  boolean hangUpPending() {
    synchronized (lock) {
      return hangUpWhenPlayed;
    }
  }

  private void onRtp(RtpPacket packet) {
    synchronized (lock) {
      if (state != State.STREAMING) {
        return;
      }
      if (packet.payloadType() != params.encoding().payloadType()) {
        if (!warnedPayloadType) {
          warnedPayloadType = true;
          log.warn("stream {}: dropping RTP payload type {} (expected {} for {})",
              params.streamSid(), packet.payloadType(), params.encoding().payloadType(),
              params.encoding());
        }
        return;
      }
      send(RealtimeEvents.append(toAgent.convert(packet.payload())));
    }
  }

  private void onTick() {
    synchronized (lock) {
      if (state != State.STREAMING) {
        return;
      }
      if (hangUpWhenPlayed && (playout.isEmpty() || !endpoint.hasRemote())) {
        hangUpWhenPlayed = false;
        actions.hangUp("the agent hung up");
        return;
      }
      if (endpoint.hasRemote()) {
        sendFrame();
      }
    }
  }

  /** Caller holds the lock. */
  private void sendFrame() {
    playout.poll().ifPresent(frame -> {
      MediaEncoding encoding = params.encoding();
      endpoint.send(encoding.payloadType(), frame.audio(), encoding.frameSamples());
      long now = System.nanoTime();
      lastSentNanos = now;
      if (frame.firstOfItem()) {
        latency.playout(now - frame.receivedNanos());
      }
    });
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
      if (state == State.STREAMING) {
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
    // Audio after silence leaves at once rather than at the next tick, unless that would run
    // ahead of real time.
    if (idle && endpoint.hasRemote() && now - lastSentNanos >= FRAME_NANOS
        && playout.frames() > 0) {
      sendFrame();
    }
  }

  /** Caller holds the lock. */
  private void bargeIn() {
    playout.clear().ifPresent(cut -> {
      cutItems.add(cut.itemId());
      send(RealtimeEvents.truncate(cut.itemId(), cut.audioEndMs()));
      log.debug("stream {}: barge-in, item {} cut after {} ms", params.streamSid(),
          cut.itemId(), cut.audioEndMs());
    });
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
        if (state != State.STREAMING) {
          return;
        }
        if (error != null) {
          log.warn("stream {}: tool {} failed: {}", params.streamSid(), call.name(),
              describe(error));
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
    send(RealtimeEvents.functionOutput(call.callId(), output));
    send(RealtimeEvents.responseCreate());
  }

  private void onSocketClosed(Throwable error) {
    synchronized (lock) {
      if (error == null) {
        end(StreamEnd.Reason.APP_CLOSED, null);
      } else {
        end(StreamEnd.Reason.ERROR, "the agent's WebSocket failed: " + describe(error));
      }
    }
  }

  /** Caller holds the lock. */
  private void send(String text) {
    QueueOfferResult result = toAgentSocket.offer(new AppSocket.Outgoing(TextMessage.create(text), 0));
    if (result != QueueOfferResult.enqueued() && droppedMessages++ % 500 == 0) {
      log.warn("stream {}: the agent is not reading; dropped {} event(s) ({})",
          params.streamSid(), droppedMessages, result);
    }
  }

  /** Caller holds the lock. */
  private void end(StreamEnd.Reason reason, String error) {
    if (state == State.ENDED) {
      return;
    }
    boolean wasStreaming = state == State.STREAMING;
    state = State.ENDED;
    if (tickHandle != null) {
      try {
        tickHandle.close();
      } catch (Exception e) {
        log.debug("closing tick subscription failed", e);
      }
    }
    if (toAgentSocket != null) {
      toAgentSocket.complete();
    }
    if (reason == StreamEnd.Reason.ERROR) {
      log.warn("stream {} (agent) failed: {}", params.streamSid(), error);
      fire(StreamEvent.Type.ERROR, Optional.of(error));
    } else {
      log.info("stream {} (agent) ended: {}", params.streamSid(), reason);
      if (wasStreaming) {
        fire(StreamEvent.Type.STOPPED, Optional.empty());
      }
    }
    StreamEnd result = new StreamEnd(reason, Optional.ofNullable(error));
    if (endpoint == null) {
      completion.complete(result);
      return;
    }
    endpoint.close();
    endpoint.released().whenComplete((released, failure) -> completion.complete(result));
  }

  private void fire(StreamEvent.Type type, Optional<String> error) {
    StreamEvent event = new StreamEvent(type, params.streamSid(), params.streamName(), error,
        clock.instant());
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      log.warn("stream listener failed on {}", type, e);
    }
  }

  /** The agent's URL without its query (which may carry a model name, never a key). */
  private String safeUrl() {
    return params.url().getScheme() + "://" + params.url().getAuthority() + params.url().getPath();
  }

  private static String describe(Throwable error) {
    Throwable e = Failures.cause(error);
    return e instanceof java.util.concurrent.TimeoutException ? "timed out" : e.toString();
  }
}
