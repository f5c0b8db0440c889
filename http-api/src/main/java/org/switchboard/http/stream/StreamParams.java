package org.switchboard.http.stream;

import java.net.URI;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.switchboard.http.stream.codec.AudioFormat;

/**
 * What a {@code <Stream>} asks for.
 *
 * @param url the application's ws:// or wss:// URL
 * @param streamSid the stream's SID ({@code MZ…})
 * @param accountSid the account SID
 * @param callSid the call SID
 * @param name the {@code name} attribute, if any
 * @param tracks the tracks to send; each gets its own RTP socket
 * @param customParameters the {@code <Parameter>} children
 * @param bidirectional {@code <Connect><Stream>} (app audio is played) vs {@code <Start><Stream>}
 * @param encoding the ExternalMedia RTP format
 * @param appFormat the audio format on the application's socket (µ-law 8 kHz by default)
 * @param transport how the ExternalMedia channel carries audio: RTP or Asterisk's WebSocket
 */
public record StreamParams(
    URI url,
    String streamSid,
    String accountSid,
    String callSid,
    Optional<String> name,
    List<Track> tracks,
    Map<String, String> customParameters,
    boolean bidirectional,
    MediaEncoding encoding,
    AudioFormat appFormat,
    Transport transport) {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A track of a stream. */
  public enum Track {
    /** Audio from the caller. */
    INBOUND("inbound"),
    /** Audio to the caller. */
    OUTBOUND("outbound");

    private final String wire;

    Track(String wire) {
      this.wire = wire;
    }

    /** The name used in {@code start.tracks} and {@code media.track}. */
    public String wire() {
      return wire;
    }
  }

  /** Parameters with the application speaking Twilio's µ-law 8 kHz. */
  public StreamParams(URI url, String streamSid, String accountSid, String callSid,
      Optional<String> name, List<Track> tracks, Map<String, String> customParameters,
      boolean bidirectional, MediaEncoding encoding) {
    this(url, streamSid, accountSid, callSid, name, tracks, customParameters, bidirectional,
        encoding, AudioFormat.MULAW_8K, Transport.RTP);
  }

  /** Parameters of a stream over RTP. */
  public StreamParams(URI url, String streamSid, String accountSid, String callSid,
      Optional<String> name, List<Track> tracks, Map<String, String> customParameters,
      boolean bidirectional, MediaEncoding encoding, AudioFormat appFormat) {
    this(url, streamSid, accountSid, callSid, name, tracks, customParameters, bidirectional,
        encoding, appFormat, Transport.RTP);
  }

  /** How the ExternalMedia channel carries audio between Asterisk and Switchboard. */
  public enum Transport {
    /** RTP over UDP ({@code transport=udp}, {@code encapsulation=rtp}). */
    RTP,
    /** Asterisk's WebSocket channel driver ({@code transport=websocket}, chan_websocket). */
    WEBSOCKET
  }

  /**
   * The audio format on the Asterisk side: the encoding's RTP payload, except that slin16 over
   * chan_websocket is Asterisk's native signed linear, little-endian on the machines it runs on.
   */
  public AudioFormat asteriskFormat() {
    return transport == Transport.WEBSOCKET && encoding == MediaEncoding.SLIN16
        ? AudioFormat.PCM16_16K : encoding.audioFormat();
  }

  /** Validates. */
  public StreamParams {
    String scheme = url.getScheme() == null ? "" : url.getScheme();
    if (!scheme.equals("ws") && !scheme.equals("wss")) {
      throw new IllegalArgumentException("<Stream> url must be ws:// or wss://: " + url);
    }
    if (tracks.isEmpty()) {
      throw new IllegalArgumentException("a stream needs at least one track");
    }
    if (bidirectional && !tracks.equals(List.of(Track.INBOUND))) {
      throw new IllegalArgumentException("<Connect><Stream> allows only the inbound track");
    }
    if (transport == null) {
      transport = Transport.RTP;
    }
    if (appFormat == null) {
      throw new IllegalArgumentException("a stream needs an audio format");
    }
    tracks = List.copyOf(tracks);
    customParameters = Map.copyOf(customParameters);
  }

  /** A fresh stream SID: {@code MZ} and 32 hex digits. */
  public static String newStreamSid() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "MZ" + HexFormat.of().formatHex(bytes);
  }

  /** The name reported in status callbacks: the {@code name} attribute, else the SID. */
  public String streamName() {
    return name.orElse(streamSid);
  }
}
