package org.switchboard.http.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.twiml.verb.Method;

/**
 * The outbox's append-only journal ({@code journal.log}, one JSON record per line: {@code add},
 * {@code retry}, {@code done}, {@code dead}) and its dead-letter file ({@code dead-letter.log}).
 * Replaying the journal gives the pending entries in the order they were added. A torn or
 * unreadable line (a crash mid-write) is logged and skipped. Compaction rewrites the journal with
 * only the pending entries into a temporary file and atomically moves it into place. Not
 * thread-safe: the outbox serialises calls.
 */
final class OutboxJournal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxJournal.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private final Path journalFile;
  private final Path deadLetterFile;
  private final OutboxSettings.Fsync fsync;
  private FileChannel channel;
  private long records;
  private boolean dirty;

  /** One journal line. Fields not used by an operation are null. */
  record Line(String op, String id, String url, Method method, List<List<String>> params,
      String callSid, String purpose, Long createdAt, Integer attempts, Long nextAttemptAt,
      String reason) {

    static Line add(OutboxEntry e) {
      return new Line("add", e.id(), e.url(), e.method(), e.params(), e.callSid(), e.purpose(),
          e.createdAt(), e.attempts(), e.nextAttemptAt(), null);
    }

    static Line retry(OutboxEntry e) {
      return new Line("retry", e.id(), null, null, null, null, null, null, e.attempts(),
          e.nextAttemptAt(), null);
    }

    static Line done(String id) {
      return new Line("done", id, null, null, null, null, null, null, null, null, null);
    }

    static Line dead(String id) {
      return new Line("dead", id, null, null, null, null, null, null, null, null, null);
    }
  }

  private OutboxJournal(Path dir, OutboxSettings.Fsync fsync) {
    this.journalFile = dir.resolve("journal.log");
    this.deadLetterFile = dir.resolve("dead-letter.log");
    this.fsync = fsync;
  }

  /** Opens (creating if needed) the journal in {@code dir} and replays it. */
  static OutboxJournal open(Path dir, OutboxSettings.Fsync fsync, List<OutboxEntry> pendingOut)
      throws IOException {
    Files.createDirectories(dir);
    OutboxJournal journal = new OutboxJournal(dir, fsync);
    pendingOut.addAll(journal.replay());
    journal.channel = openAppend(journal.journalFile);
    journal.terminateTornLine();
    return journal;
  }

  private List<OutboxEntry> replay() throws IOException {
    Map<String, OutboxEntry> pending = new LinkedHashMap<>();
    if (!Files.exists(journalFile)) {
      return List.of();
    }
    try (BufferedReader reader = Files.newBufferedReader(journalFile, StandardCharsets.UTF_8)) {
      String text;
      int lineNo = 0;
      while ((text = reader.readLine()) != null) {
        lineNo++;
        if (text.isBlank()) {
          continue;
        }
        records++;
        try {
          apply(JSON.readValue(text, Line.class), pending);
        } catch (JsonProcessingException | RuntimeException e) {
          LOG.warn("Outbox journal {} line {} is unreadable and skipped: {}", journalFile, lineNo,
              e.getMessage());
        }
      }
    }
    return new ArrayList<>(pending.values());
  }

  private static void apply(Line line, Map<String, OutboxEntry> pending) {
    switch (line.op()) {
      case "add" -> pending.put(line.id(), new OutboxEntry(line.id(), line.url(), line.method(),
          line.params() == null ? List.of() : line.params(), line.callSid(), line.purpose(),
          line.createdAt(), line.attempts() == null ? 0 : line.attempts(),
          line.nextAttemptAt() == null ? line.createdAt() : line.nextAttemptAt()));
      case "retry" -> pending.computeIfPresent(line.id(),
          (id, e) -> e.retried(line.attempts(), line.nextAttemptAt()));
      case "done", "dead" -> pending.remove(line.id());
      default -> throw new IllegalArgumentException("unknown op " + line.op());
    }
  }

  /** A crash mid-append leaves a line without newline; end it so the next record stays whole. */
  private void terminateTornLine() throws IOException {
    long size = channel.size();
    if (size == 0) {
      return;
    }
    ByteBuffer last = ByteBuffer.allocate(1);
    try (FileChannel in = FileChannel.open(journalFile, StandardOpenOption.READ)) {
      in.read(last, size - 1);
    }
    if (last.get(0) != '\n') {
      channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
      channel.force(false);
    }
  }

  /** Appends a record; with {@link OutboxSettings.Fsync#ALWAYS} it is on disk on return. */
  void append(Line line) throws IOException {
    write(channel, line);
    records++;
    if (fsync == OutboxSettings.Fsync.ALWAYS) {
      channel.force(false);
    } else {
      dirty = true;
    }
  }

  /** Forces unsynced appends to disk (used by the batch policy). */
  void sync() throws IOException {
    if (dirty && fsync != OutboxSettings.Fsync.NEVER) {
      channel.force(false);
    }
    dirty = false;
  }

  /** Records written since the journal was last rewritten. */
  long records() {
    return records;
  }

  /** Rewrites the journal with only {@code pending}, in the given order. */
  void compact(Collection<OutboxEntry> pending) throws IOException {
    Path tmp = journalFile.resolveSibling("journal.log.tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      for (OutboxEntry entry : pending) {
        write(out, Line.add(entry));
      }
      out.force(true);
    }
    channel.close();
    Files.move(tmp, journalFile, StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    channel = openAppend(journalFile);
    records = pending.size();
    dirty = false;
  }

  /** Appends an abandoned entry and the reason to the dead-letter file, forced to disk. */
  void deadLetter(OutboxEntry entry, String reason) throws IOException {
    try (FileChannel out = openAppend(deadLetterFile)) {
      Line line = Line.add(entry);
      write(out, new Line("dead", line.id(), line.url(), line.method(), line.params(),
          line.callSid(), line.purpose(), line.createdAt(), line.attempts(),
          line.nextAttemptAt(), reason));
      out.force(false);
    }
  }

  @Override
  public void close() throws IOException {
    if (channel.isOpen()) {
      sync();
      channel.close();
    }
  }

  private static FileChannel openAppend(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
  }

  private static void write(FileChannel out, Line line) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap((JSON.writeValueAsString(line) + "\n")
        .getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      out.write(bytes);
    }
  }
}
