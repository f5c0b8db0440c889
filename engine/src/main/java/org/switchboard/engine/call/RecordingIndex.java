package org.switchboard.engine.call;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.switchboard.engine.port.SoundSpan;

/**
 * The recordings made on this node ({@code <Record>} and {@code <Dial record>}), registered when
 * they complete, for the REST Recordings API. Bounded: past {@code capacity} the oldest entries
 * are forgotten (the files stay on Asterisk). Thread-safe.
 */
public final class RecordingIndex {
  /** The default number of recordings kept. */
  public static final int DEFAULT_CAPACITY = 10_000;

  /**
   * One recording.
   *
   * @param callSid the call recorded; for a dial recording the parent call
   * @param source {@code RecordVerb} or {@code DialVerb}
   * @param status {@code completed}, {@code absent} or {@code failed}
   * @param storedName the Asterisk stored recording name ({@code GET /recordings/stored/{name}})
   * @param serverId the Asterisk server holding the file
   * @param kept the part of the file served ({@code trim-silence}); empty: all of it
   */
  public record Entry(
      String recordingSid,
      String callSid,
      int durationSeconds,
      int channels,
      String source,
      String status,
      Instant startTime,
      String storedName,
      String serverId,
      Optional<SoundSpan> kept) {
    public Entry {
      Objects.requireNonNull(recordingSid, "recordingSid");
      Objects.requireNonNull(callSid, "callSid");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(startTime, "startTime");
      Objects.requireNonNull(storedName, "storedName");
      Objects.requireNonNull(serverId, "serverId");
      Objects.requireNonNull(kept, "kept");
    }

    /** A recording served whole. */
    public Entry(String recordingSid, String callSid, int durationSeconds, int channels,
        String source, String status, Instant startTime, String storedName, String serverId) {
      this(recordingSid, callSid, durationSeconds, channels, source, status, startTime,
          storedName, serverId, Optional.empty());
    }

    /** The Asterisk recordings holding its audio, one per channel ({@link #channelFiles}). */
    public List<String> channelFiles() {
      return RecordingIndex.channelFiles(storedName, channels);
    }
  }

  /**
   * The Asterisk recordings of a recording stored as {@code storedName} with {@code channels}
   * channels: the name itself for one channel; for two (a dual-channel recording, merged into a
   * stereo file when served) {@code <storedName>-1} (the call's own party, what Asterisk reads
   * from its channel) and {@code <storedName>-2} (what the call hears).
   */
  public static List<String> channelFiles(String storedName, int channels) {
    if (channels <= 1) {
      return List.of(storedName);
    }
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= channels; i++) {
      out.add(storedName + "-" + i);
    }
    return List.copyOf(out);
  }

  private final int capacity;
  private final Map<String, Entry> entries;
  private final List<Consumer<Entry>> listeners = new CopyOnWriteArrayList<>();

  /** An index keeping the last {@code capacity} recordings. */
  public RecordingIndex(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
    this.entries =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > RecordingIndex.this.capacity;
          }
        };
  }

  /** An index of {@link #DEFAULT_CAPACITY} recordings. */
  public RecordingIndex() {
    this(DEFAULT_CAPACITY);
  }

  /** Registers a completed recording (replacing an entry with the same sid). */
  public void register(Entry entry) {
    synchronized (this) {
      entries.remove(entry.recordingSid());
      entries.put(entry.recordingSid(), entry);
    }
    listeners.forEach(l -> l.accept(entry));
  }

  /** Calls {@code listener} with every recording registered from now on. */
  public void addListener(Consumer<Entry> listener) {
    listeners.add(listener);
  }

  /** Forgets the recordings that started before {@code cutoff} (retention); how many went. */
  public synchronized int forgetStartedBefore(Instant cutoff) {
    int before = entries.size();
    entries.values().removeIf(e -> e.startTime().isBefore(cutoff));
    return before - entries.size();
  }

  /** The recording {@code recordingSid}, if known. */
  public synchronized Optional<Entry> find(String recordingSid) {
    return Optional.ofNullable(entries.get(recordingSid));
  }

  /** Every known recording, newest first; only those of {@code callSid} when given. */
  public synchronized List<Entry> list(Optional<String> callSid) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (callSid.isEmpty() || callSid.get().equals(e.callSid())) {
        out.add(e);
      }
    }
    Collections.reverse(out);
    return out;
  }

  /** Forgets a recording (REST delete); whether it was known. */
  public synchronized boolean remove(String recordingSid) {
    return entries.remove(recordingSid) != null;
  }
}
