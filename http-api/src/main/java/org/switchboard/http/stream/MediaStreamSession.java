package org.switchboard.http.stream;

import org.switchboard.engine.port.Failures;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Clock;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.http.audio.AudioSettings;
import org.switchboard.http.stream.StreamMessages.AppMessage;
import org.switchboard.http.stream.StreamParams.Track;
import org.switchboard.http.stream.codec.FormatConverter;

/**
 * One {@code <Stream>}: relays RTP from an Asterisk ExternalMedia channel to the application's
 * WebSocket in Twilio's Media Streams protocol and, when bidirectional, the application's audio
 * back as RTP paced by a {@link TickSource}.
 *
 * <p>Life: {@link #start()} binds one UDP socket per track and connects to the application
 * (connected, start); media flows until {@link #stop()} (sends stop), the application closes the
 * socket, or the socket fails. {@link #completion()} then completes with a {@link StreamEnd} (once
 * the RTP sockets' ports are free), and
 * the listener hears stream-started / stream-stopped / stream-error. All state is guarded by one
 * lock; RTP arrives on the sockets' reader threads, app messages on the stream's thread.
 */
public final class MediaStreamSession implements RelayedSession {

  private static final Logger log = LoggerFactory.getLogger(MediaStreamSession.class);

  private enum State { NEW, STARTING, STREAMING, ENDED }

  /** Per-track state of inbound media: conversion to the app's format, 20 ms re-framing. */
  private static final class TrackState {
    final FormatConverter converter;
    final InboundFramer framer;
    boolean warnedPayloadType;
    /** Samples received over chan_websocket so far: the timestamp of the next message. */
    long samplesReceived;

    TrackState(StreamParams params) {
      converter = new FormatConverter(params.asteriskFormat(), params.appFormat());
      framer = new InboundFramer(params.encoding().clockRate(), params.appFormat());
    }
  }

  private final ActorSystem<?> system;
  private final AudioSettings.Stream settings;
  private final StreamParams params;
  private final TickSource ticks;
  private final StreamListener listener;
  private final Clock clock;
  private final Object lock = new Object();
  private final OutboundAudio outbound;
  private final FormatConverter toAsterisk;
  private final Map<Track, RtpEndpoint> endpoints = new EnumMap<>(Track.class);
  private final Map<Track, AsteriskMediaSocket> asteriskSockets = new EnumMap<>(Track.class);
  private final Map<Track, TrackState> tracks = new EnumMap<>(Track.class);
  private final CompletableFuture<StreamEnd> completion = new CompletableFuture<>();
  private final RelayDelays delays;
  private BoundedSourceQueue<AppSocket.Outgoing> toApp;
  private AutoCloseable tickHandle;
  private long sequenceNumber;
  private long droppedMessages;
  private State state = State.NEW;

  private MediaStreamSession(ActorSystem<?> system, AudioSettings.Stream settings,
      StreamParams params, TickSource ticks, StreamListener listener, Clock clock,
      RelayDelays delays) {
    this.system = system;
    this.delays = delays;
    this.settings = settings;
    this.params = params;
    this.ticks = ticks;
    this.listener = listener;
    this.clock = clock;
    this.outbound = new OutboundAudio(settings.maxQueuedFrames(), params.appFormat());
    this.toAsterisk = new FormatConverter(params.appFormat(), params.asteriskFormat());
  }

  /** A session for {@code params}; nothing happens until {@link #start()}. */
  public static MediaStreamSession create(ActorSystem<?> system, AudioSettings.Stream settings,
      StreamParams params, TickSource ticks, StreamListener listener, Clock clock) {
    return create(system, settings, params, ticks, listener, clock, RelayDelays.NONE);
  }

  /** A session reporting each frame's time inside Switchboard to {@code delays}. */
  public static MediaStreamSession create(ActorSystem<?> system, AudioSettings.Stream settings,
      StreamParams params, TickSource ticks, StreamListener listener, Clock clock,
      RelayDelays delays) {
    return new MediaStreamSession(system, settings, params, ticks, listener, clock, delays);
  }

