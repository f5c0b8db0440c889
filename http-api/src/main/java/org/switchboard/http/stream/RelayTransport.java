package org.switchboard.http.stream;

import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.Failures;
import org.switchboard.http.stream.StreamParams.Track;

/**
 * The plumbing every {@link RelayedSession} shares, whatever it speaks on its far socket: the
 * session's life ({@link State}), the far WebSocket (application or agent) with its bounded
 * outbox and dropped-message count, the Asterisk side of each track (an RTP socket, or a
 * chan_websocket connection), the 20 ms tick subscription, the status events, and the end
 * sequence (tick, sockets and outbox closed, stream-stopped or stream-error, completion once the
 * RTP ports are free).
 *
 * <p>Not thread-safe by itself: every method is called holding the session's lock, which the
 * transport takes itself only for the callbacks of its sockets (far socket closed, upgrade
 * answered, Asterisk's media socket closed).
 */
final class RelayTransport {

  private static final Logger log = LoggerFactory.getLogger(RelayTransport.class);

  /** The system property that puts chan_websocket's media sockets on the JDK's client too. */
  static final String JDK_MEDIA = "switchboard.audio.stream.websocket-media-jdk";

  /** A session's life: {@code NEW → STARTING → STREAMING → ENDED}, or straight to ENDED. */
  enum State { NEW, STARTING, STREAMING, ENDED }

  private final Object lock;
  private final ActorSystem<?> system;
  private final StreamParams params;
  private final String target;
  private final TickSource ticks;
  private final StreamListener listener;
  private final Clock clock;
  private final Map<Track, RtpEndpoint> endpoints = new EnumMap<>(Track.class);
  private final Map<Track, AsteriskMediaSocket> asteriskSockets = new EnumMap<>(Track.class);
  private final Set<Track> warnedPayloadType = EnumSet.noneOf(Track.class);
  private final CompletableFuture<StreamEnd> completion = new CompletableFuture<>();
  private final WebSocketClient client;
  private AppSocket outbox;
  private AutoCloseable tickHandle;
  private long droppedMessages;
  private long droppedAudio;
  private State state = State.NEW;

  /**
   * The transport of the session whose state {@code lock} guards.
   *
   * @param target how log lines and errors name the far side (a URL without secrets)
   * @param client the WebSocket client of chan_websocket's media sockets
   */
  RelayTransport(Object lock, ActorSystem<?> system, StreamParams params, String target,
      TickSource ticks, StreamListener listener, Clock clock, WebSocketClient client) {
    this.lock = lock;
    this.client = client;
    this.system = system;
    this.params = params;
    this.target = target;
    this.ticks = ticks;
    this.listener = listener;
    this.clock = clock;
  }

  State state() {
    return state;
  }

  boolean streaming() {
    return state == State.STREAMING;
  }

  /**
   * {@code NEW → STARTING}: binds the RTP socket of each track on {@code host} (none over
   * chan_websocket) and returns their addresses (ExternalMedia's {@code external_host}); {@code
   * onRtp} gets each packet of the stream's payload type (others are dropped, the first one
   * logged), on the RTP reader thread, without the lock. Fails when the session had already
   * started, or (ending it with an error) when a socket cannot be bound.
   */
  CompletableFuture<Map<Track, InetSocketAddress>> bind(String host,
      BiConsumer<Track, RtpPacket> onRtp) {
    if (state != State.NEW) {
      return CompletableFuture.failedFuture(new IllegalStateException("stream already started"));
    }
    state = State.STARTING;
    Map<Track, InetSocketAddress> addresses = new EnumMap<>(Track.class);
    if (params.transport() == StreamParams.Transport.RTP) {
      try {
        for (Track track : params.tracks()) {
          addresses.put(track, bindRtp(host, track, packet -> onRtp.accept(track, packet)));
        }
      } catch (SocketException e) {
        String error = "cannot bind RTP socket on " + host + ": " + e.getMessage();
        end(StreamEnd.Reason.ERROR, error);
        return CompletableFuture.failedFuture(new IllegalStateException(error, e));
      }
    }
    return CompletableFuture.completedFuture(Collections.unmodifiableMap(addresses));
  }

  /** Completes when the session has ended, however it ended. */
  CompletionStage<StreamEnd> completion() {
    return completion;
  }

