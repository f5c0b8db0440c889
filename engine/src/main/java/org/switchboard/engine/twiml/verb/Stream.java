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
 */
public record Stream(
    URI url,
    Optional<String> name,
    Track track,
    Optional<URI> statusCallback,
    Method statusCallbackMethod,
    List<Parameter> parameters) {

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
