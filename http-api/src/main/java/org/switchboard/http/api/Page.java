package org.switchboard.http.api;

import java.util.List;

/**
 * One page of a listing: the items from the requested offset (at most the requested limit) and
 * whether more items follow. Listings are ordered newest first (calls, recordings) or by position
 * (queue members) or by name (queues), stably enough that consecutive pages do not repeat items
 * while nothing changes.
 */
public record Page<T>(List<T> items, boolean hasMore) {
  public Page {
    items = List.copyOf(items);
  }

  /** The page of {@code all} from {@code offset}, at most {@code limit} items. */
  public static <T> Page<T> of(List<T> all, int offset, int limit) {
    int from = Math.min(offset, all.size());
    int to = (int) Math.min(all.size(), (long) from + limit);
    return new Page<>(all.subList(from, to), to < all.size());
  }
}