  /** The stream's parameters. */
  @Override
  public StreamParams params() {
    return params;
  }

  /**
   * Binds the RTP sockets, connects to the application and sends {@code connected} and
   * {@code start}. Completes with each track's local RTP address (ExternalMedia's
   * {@code external_host}), or fails (the session then ends with an error).
   */
  @Override
  public CompletionStage<Map<Track, InetSocketAddress>> start() {
    Map<Track, InetSocketAddress> addresses = new EnumMap<>(Track.class);
    synchronized (lock) {
      if (state != State.NEW) {
        return CompletableFuture.failedFuture(new IllegalStateException("stream already started"));
      }
      state = State.STARTING;
      try {
        for (Track track : params.tracks()) {
          tracks.put(track, new TrackState(params));
          if (params.transport() == StreamParams.Transport.WEBSOCKET) {
            continue;
          }
          RtpEndpoint endpoint = new RtpEndpoint(settings.rtpHost(),
              params.streamSid() + "-" + track.wire(), packet -> onRtp(track, packet));
          endpoints.put(track, endpoint);
          addresses.put(track, endpoint.local());
        }
      } catch (SocketException e) {
        String error = "cannot bind RTP socket on " + settings.rtpHost() + ": " + e.getMessage();
        end(StreamEnd.Reason.ERROR, error);
        return CompletableFuture.failedFuture(new IllegalStateException(error, e));
      }
    }
    AppSocket socket = AppSocket.connect(system, params.url(), this::onAppText, delays);
    synchronized (lock) {
      toApp = socket.out();
      if (state == State.ENDED) {
        toApp.complete();
      }
    }
    socket.closed().whenComplete((done, error) -> onSocketClosed(error));
    return socket.upgrade().toCompletableFuture()
        .orTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .handle((upgrade, error) -> {
          String failure = error != null ? describe(error)
              : upgrade.response().status().intValue() != 101
                  ? "WebSocket upgrade refused: " + upgrade.response().status() : null;
          if (failure != null) {
            String message = "cannot connect to " + params.url() + ": " + failure;
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
            send(StreamMessages.connected(), false);
            send(StreamMessages.start(params), true);
            if (params.bidirectional()) {
              tickHandle = ticks.subscribe(this::onTick);
            }
            fire(StreamEvent.Type.STARTED, Optional.empty());
          }
          return Collections.unmodifiableMap(addresses);
        });
  }

  /** Reports a DTMF digit to the application (bidirectional streams only, as Twilio does). */
  @Override
  public void dtmf(char digit) {
    synchronized (lock) {
      if (state == State.STREAMING && params.bidirectional()) {
        send(StreamMessages.dtmf(params.streamSid(), digit), true);
      }
    }
  }

  /**
   * Tells the session where Asterisk's RTP socket for {@code track} is (ExternalMedia's
   * {@code UNICASTRTP_LOCAL_ADDRESS/PORT}), so application audio can flow before the caller's
   * first packet. Ignored for unknown tracks or once Asterisk's packets have shown the address.
   */
  @Override
  public void asteriskAddress(Track track, InetSocketAddress address) {
    synchronized (lock) {
      RtpEndpoint endpoint = endpoints.get(track);
      if (endpoint != null) {
        endpoint.presetRemote(address);
      }
    }
  }

