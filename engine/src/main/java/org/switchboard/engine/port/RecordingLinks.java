package org.switchboard.engine.port;

import java.net.URI;

/**
 * Where the application fetches a recording. The HTTP layer owns the URL shape and signs it; the
 * engine only asks for the link it sends as {@code RecordingUrl}.
 */
public interface RecordingLinks {

  /** The public, signed URL of the recording named {@code recordingSid} ({@code RE…}). */
  URI recordingUrl(String recordingSid);
}
