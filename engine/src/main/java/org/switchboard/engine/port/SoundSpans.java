package org.switchboard.engine.port;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * The {@code trim="trim-silence"} step shared by the recordings of {@code <Dial>} and of the REST
 * API: what is kept of a recording made of one or more channel files.
 */
public final class SoundSpans {
  private SoundSpans() {}

  /**
   * The span from the first sound of any of the stored recordings {@code names} to the last
   * ({@link MediaPort#soundSpan} of each); an all-silent recording keeps nothing. Empty (kept
   * whole) when one of them cannot be measured: {@code unmeasured} hears its name and why. Never
   * completes exceptionally.
   */
  public static CompletionStage<Optional<SoundSpan>> covering(MediaPort media, String serverId,
      List<String> names, BiConsumer<String, Throwable> unmeasured) {
    if (names.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    List<CompletableFuture<Optional<SoundSpan>>> spans = new ArrayList<>();
    for (String name : names) {
      CompletableFuture<Optional<SoundSpan>> span;
      try {
        span = media.soundSpan(serverId, name).toCompletableFuture();
      } catch (RuntimeException e) {
        span = CompletableFuture.failedFuture(e);
      }
      spans.add(span.exceptionally(error -> {
        unmeasured.accept(name, error);
        return Optional.empty();
      }));
    }
    return CompletableFuture.allOf(spans.toArray(CompletableFuture[]::new)).thenApply(v -> {
      List<SoundSpan> measured = spans.stream().flatMap(f -> f.join().stream()).toList();
      if (measured.size() < spans.size()) {
        return Optional.empty();
      }
      List<SoundSpan> sounding = measured.stream().filter(s -> s.toMs() > s.fromMs()).toList();
      if (sounding.isEmpty()) {
        return Optional.of(measured.get(0));
      }
      return Optional.of(new SoundSpan(
          sounding.stream().mapToLong(SoundSpan::fromMs).min().orElseThrow(),
          sounding.stream().mapToLong(SoundSpan::toMs).max().orElseThrow()));
    });
  }
}
