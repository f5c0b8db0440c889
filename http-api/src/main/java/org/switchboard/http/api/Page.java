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
}