  private InetSocketAddress bindRtp(String host, Track track, Consumer<RtpPacket> handler)
      throws SocketException {
    MediaEncoding encoding = params.encoding();
    RtpEndpoint endpoint = new RtpEndpoint(host, packet -> {
      if (packet.payloadType() == encoding.payloadType()) {
        handler.accept(packet);
      } else {
        warnPayloadType(track, packet.payloadType());
      }
    });
    endpoints.put(track, endpoint);
    return endpoint.local();
  }

  private void warnPayloadType(Track track, int payloadType) {
    synchronized (lock) {
      if (warnedPayloadType.add(track)) {
        log.warn("stream {}: dropping RTP payload type {} (expected {} for {})",
            params.streamSid(), payloadType, params.encoding().payloadType(), params.encoding());
      }
    }
  }

  /** Where Asterisk's RTP socket for {@code track} is, before its first packet. */
  void presetRemote(Track track, InetSocketAddress address) {
    RtpEndpoint endpoint = endpoints.get(track);
    if (endpoint != null) {
      endpoint.presetRemote(address);
    }
  }

  /**
   * Connects {@code track} to its ExternalMedia channel over chan_websocket at {@code uri};
   * {@code onAudio} gets each binary message (without the lock). Completes once the socket is
   * open; Asterisk closing it ends the session with an error.
   */
  CompletionStage<Void> connectAsterisk(Track track, URI uri, Consumer<byte[]> onAudio) {
    return connectAsterisk(track, uri, onAudio,
        event -> log.debug("stream {}: Asterisk says {}", params.streamSid(), event));
  }

  /**
   * As {@link #connectAsterisk(Track, URI, Consumer)}; {@code onEvent} gets each of
   * chan_websocket's control events (TEXT messages, without the lock).
   */
  CompletionStage<Void> connectAsterisk(Track track, URI uri, Consumer<byte[]> onAudio,
      Consumer<String> onEvent) {
    if (state == State.ENDED || !params.tracks().contains(track)) {
      return CompletableFuture.failedFuture(new IllegalStateException("stream ended"));
    }
    // chan_websocket stays on Pekko's client unless asked: on the JDK's the upgrade completes
    // sooner, and the bridge's addChannel that follows it raced the channel's entry into Stasis on
    // a real Asterisk (422 "Channel not in Stasis application"); addChannel must wait for the
    // channel's StasisStart before the JDK client can be the default here.
    WebSocketClient media = client == WebSocketClient.JDK && Boolean.getBoolean(JDK_MEDIA)
        ? WebSocketClient.JDK : WebSocketClient.PEKKO;
    AsteriskMediaSocket socket =
        AsteriskMediaSocket.connect(media, system, uri, onAudio, onEvent);
    asteriskSockets.put(track, socket);
    socket.closed().whenComplete((done, error) -> {
      synchronized (lock) {
        if (state != State.ENDED) {
          end(StreamEnd.Reason.ERROR, "Asterisk closed the media WebSocket "
              + (error == null ? "" : describe(error)));
        }
      }
    });
    return socket.opened().exceptionally(error -> {
      throw new CompletionException(Failures.cause(error) instanceof AppSocket.UpgradeRefused r
          ? new IllegalStateException("media WebSocket " + uri + ": " + r.getMessage(), r)
          : Failures.cause(error));
    });
  }

  /** True once audio for {@code track} has somewhere to go: a media socket, or a known RTP peer. */
  boolean canSendToAsterisk(Track track) {
    if (asteriskSockets.containsKey(track)) {
      return true;
    }
    RtpEndpoint endpoint = endpoints.get(track);
    return endpoint != null && endpoint.hasRemote();
  }

  /** True when {@code track}'s media goes over a chan_websocket connection. */
  boolean overWebSocket(Track track) {
    return asteriskSockets.containsKey(track);
  }

  /**
   * Sends a chan_websocket control command (e.g. {@code FLUSH_MEDIA}) on {@code track}'s media
   * socket, in order with its audio; ignored over RTP.
   */
  void commandAsterisk(Track track, String command) {
    AsteriskMediaSocket socket = asteriskSockets.get(track);
    if (socket != null && !socket.sendText(command) && droppedAudio++ % 500 == 0) {
      log.warn("stream {}: Asterisk's media socket is not reading; dropped {} message(s)",
          params.streamSid(), droppedAudio);
    }
  }

