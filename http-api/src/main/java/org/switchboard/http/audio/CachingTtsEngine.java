package org.switchboard.http.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.port.TtsPort;

/**
 * The part every TTS engine shares: a disk cache keyed by SHA-256 of (engine, voice, language,
 * text, output format), one synthesis per key at a time, and normalization of whatever the
 * engine produced to the configured WAV format.
 */
public abstract class CachingTtsEngine implements TtsPort {

  private static final Logger log = LoggerFactory.getLogger(CachingTtsEngine.class);

  private final MediaStore store;
  private final AudioNormalizer normalizer;
  private final Executor executor;
  private final Coalescer<String, String> inFlight = new Coalescer<>();

  /** An engine storing into {@code store}, normalizing on {@code executor}. */
  protected CachingTtsEngine(MediaStore store, AudioNormalizer normalizer, Executor executor) {
    this.store = store;
    this.normalizer = normalizer;
    this.executor = executor;
  }

  /** Short engine name, part of the cache key. */
  protected abstract String engineName();

  /** The voice identity that decides the sound (part of the cache key). */
  protected abstract String voiceKey(String voice, String language);

  /** The language identity that decides the sound (part of the cache key). */
  protected abstract String languageKey(String voice, String language);

  /** Synthesizes {@code text}: audio bytes in any format {@link AudioNormalizer} reads. */
  protected abstract CompletionStage<byte[]> synthesize(String text, String voice, String language);

  @Override
  public CompletionStage<List<String>> render(String text, String voice, String language) {
    if (text == null || text.isBlank()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("<Say> has no text"));
    }
    String key = cacheKey(text, voice, language);
    if (store.isDelivered(key)) {
      return CompletableFuture.completedFuture(List.of(store.mediaUri(key)));
    }
    return inFlight.run(key, () -> synthesizeAndStore(key, text, voice, language))
        .thenApply(List::of);
  }

  /** The cache key (and served file name) of a render. */
  public String cacheKey(String text, String voice, String language) {
    return MediaStore.hashOf(engineName(), voiceKey(voice, language), languageKey(voice, language),
        text, store.extension());
  }

  private CompletionStage<String> synthesizeAndStore(
      String key, String text, String voice, String language) {
    if (store.isDelivered(key)) {
      return CompletableFuture.completedFuture(store.mediaUri(key));
    }
    return synthesize(text, voice, language).thenApplyAsync(audio -> {
      try {
        String uri = store.store(key, normalizer.normalize(audio, null));
        log.debug("{} rendered {} chars ({}, {}) as {}", engineName(), text.length(), voice,
            language, key);
        return uri;
      } catch (AudioFormatException e) {
        throw new TtsException(engineName() + " returned unusable audio: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot store rendered audio " + key, e);
      }
    }, executor);
  }

  /** A TTS engine failure with a message fit for the call's log. */
  public static final class TtsException extends RuntimeException {

    /** With a message and cause. */
    public TtsException(String message, Throwable cause) {
      super(message, cause);
    }

    /** With a message. */
    public TtsException(String message) {
      super(message);
    }
  }
}
