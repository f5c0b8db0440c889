package org.switchboard.http.audio;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * What is remembered about one fetched URL: the stored file's hash, the validators for a
 * conditional request and the freshness, kept as a small properties file beside the cache.
 *
 * @param url the media URL
 * @param hash hash of the normalized file in the {@link MediaStore}
 * @param etag the origin's ETag, if any
 * @param lastModified the origin's Last-Modified, if any
 * @param noCache revalidate before every use
 * @param freshUntil the end of freshness
 */
public record CachedMedia(
    String url,
    String hash,
    Optional<String> etag,
    Optional<String> lastModified,
    boolean noCache,
    Instant freshUntil) {

  /** True when the entry can be used at {@code now} without asking the origin. */
  public boolean isFresh(Instant now) {
    return !noCache && now.isBefore(freshUntil);
  }

  /** True when a conditional request can revalidate the entry. */
  public boolean hasValidators() {
    return etag.isPresent() || lastModified.isPresent();
  }

  /** Reads an entry; empty when absent or unreadable. */
  public static Optional<CachedMedia> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
      return Optional.of(new CachedMedia(
          p.getProperty("url"),
          p.getProperty("hash"),
          Optional.ofNullable(p.getProperty("etag")),
          Optional.ofNullable(p.getProperty("lastModified")),
          Boolean.parseBoolean(p.getProperty("noCache")),
          Instant.parse(p.getProperty("freshUntil"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Writes the entry atomically. */
  public void write(Path file) throws IOException {
    Properties p = new Properties();
    p.setProperty("url", url);
    p.setProperty("hash", hash);
    etag.ifPresent(v -> p.setProperty("etag", v));
    lastModified.ifPresent(v -> p.setProperty("lastModified", v));
    p.setProperty("noCache", Boolean.toString(noCache));
    p.setProperty("freshUntil", freshUntil.toString());
    Path tmp = Files.createTempFile(file.getParent(), ".meta-", ".tmp");
    try {
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(out, null);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
