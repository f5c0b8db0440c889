package org.switchboard.http.stream;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.switchboard.http.stream.StreamParams.Track;

/**
 * What {@link StreamRelay} drives: the far side of an ExternalMedia channel, a Media Streams
 * application ({@link MediaStreamSession}) or a Realtime agent ({@link RealtimeSession}).
 */
public interface RelayedSession {

  /** The stream's parameters (SID, tracks, ExternalMedia encoding). */
  StreamParams params();

  /** Binds the RTP sockets and connects; completes with each track's local RTP address. */
  CompletionStage<Map<Track, InetSocketAddress>> start();

  /** Where Asterisk's RTP socket for {@code track} is, before its first packet. */
  void asteriskAddress(Track track, InetSocketAddress address);

  /**
   * Connects {@code track} to its ExternalMedia channel over chan_websocket at {@code uri}
   * ({@code ws://<asterisk>/media/<connection id>}) instead of RTP; completes once it is open.
   */
  CompletionStage<Void> connectAsterisk(Track track, java.net.URI uri);

  /** A DTMF digit from the caller. */
  void dtmf(char digit);

  /** Ends the session because something around it failed. */
  CompletionStage<StreamEnd> fail(String error);

  /** Ends the session because the call moved on. */
  CompletionStage<StreamEnd> stop();

  /** Completes when the session has ended, however it ended. */
  CompletionStage<StreamEnd> completion();
}
