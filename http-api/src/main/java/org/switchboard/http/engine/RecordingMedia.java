package org.switchboard.http.engine;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.switchboard.asterisk.client.AriConnector;
import org.switchboard.engine.port.MediaPort;
import org.switchboard.engine.port.SoundSpan;
import org.switchboard.http.audio.AudioFormatException;
import org.switchboard.http.audio.SilenceTrim;
import org.switchboard.http.audio.WavCodec;

/**
 * The node's {@link MediaPort}: {@code <Play>} media from {@code play} (the fetcher), and the
 * sound span of a finished recording read from the Asterisk server that holds it ({@code GET
 * /recordings/stored/{name}/file}) and measured by {@link SilenceTrim} on the blocking executor.
 * The file on Asterisk is never changed: {@link AriRecordingStore} serves the span.
 */
public final class RecordingMedia implements MediaPort {
  private final MediaPort play;
  private final AriConnector ari;
  private final Executor blocking;

  public RecordingMedia(MediaPort play, AriConnector ari, Executor blocking) {
    this.play = play;
    this.ari = ari;
    this.blocking = blocking;
  }

  @Override
  public CompletionStage<String> mediaFor(URI url) {
    return play.mediaFor(url);
  }

  @Override
  public CompletionStage<Optional<SoundSpan>> soundSpan(String serverId, String name) {
    return ari.client(serverId).recordings().storedFile(name).thenApplyAsync(wav -> {
      try {
        return Optional.of(SilenceTrim.span(WavCodec.decodeWav(wav)));
      } catch (AudioFormatException e) {
        throw new CompletionException(e);
      }
    }, blocking);
  }
}
