package org.switchboard.engine.port;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns a {@code <Play>} URL into an ARI media URI (fetched, cached, transcoded as needed), and
 * reads what a finished recording holds.
 */
public interface MediaPort {

  /** e.g. {@code https://cdn/x.mp3} to {@code sound:http://switchboard/media/9f2c.wav}. */
  CompletionStage<String> mediaFor(URI url);

  /**
   * Where sound starts and ends in the stored recording {@code name} on {@code serverId}, for
   * {@code trim="trim-silence"}. Empty when this port cannot read recordings: the recording then
   * stays as Asterisk made it.
   */
  default CompletionStage<Optional<SoundSpan>> soundSpan(String serverId, String name) {
    return CompletableFuture.completedFuture(Optional.empty());
  }
}
