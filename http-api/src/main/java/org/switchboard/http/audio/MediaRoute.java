package org.switchboard.http.audio;

import java.nio.file.Path;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.ETag;
import org.apache.pekko.http.javadsl.model.headers.EntityTag;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /media/<hash>.wav} (also {@code .wav16} and bare {@code <hash>}): serves the files of
 * a {@link MediaStore} to Asterisk's res_http_media_cache.
 *
 * <p>Files are immutable (named by hash), so the strong ETag is the hash, {@code If-None-Match}
 * answers 304, and the response may be cached for a year. HEAD (used by Asterisk to revalidate)
 * is answered by Pekko HTTP's transparent HEAD support.
 */
public final class MediaRoute extends AllDirectives {

  private static final ContentType WAV = ContentTypes.create(MediaTypes.AUDIO_WAV);

  private final MediaStore store;

  /** Serves the files of {@code store}. */
  public MediaRoute(MediaStore store) {
    this.store = store;
  }

  /** The route. */
  public Route route() {
    return pathPrefix("media", () -> path(PathMatchers.segment(), name -> get(() ->
        optionalHeaderValueByName("If-None-Match", ifNoneMatch -> serve(name, ifNoneMatch)))));
  }

  private Route serve(String name, Optional<String> ifNoneMatch) {
    String hash = stripExtension(name);
    Optional<Path> file = hash == null ? Optional.empty() : store.find(hash);
    if (file.isEmpty()) {
      return complete(StatusCodes.NOT_FOUND, "no such media");
    }
    ETag etag = ETag.create(EntityTag.create(hash, false));
    CacheControl cache = CacheControl.create(CacheDirectives.PUBLIC, CacheDirectives.MAX_AGE(31_536_000));
    if (ifNoneMatch.map(value -> matches(value, hash)).orElse(false)) {
      return complete(HttpResponse.create().withStatus(StatusCodes.NOT_MODIFIED)
          .addHeader(etag).addHeader(cache));
    }
    return complete(HttpResponse.create()
        .withEntity(HttpEntities.create(WAV, file.get()))
        .addHeader(etag)
        .addHeader(cache));
  }

  private String stripExtension(String name) {
    String base = name;
    if (name.endsWith(".wav")) {
      base = name.substring(0, name.length() - 4);
    } else if (name.endsWith(".wav16")) {
      base = name.substring(0, name.length() - 6);
    }
    return MediaStore.isHash(base) ? base : null;
  }

  private static boolean matches(String ifNoneMatch, String hash) {
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.trim();
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.equals("*") || t.equals("\"" + hash + "\"")) {
        return true;
      }
    }
    return false;
  }
}
