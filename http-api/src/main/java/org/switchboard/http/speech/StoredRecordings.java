package org.switchboard.http.speech;

import java.util.concurrent.CompletionStage;

/** The files of stored recordings on an Asterisk server ({@code /recordings/stored/{name}}). */
public interface StoredRecordings {

  /** {@code GET /recordings/stored/{name}/file}. */
  CompletionStage<byte[]> read(String serverId, String name);

  /** {@code DELETE /recordings/stored/{name}}. */
  CompletionStage<?> delete(String serverId, String name);
}