  /** Sends one 20 ms frame toward Asterisk on {@code track}, if it has somewhere to go. */
  void sendToAsterisk(Track track, byte[] frame) {
    AsteriskMediaSocket socket = asteriskSockets.get(track);
    if (socket != null) {
      if (!socket.send(frame) && droppedAudio++ % 500 == 0) {
        log.warn("stream {}: Asterisk's media socket is not reading; dropped {} frame(s)",
            params.streamSid(), droppedAudio);
      }
      return;
    }
    RtpEndpoint endpoint = endpoints.get(track);
    if (endpoint != null) {
      MediaEncoding encoding = params.encoding();
      endpoint.send(encoding.payloadType(), frame, encoding.frameSamples());
    }
  }

  /**
   * Opens the far side: its outbox takes messages from now on. When the upgrade succeeds within
   * {@code timeout} the session is STREAMING, {@code onOpen} runs (under the lock) and
   * stream-started is reported; a refusal or a timeout ends the session with an error and fails
   * the returned stage. The socket closing later ends the session.
   */
  <T> CompletionStage<T> open(AppSocket socket, Duration timeout, Supplier<T> onOpen) {
    synchronized (lock) {
      outbox = socket;
      if (state == State.ENDED) {
        outbox.close();
      }
    }
    socket.closed().whenComplete((done, error) -> {
      synchronized (lock) {
        if (error == null) {
          end(StreamEnd.Reason.APP_CLOSED, null);
        } else {
          end(StreamEnd.Reason.ERROR, "WebSocket to " + target + " failed: " + describe(error));
        }
      }
    });
    return socket.opened().toCompletableFuture()
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle((upgraded, error) -> {
          String failure = error == null ? null
              : Failures.cause(error) instanceof AppSocket.UpgradeRefused refused
                  ? refused.getMessage() : describe(error);
          synchronized (lock) {
            if (failure != null) {
              String message = "cannot connect to " + target + ": " + failure;
              end(StreamEnd.Reason.ERROR, message);
              throw new CompletionException(new IllegalStateException(message));
            }
            if (state != State.STARTING) {
              throw new CompletionException(
                  new IllegalStateException("stream stopped while connecting"));
            }
            state = State.STREAMING;
            T opened = onOpen.get();
            fire(StreamEvent.Type.STARTED, Optional.empty());
            return opened;
          }
        });
  }

  /**
   * Queues a text message for the far side; {@code arrivedNanos} is the inbound frame's arrival
   * ({@link RelayDelays}), or 0. A full outbox drops it (every 500th drop is logged).
   */
  void offer(String text, long arrivedNanos) {
    if (!outbox.offer(text, arrivedNanos) && droppedMessages++ % 500 == 0) {
      log.warn("stream {}: {} is not reading or closing; dropped {} message(s)",
          params.streamSid(), target, droppedMessages);
    }
  }

  /** Calls {@code onTick} every 20 ms until the session ends. */
  void startTicks(Runnable onTick) {
    tickHandle = ticks.subscribe(onTick);
  }

  /**
   * Ends the session: stops the ticks, closes the sockets, reports stream-error (for {@code
   * ERROR}) or stream-stopped (when it was streaming), and completes {@link #completion()} once
   * every RTP port is free. Ignored once ended.
   */
  void end(StreamEnd.Reason reason, String error) {
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
    endpoints.values().forEach(RtpEndpoint::close);
    asteriskSockets.values().forEach(AsteriskMediaSocket::close);
    if (outbox != null) {
      outbox.close();
    }
    if (reason == StreamEnd.Reason.ERROR) {
      log.warn("stream {} failed: {}", params.streamSid(), error);
      fire(StreamEvent.Type.ERROR, Optional.of(error));
    } else {
      log.debug("stream {} ended: {}", params.streamSid(), reason);
      if (wasStreaming) {
        fire(StreamEvent.Type.STOPPED, Optional.empty());
      }
    }
    // Completes once every RTP socket's port is free, so a caller may bind it again at once.
    StreamEnd result = new StreamEnd(reason, Optional.ofNullable(error));
    CompletableFuture.allOf(
            endpoints.values().stream()
                .map(e -> e.released().toCompletableFuture())
                .toArray(CompletableFuture[]::new))
        .whenComplete((released, failure) -> completion.complete(result));
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

  /** A failure for a log line or a {@code StreamError}: "timed out", or the cause. */
  static String describe(Throwable error) {
    Throwable e = Failures.cause(error);
    return e instanceof java.util.concurrent.TimeoutException ? "timed out" : e.toString();
  }
}
