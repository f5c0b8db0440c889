package org.switchboard.http.webhook;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Webhook URLs parsed once: most requests go to a handful of URLs (the voice URL, the status
 * callback), and parsing one per request (for the request and its cookies) costs more than
 * signing it. Bounded: when full it starts over, so URLs that are used once (GET queries carry
 * the call's parameters) cannot grow it.
 */
final class ParsedUrls {
  /** A parsed URL. */
  record Parsed(URI uri) {}

  private final int maxEntries;
  private final Map<String, Parsed> cache = new ConcurrentHashMap<>();

  ParsedUrls(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /**
   * {@code url} parsed, from the cache when it was seen before.
   *
   * @throws IllegalArgumentException when it is not a valid URI
   */
  Parsed get(String url) {
    Parsed parsed = cache.get(url);
    if (parsed == null) {
      parsed = parse(url);
      if (cache.size() >= maxEntries) {
        cache.clear();
      }
      cache.put(url, parsed);
    }
    return parsed;
  }

  /** {@code url} parsed without caching it (a URL that will not be sent again). */
  static Parsed parse(String url) {
    return new Parsed(URI.create(url));
  }

  /** How many URLs are cached (for tests). */
  int size() {
    return cache.size();
  }
}
