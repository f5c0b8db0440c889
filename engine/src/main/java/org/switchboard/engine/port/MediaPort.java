package org.switchboard.engine.port;

import java.net.URI;
import java.util.concurrent.CompletionStage;

/** Turns a {@code <Play>} URL into an ARI media URI (fetched, cached, transcoded as needed). */
public interface MediaPort {

  /** e.g. {@code https://cdn/x.mp3} to {@code sound:http://switchboard/media/9f2c.wav}. */
  CompletionStage<String> mediaFor(URI url);
}
