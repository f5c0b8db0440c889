package org.switchboard.loadtest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code --samples} CSV: one line per latency sample, {@code
 * kind,at_micros,latency_micros,call_sid,page}, in the order the calls finished. {@code at_micros}
 * is when the measured interval began (wall clock, µs since the epoch), so tails can be lined up
 * with a GC log or a progress line. Written from the driver thread only.
 */
final class SampleFile implements CallBook.SampleSink, AutoCloseable {
  static final String HEADER = "kind,at_micros,latency_micros,call_sid,page";

  private final Path path;
  private final BufferedWriter out;

  private SampleFile(Path path, BufferedWriter out) {
    this.path = path;
    this.out = out;
  }

  /** Creates (or truncates) {@code path} and writes the header; empty when no path is given. */
  static Optional<SampleFile> open(Optional<Path> path) throws IOException {
    if (path.isEmpty()) {
      return Optional.empty();
    }
    BufferedWriter out = Files.newBufferedWriter(path.get(), StandardCharsets.UTF_8);
    out.write(HEADER);
    out.newLine();
    return Optional.of(new SampleFile(path.get(), out));
  }

  @Override
  public void sample(String kind, long atMicros, long micros, String callSid, String page) {
    try {
      out.write(kind + ',' + atMicros + ',' + Math.max(0, micros) + ',' + callSid + ',' + page);
      out.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the samples file " + path, e);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
