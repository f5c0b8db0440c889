package org.switchboard.engine.twiml.verb;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code <Stream>} noun of {@code <Connect>} (bidirectional) and {@code <Start>} (fork): stream
 * the call's audio to a WebSocket in the Media Streams protocol (spec §4.16, §6).
 *
 * @param url resolved WebSocket URL, scheme {@code ws} or {@code wss} (a relative URL resolved
 *     against an {@code http(s)} document becomes {@code ws(s)})
 * @param name unique per call, used by {@code <Stop>}; if any
 * @param track default {@code inbound_track}
 * @param statusCallback resolved URL, if any
 * @param statusCallbackMethod default POST
 * @param parameters {@code <Parameter>} children, sent as {@code customParameters}
 * @param protocol what the WebSocket speaks: Twilio's Media Streams (the default) or the OpenAI
 *     Realtime protocol ({@code protocol="openai-realtime"}, {@code <Connect>} only, docs/agents.md)
 */
public record Stream(
    URI url,
    Optional<String> name,
    Track track,
    Optional<URI> statusCallback,
    Method statusCallbackMethod,
    List<Parameter> parameters,
    Protocol protocol) {

  /** A Media Streams {@code <Stream>}. */
  public Stream(URI url, Optional<String> name, Track track, Optional<URI> statusCallback,
      Method statusCallbackMethod, List<Parameter> parameters) {
    this(url, name, track, statusCallback, statusCallbackMethod, parameters,
        Protocol.MEDIA_STREAMS);
  }

  public Stream {
    Objects.requireNonNull(url, "url");
    String scheme = url.getScheme();
    if (!"wss".equalsIgnoreCase(scheme) && !"ws".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("Stream url must be ws:// or wss://, was " + url);
    }
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(track, "track");
    Objects.requireNonNull(statusCallback, "statusCallback");
    Objects.requireNonNull(statusCallbackMethod, "statusCallbackMethod");
    parameters = Checks.list("parameters", parameters);
    Objects.requireNonNull(protocol, "protocol");
  }

  /** Values of {@code protocol}. */
  public enum Protocol implements WireEnum {
    /** Twilio's Media Streams protocol (no {@code protocol} attribute). */
    MEDIA_STREAMS("media-streams"),
    /** The OpenAI Realtime protocol: Switchboard is the agent's client (docs/agents.md). */
    OPENAI_REALTIME("openai-realtime");

    private final String wire;

    Protocol(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }
  }

  /** Values of {@code track}. */
  public enum Track implements WireEnum {
    INBOUND_TRACK("inbound_track"),
    OUTBOUND_TRACK("outbound_track"),
    BOTH_TRACKS("both_tracks");

    private final String wire;

    Track(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }
  }
}
