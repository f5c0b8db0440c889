package org.switchboard.engine.call;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.switchboard.engine.port.MediaPort;
import org.switchboard.engine.port.TtsPort;
import org.switchboard.engine.script.MediaRef;

/** Turns the interpreter's {@link MediaRef}s into ARI media URIs through the TTS and media ports. */
public final class MediaResolver {
  private final TtsPort tts;
  private final MediaPort media;

  public MediaResolver(TtsPort tts, MediaPort media) {
    this.tts = tts;
    this.media = media;
  }

  public CompletionStage<List<String>> resolve(MediaRef ref) {
    if (ref instanceof MediaRef.Speech s) {
      return tts.render(s.text(), s.voice().orElse(""), s.language());
    }
    if (ref instanceof MediaRef.Url u) {
      return media.mediaFor(u.url()).thenApply(List::of);
    }
    if (ref instanceof MediaRef.Native n) {
      return CompletableFuture.completedFuture(List.of(n.media()));
    }
    throw new IllegalStateException("no rule for the media " + ref.getClass().getSimpleName());
  }
}
