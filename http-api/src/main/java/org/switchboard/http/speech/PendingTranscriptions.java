package org.switchboard.http.speech;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transcriptions under way on this node, one file each ({@code <TranscriptionSid>.json}),
 * written (and synced) before the recogniser starts and deleted once the outcome's callback is in
 * the durable outbox. A node that dies meanwhile finds them when it starts again on the same
 * directory ({@link Transcriber#resumePending}), so a transcription is never lost with its
 * callback: it runs again, and ends in {@code completed} or {@code failed}.
 */
final class PendingTranscriptions {
  private static final Logger LOG = LoggerFactory.getLogger(PendingTranscriptions.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SUFFIX = ".json";

  private final Path dir;

  PendingTranscriptions(Path dir) {
    this.dir = dir;
  }

  /** Keeps {@code job} until {@link #done}: written to a temporary file, synced, renamed. */
  void keep(TranscriptionJob job) throws IOException {
    Files.createDirectories(dir);
    Path target = file(job.transcriptionSid());
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      out.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(job)));
      out.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The job's callback is in the outbox (or it has none): its file goes. */
  void done(String transcriptionSid) {
    try {
      Files.deleteIfExists(file(transcriptionSid));
    } catch (IOException e) {
      LOG.warn("cannot delete the pending transcription {}: {} (it runs again after a restart)",
          transcriptionSid, e.toString());
    }
  }

  /** The jobs a previous run left; an unreadable file is logged and set aside ({@code .bad}). */
  List<TranscriptionJob> left() {
    List<TranscriptionJob> jobs = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return jobs;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) {
        try {
          jobs.add(JSON.readValue(f.toFile(), TranscriptionJob.class));
        } catch (IOException e) {
          LOG.error("pending transcription {} is unreadable ({}); set aside as .bad", f,
              e.getMessage());
          Files.move(f, f.resolveSibling(f.getFileName() + ".bad"),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      LOG.error("cannot list the pending transcriptions in {}: {}", dir, e.toString());
    }
    return jobs;
  }

  private Path file(String transcriptionSid) {
    return dir.resolve(transcriptionSid + SUFFIX);
  }
}