  /**
   * Connects {@code track} to its ExternalMedia channel over chan_websocket at {@code uri}
   * ({@code ws://<asterisk>/media/<connection id>}); completes once the socket is open, fails
   * (and the caller fails the stream) if it cannot be.
   */
  public CompletionStage<Void> connectAsterisk(Track track, java.net.URI uri) {
    AsteriskMediaSocket socket;
    synchronized (lock) {
      if (state == State.ENDED || !tracks.containsKey(track)) {
        return CompletableFuture.failedFuture(new IllegalStateException("stream ended"));
      }
      socket = AsteriskMediaSocket.connect(system, uri, audio -> onAsteriskAudio(track, audio),
          event -> log.debug("stream {}: Asterisk says {}", params.streamSid(), event));
      asteriskSockets.put(track, socket);
    }
    socket.closed().whenComplete((done, error) -> {
      synchronized (lock) {
        if (state != State.ENDED) {
          end(StreamEnd.Reason.ERROR, "Asterisk closed the media WebSocket "
              + (error == null ? "" : describe(error)));
        }
      }
    });
    return socket.upgrade().thenAccept(upgrade -> {
      if (upgrade.response().status().intValue() != 101) {
        throw new CompletionException(new IllegalStateException(
            "media WebSocket " + uri + " refused: " + upgrade.response().status()));
      }
    });
  }

  /** True once the RTP address of Asterisk's side of {@code track} is known. */
  public boolean knowsAsteriskAddress(Track track) {
    synchronized (lock) {
      if (asteriskSockets.containsKey(track)) {
        return true;
      }
      RtpEndpoint endpoint = endpoints.get(track);
      return endpoint != null && endpoint.hasRemote();
    }
  }

  /**
   * Ends the stream because something around it failed (e.g. Asterisk refused the ExternalMedia
   * channel): sends {@code stop} if streaming, closes everything, reports stream-error.
   */
  @Override
  public CompletionStage<StreamEnd> fail(String error) {
    synchronized (lock) {
      if (state == State.STREAMING) {
        send(StreamMessages.stop(params), true);
      }
      end(StreamEnd.Reason.ERROR, error);
    }
    return completion;
  }

  /** Sends {@code stop}, closes the socket and the RTP sockets. */
  @Override
  public CompletionStage<StreamEnd> stop() {
    synchronized (lock) {
      if (state == State.STREAMING) {
        flushTracks();
        send(StreamMessages.stop(params), true);
      }
      end(StreamEnd.Reason.STOPPED, null);
    }
    return completion;
  }

  /** Completes when the stream has ended, however it ended. */
  @Override
  public CompletionStage<StreamEnd> completion() {
    return completion;
  }

  /** Frames of application audio waiting to be played. */
  public int queuedFrames() {
    synchronized (lock) {
      return outbound.frames();
    }
  }

  /** Marks waiting behind queued application audio. */
  public int queuedMarks() {
    synchronized (lock) {
      return outbound.marks();
    }
  }

  private void onRtp(Track track, RtpPacket packet) {
    long arrived = System.nanoTime();
    synchronized (lock) {
      if (state != State.STREAMING) {
        return;
      }
      TrackState ts = tracks.get(track);
      MediaEncoding encoding = params.encoding();
      if (packet.payloadType() != encoding.payloadType()) {
        if (!ts.warnedPayloadType) {
          ts.warnedPayloadType = true;
          log.warn("stream {}: dropping RTP payload type {} (expected {} for {})",
              params.streamSid(), packet.payloadType(), encoding.payloadType(), encoding);
        }
        return;
      }
      byte[] payload = packet.payload();
      byte[] audio = ts.converter.convert(payload);
      for (InboundFramer.Frame frame : ts.framer.add(packet.timestamp(), audio)) {
        sendFrame(track, frame, arrived);
      }
    }
  }

  private void onAsteriskAudio(Track track, byte[] audio) {
    long arrived = System.nanoTime();
    synchronized (lock) {
      if (state != State.STREAMING) {
        return;
      }
      TrackState ts = tracks.get(track);
      long timestamp = ts.samplesReceived;
      ts.samplesReceived += audio.length / params.asteriskFormat().bytesPerSample();
      for (InboundFramer.Frame frame : ts.framer.add(timestamp, ts.converter.convert(audio))) {
        sendFrame(track, frame, arrived);
      }
    }
  }

  private void sendFrame(Track track, InboundFramer.Frame frame, long arrivedNanos) {
    send(StreamMessages.media(params.streamSid(), track.wire(), frame.chunk(),
        frame.timestampMillis(), frame.ulaw()), true, arrivedNanos);
  }

