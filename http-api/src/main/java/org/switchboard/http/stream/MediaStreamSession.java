package org.switchboard.http.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
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
 * <p>Over chan_websocket, which queues what it gets and plays it by its own timer, the
 * application's audio is paced by Asterisk instead ({@link AppPlayout}): up to ten frames in
 * Asterisk's queue, each behind a {@code MARK_MEDIA}; a {@code mark} is echoed once Asterisk
 * reports the audio before it played, and {@code clear} sends {@code FLUSH_MEDIA} and echoes the
 * marks of what it dropped.
 *
 * <p>Life: {@link #start()} binds one UDP socket per track and connects to the application
 * (connected, start); media flows until {@link #stop()} (sends stop), the application closes the
 * socket, or the socket fails. {@link #completion()} then completes with a {@link StreamEnd} (once
 * the RTP sockets' ports are free), and
 * the listener hears stream-started / stream-stopped / stream-error. All state is guarded by one
 * lock; RTP arrives on the RTP reader thread, app messages on the socket's receive thread. The
 * sockets, ticks and the end sequence are the {@link RelayTransport}'s.
 */
public final class MediaStreamSession implements RelayedSession {

  private static final Logger log = LoggerFactory.getLogger(MediaStreamSession.class);

  /** Per-track state of inbound media: conversion to the app's format, 20 ms re-framing. */
  private static final class TrackState {
    final FormatConverter converter;
    final InboundFramer framer;
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
  private final Object lock = new Object();
  private final RelayTransport transport;
  private final OutboundAudio outbound;
  private final FormatConverter toAsterisk;
  private final AppPlayout asteriskQueue;
  private final Map<Track, TrackState> tracks = new EnumMap<>(Track.class);
  private final RelayDelays delays;
  private final AppSocket.Connector connector;
  private final MediaMessageWriter mediaMessages;
  private long sequenceNumber;

  private MediaStreamSession(ActorSystem<?> system, AudioSettings.Stream settings,
      StreamParams params, TickSource ticks, StreamListener listener, Clock clock,
      RelayDelays delays, AppSocket.Connector connector) {
    this.system = system;
    this.delays = delays;
    this.connector = connector;
    this.mediaMessages = new MediaMessageWriter(params.streamSid());
    this.settings = settings;
    this.params = params;
    this.transport = new RelayTransport(lock, system, params, params.url().toString(), ticks,
        listener, clock, settings.webSocketClient());
    this.outbound = new OutboundAudio(settings.maxQueuedFrames(), params.appFormat());
    this.toAsterisk = new FormatConverter(params.appFormat(), params.asteriskFormat());
    for (Track track : params.tracks()) {
      tracks.put(track, new TrackState(params));
    }
    this.asteriskQueue = new AppPlayout(params.streamSid(), params.encoding().frameBytes(),
        outbound, command -> transport.commandAsterisk(Track.INBOUND, command),
        new AppPlayout.Session() {
          @Override
          public void send(byte[] frame, long arrivedNanos) {
            sendToAsterisk(frame, arrivedNanos);
          }

          @Override
          public void echo(List<String> marks) {
            MediaStreamSession.this.echo(marks);
          }
        });
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
    return create(system, settings, params, ticks, listener, clock, delays,
        AppSocket.connector(settings.webSocketClient()));
  }

  /** A session whose application socket {@code connector} opens (in memory, in benchmarks). */
  static MediaStreamSession create(ActorSystem<?> system, AudioSettings.Stream settings,
      StreamParams params, TickSource ticks, StreamListener listener, Clock clock,
      RelayDelays delays, AppSocket.Connector connector) {
    return new MediaStreamSession(system, settings, params, ticks, listener, clock, delays,
        connector);
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
    CompletableFuture<Map<Track, InetSocketAddress>> bound;
    synchronized (lock) {
      bound = transport.bind(settings.rtpHost(),
          (track, packet) -> onAsteriskAudio(track, packet.timestamp(), packet.payload()));
    }
    if (bound.isCompletedExceptionally()) {
      return bound;
    }
    return transport.open(connector.connect(system, params.url(), this::onAppText, delays),
        settings.connectTimeout(), () -> {
          send(StreamMessages.connected(), false);
          send(StreamMessages.start(params), true);
          if (params.bidirectional()) {
            transport.startTicks(this::onTick);
          }
          return bound.join();
        });
  }

  /** Reports a DTMF digit to the application (bidirectional streams only, as Twilio does). */
  @Override
  public void dtmf(char digit) {
    synchronized (lock) {
      if (transport.streaming() && params.bidirectional()) {
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
      transport.presetRemote(track, address);
    }
  }

  /**
   * Connects {@code track} to its ExternalMedia channel over chan_websocket at {@code uri}
   * ({@code ws://<asterisk>/media/<connection id>}); completes once the socket is open, fails
   * (and the caller fails the stream) if it cannot be.
   */
  @Override
  public CompletionStage<Void> connectAsterisk(Track track, java.net.URI uri) {
    synchronized (lock) {
      if (track != Track.INBOUND) {
        return transport.connectAsterisk(track, uri, audio -> onAsteriskAudio(track, -1, audio));
      }
      return transport.connectAsterisk(track, uri, audio -> onAsteriskAudio(track, -1, audio),
          this::onAsteriskEvent);
    }
  }

  /** A control event of the channel the application's audio goes to, for the pacing. */
  private void onAsteriskEvent(String event) {
    synchronized (lock) {
      if (transport.state() != RelayTransport.State.ENDED) {
        asteriskQueue.onEvent(event);
      }
    }
  }

  /** True once the RTP address of Asterisk's side of {@code track} is known. */
  public boolean knowsAsteriskAddress(Track track) {
    synchronized (lock) {
      return transport.canSendToAsterisk(track);
    }
  }

  /**
   * Ends the stream because something around it failed (e.g. Asterisk refused the ExternalMedia
   * channel): sends {@code stop} if streaming, closes everything, reports stream-error.
   */
  @Override
  public CompletionStage<StreamEnd> fail(String error) {
    synchronized (lock) {
      if (transport.streaming()) {
        send(StreamMessages.stop(params), true);
      }
      transport.end(StreamEnd.Reason.ERROR, error);
    }
    return transport.completion();
  }

  /** Sends {@code stop}, closes the socket and the RTP sockets. */
  @Override
  public CompletionStage<StreamEnd> stop() {
    synchronized (lock) {
      if (transport.streaming()) {
        flushTracks();
        send(StreamMessages.stop(params), true);
      }
      transport.end(StreamEnd.Reason.STOPPED, null);
    }
    return transport.completion();
  }

  /** Completes when the stream has ended, however it ended. */
  @Override
  public CompletionStage<StreamEnd> completion() {
    return transport.completion();
  }

  /** Frames of application audio waiting to be played. */
  public int queuedFrames() {
    synchronized (lock) {
      return outbound.frames();
    }
  }

  /** Frames sent over chan_websocket that Asterisk has not reported played yet. */
  public int unplayedFrames() {
    synchronized (lock) {
      return asteriskQueue.unplayed();
    }
  }

  /** Marks waiting behind queued application audio. */
  public int queuedMarks() {
    synchronized (lock) {
      return outbound.marks();
    }
  }

  /**
   * Audio of {@code track} from Asterisk: an RTP payload with its timestamp, or a chan_websocket
   * message ({@code rtpTimestamp} -1: placed right after the previous one). Package-private for
   * the relay benchmark, which hands it frames without a socket.
   */
  void onAsteriskAudio(Track track, long rtpTimestamp, byte[] audio) {
    long arrived = System.nanoTime();
    synchronized (lock) {
      if (!transport.streaming()) {
        return;
      }
      TrackState ts = tracks.get(track);
      long timestamp = rtpTimestamp;
      if (timestamp < 0) {
        timestamp = ts.samplesReceived;
        ts.samplesReceived += audio.length / params.asteriskFormat().bytesPerSample();
      }
      // The audio is this packet's own copy: no need to copy it again.
      byte[] converted = ts.converter.isIdentity() ? audio : ts.converter.convert(audio);
      for (InboundFramer.Frame frame : ts.framer.add(timestamp, converted)) {
        sendFrame(track, frame, arrived);
      }
    }
  }

  private void sendFrame(Track track, InboundFramer.Frame frame, long arrivedNanos) {
    transport.offer(mediaMessages.media(++sequenceNumber, track.wire(), frame.chunk(),
        frame.timestampMillis(), frame.ulaw()), arrivedNanos);
  }

  /** Sends what each track still holds of a frame, padded with silence, before {@code stop}. */
  private void flushTracks() {
    tracks.forEach((track, ts) -> ts.framer.flush().ifPresent(f -> sendFrame(track, f, 0)));
  }

  private void onTick() {
    synchronized (lock) {
      if (!transport.streaming() || !transport.canSendToAsterisk(Track.INBOUND)) {
        return;
      }
      if (paced()) {
        asteriskQueue.tick();
        if (paced()) {
          return;
        }
        // Asterisk answers no mark: from now on one frame per tick, as over RTP.
      }
      OutboundAudio.Tick tick = outbound.poll();
      if (tick.frame() != null) {
        sendToAsterisk(tick.frame(), tick.arrivedNanos());
      }
      echo(tick.marks());
    }
  }

  /** True when the audio goes over chan_websocket and Asterisk reports what it played. */
  private boolean paced() {
    return transport.overWebSocket(Track.INBOUND) && !asteriskQueue.marksUnsupported();
  }

  /** Caller holds the lock. One frame of the application's audio toward Asterisk. */
  private void sendToAsterisk(byte[] frame, long arrivedNanos) {
    byte[] payload = toAsterisk.isIdentity() ? frame : toAsterisk.convert(frame);
    transport.sendToAsterisk(Track.INBOUND, payload);
    if (arrivedNanos != 0) {
      delays.observe(RelayDelays.Direction.OUTBOUND, System.nanoTime() - arrivedNanos);
    }
  }

  private void onAppText(String text) {
    long arrived = System.nanoTime();
    synchronized (lock) {
      if (!transport.streaming()) {
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
        if (paced()) {
          asteriskQueue.audioAdded();
        }
      } else if (message instanceof StreamMessages.Mark mark) {
        List<String> reached = outbound.addMark(mark.name());
        if (paced()) {
          // The audio before it may still wait in Asterisk's queue.
          asteriskQueue.marksReached(reached);
        } else {
          echo(reached);
        }
      } else {
        // Over chan_websocket what Asterisk has queued would still play: drop it too.
        if (transport.overWebSocket(Track.INBOUND)) {
          asteriskQueue.clear();
        }
        echo(outbound.clear());
      }
    }
  }

  private void echo(List<String> marks) {
    for (String name : marks) {
      send(StreamMessages.mark(params.streamSid(), name), true);
    }
  }

  /** Caller holds the lock. */
  private void send(ObjectNode message, boolean numbered) {
    transport.offer(StreamMessages.render(message, numbered ? ++sequenceNumber : 0), 0);
  }
}
