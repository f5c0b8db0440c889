package org.switchboard.http.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Media Streams application's audio played through chan_websocket at Asterisk's pace ({@link
 * AsteriskPlayout}): frames taken from the session's {@link OutboundAudio}, each carrying the
 * application's marks queued behind it, which are echoed once Asterisk reports the frame played,
 * as Twilio echoes a mark once the audio before it has played. Not thread-safe: the session
 * guards it.
 */
final class AppPlayout {

  /** What the session does with a frame and with marks reached (holding its lock). */
  interface Session {
    /** Sends one frame of the application's audio to Asterisk. */
    void send(byte[] frame, long arrivedNanos);

    /** Echoes marks to the application, in order. */
    void echo(List<String> marks);
  }

  /** A frame in Asterisk's queue, and the marks behind it. */
  private static final class Frame {
    final byte[] audio;
    final long arrivedNanos;
    List<String> marks;

    Frame(byte[] audio, long arrivedNanos, List<String> marks) {
      this.audio = audio;
      this.arrivedNanos = arrivedNanos;
      this.marks = marks;
    }
  }

  private final Session session;
  private final AsteriskPlayout<Frame> pacer;

  /**
   * The playout of {@code outbound}'s audio for stream {@code streamSid}, in frames of {@code
   * frameBytes} toward Asterisk; {@code commands} sends chan_websocket's control commands.
   */
  AppPlayout(String streamSid, int frameBytes, OutboundAudio outbound, Consumer<String> commands,
      Session session) {
    this.session = session;
    this.pacer = new AsteriskPlayout<>(streamSid, AsteriskPlayout.WINDOW, frameBytes, commands,
        new AsteriskPlayout.Frames<>() {
          @Override
          public Frame next(boolean padPartial) {
            OutboundAudio.Tick tick = outbound.poll(padPartial);
            if (tick.frame() == null) {
              session.echo(tick.marks());
              return null;
            }
            return new Frame(tick.frame(), tick.arrivedNanos(), tick.marks());
          }

          @Override
          public void send(Frame frame) {
            session.send(frame.audio, frame.arrivedNanos);
          }

          @Override
          public void played(Frame frame) {
            session.echo(frame.marks);
          }
        });
  }

  /** True once Asterisk was found not to answer marks: the session sends one frame per tick. */
  boolean marksUnsupported() {
    return pacer.marksUnsupported();
  }

  /** Frames in Asterisk's queue not reported played. */
  int unplayed() {
    return pacer.unplayed();
  }

  /** One 20 ms tick: tops Asterisk's queue up (a last partial frame only if it runs out). */
  void tick() {
    pacer.tick();
    if (!pacer.marksUnsupported()) {
      pacer.fill(true);
    }
  }

  /** New audio from the application: sent at once, up to the window. */
  void audioAdded() {
    pacer.fill(false);
  }

  /** One of chan_websocket's control events ({@link AsteriskPlayout#onEvent}). */
  void onEvent(String event) {
    pacer.onEvent(event);
  }

  /**
   * Marks the session's queue reached at once (nothing queued there): echoed now if Asterisk
   * holds none of the application's audio, else once the newest frame there has played.
   */
  void marksReached(List<String> marks) {
    Frame newest = marks.isEmpty() ? null : pacer.newest().orElse(null);
    if (newest == null) {
      session.echo(marks);
      return;
    }
    List<String> all = new ArrayList<>(newest.marks);
    all.addAll(marks);
    newest.marks = all;
  }

  /** {@code clear}: Asterisk's queue flushed ({@code FLUSH_MEDIA}); its frames' marks echoed. */
  void clear() {
    pacer.drop().forEach(frame -> session.echo(frame.marks));
  }
}