  /** Sends what each track still holds of a frame, padded with silence, before {@code stop}. */
  private void flushTracks() {
    tracks.forEach((track, ts) -> ts.framer.flush().ifPresent(f -> sendFrame(track, f, 0)));
  }

  private void onTick() {
    synchronized (lock) {
      RtpEndpoint endpoint = endpoints.get(Track.INBOUND);
      AsteriskMediaSocket socket = asteriskSockets.get(Track.INBOUND);
      if (state != State.STREAMING
          || (socket == null && (endpoint == null || !endpoint.hasRemote()))) {
        return;
      }
      OutboundAudio.Tick tick = outbound.poll();
      if (tick.frame() != null) {
        MediaEncoding encoding = params.encoding();
        byte[] payload = toAsterisk.convert(tick.frame());
        if (socket != null) {
          socket.send(payload);
        } else {
          endpoint.send(encoding.payloadType(), payload, encoding.frameSamples());
        }
        if (tick.arrivedNanos() != 0) {
          delays.observe(RelayDelays.Direction.OUTBOUND, System.nanoTime() - tick.arrivedNanos());
        }
      }
      echo(tick.marks());
    }
  }

  private void onAppText(String text) {
    long arrived = System.nanoTime();
    synchronized (lock) {
      if (state != State.STREAMING) {
        return;
      }
      if (!params.bidirectional()) {
        log.debug("stream {}: ignoring app message on a unidirectional stream", params.streamSid());
        return;
      }
      AppMessage message;
      try {
        message = StreamMessages.parse(text);
      } catch (IllegalArgumentException e) {
        log.warn("stream {}: ignoring bad message from the application: {}", params.streamSid(),
            e.getMessage());
        return;
      }
      if (message instanceof StreamMessages.Media media) {
        outbound.addAudio(media.ulaw(), arrived);
      } else if (message instanceof StreamMessages.Mark mark) {
        echo(outbound.addMark(mark.name()));
      } else {
        echo(outbound.clear());
      }
    }
  }

  private void echo(List<String> marks) {
    for (String name : marks) {
      send(StreamMessages.mark(params.streamSid(), name), true);
    }
  }

  private void onSocketClosed(Throwable error) {
    synchronized (lock) {
      if (error == null) {
        end(StreamEnd.Reason.APP_CLOSED, null);
      } else {
        end(StreamEnd.Reason.ERROR, "WebSocket to " + params.url() + " failed: " + describe(error));
      }
    }
  }

  /** Caller holds the lock. */
  private void send(ObjectNode message, boolean numbered) {
    send(message, numbered, 0);
  }

  /** Caller holds the lock; {@code arrivedNanos} is the inbound frame's arrival, or 0. */
  private void send(ObjectNode message, boolean numbered, long arrivedNanos) {
    String text = StreamMessages.render(message, numbered ? ++sequenceNumber : 0);
    QueueOfferResult result =
        toApp.offer(new AppSocket.Outgoing(TextMessage.create(text), arrivedNanos));
    if (result != QueueOfferResult.enqueued() && droppedMessages++ % 500 == 0) {
      log.warn("stream {}: application is not reading; dropped {} message(s) ({})",
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
    endpoints.values().forEach(RtpEndpoint::close);
    asteriskSockets.values().forEach(AsteriskMediaSocket::close);
    if (toApp != null) {
      toApp.complete();
    }
    if (reason == StreamEnd.Reason.ERROR) {
      log.warn("stream {} failed: {}", params.streamSid(), error);
      fire(StreamEvent.Type.ERROR, Optional.of(error));
    } else if (wasStreaming) {
      fire(StreamEvent.Type.STOPPED, Optional.empty());
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

  private static String describe(Throwable error) {
    Throwable e = Failures.cause(error);
    return e instanceof java.util.concurrent.TimeoutException ? "timed out" : e.toString();
  }
}
