package org.switchboard.http.speech;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.switchboard.http.api.RecordingStore.TranscriptionInfo;

/**
 * The transcriptions made on this node, for the REST Transcriptions resource: bounded (past
 * {@code capacity} the oldest are forgotten), in memory (a restart forgets them; their
 * callbacks were sent). Thread-safe.
 */
public final class Transcriptions {
  private final int capacity;
  private final Map<String, TranscriptionInfo> entries;

  public Transcriptions(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, TranscriptionInfo> eldest) {
        return size() > Transcriptions.this.capacity;
      }
    };
  }

  /** Records {@code info}, replacing an earlier state of the same transcription in its place. */
  public synchronized void put(TranscriptionInfo info) {
    entries.put(info.sid(), info);
  }

  public synchronized Optional<TranscriptionInfo> find(String sid) {
    return Optional.ofNullable(entries.get(sid));
  }

  /** Newest first; only those of {@code recordingSid} when given. */
  public synchronized List<TranscriptionInfo> list(Optional<String> recordingSid) {
    List<TranscriptionInfo> out = new ArrayList<>();
    for (TranscriptionInfo t : entries.values()) {
      if (recordingSid.isEmpty() || recordingSid.get().equals(t.recordingSid())) {
        out.add(t);
      }
    }
    Collections.reverse(out);
    return out;
  }

  /** Whether {@code sid} was known. */
  public synchronized boolean remove(String sid) {
    return entries.remove(sid) != null;
  }
}
