package org.switchboard.http.speech;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code switchboard.speech.transcription}: how {@code <Record transcribe>} recordings are
 * transcribed, on a recogniser of their own built from {@code switchboard.speech} (the same
 * engine, with this timeout and these processes), so a queue of voicemails never delays a
 * caller's speech {@code <Gather>}.
 *
 * @param maxSeconds the longest recording transcribed (Twilio: 120 s); longer ones fail
 * @param timeout how long the recogniser may take on one recording
 * @param processes pocketsphinx decoders run at once for transcriptions
 * @param readAttempts reads of the recording's file before the transcription fails (a recording
 *     the caller's hangup ended is stored by Asterisk a moment after the call learns it)
 * @param readRetry the wait before the second read, doubled for each further one
 * @param pendingDir where a transcription under way is kept until its callback is in the outbox
 * @param capacity the transcriptions the REST API remembers
 */
public record TranscriptionSettings(
    int maxSeconds,
    Duration timeout,
    int processes,
    int readAttempts,
    Duration readRetry,
    Path pendingDir,
    int capacity) {

  public static TranscriptionSettings fromConfig(Config root) {
    Config c = root.getConfig("switchboard.speech.transcription");
    String dir = c.getString("pending-dir");
    Path pending = dir.isBlank()
        ? Path.of(root.getString("switchboard.webhooks.outbox.dir")).resolve("transcriptions")
        : Path.of(dir);
    return new TranscriptionSettings(c.getInt("max-seconds"), c.getDuration("timeout"),
        c.getInt("processes"), Math.max(1, c.getInt("read-attempts")),
        c.getDuration("read-retry"), pending, c.getInt("capacity"));
  }

  /** {@code speech} with this timeout and these processes: the transcriptions' recogniser. */
  public SpeechSettings recognizer(SpeechSettings speech) {
    SpeechSettings.Pocketsphinx p = speech.pocketsphinx();
    SpeechSettings.Http h = speech.http();
    return new SpeechSettings(speech.engine(), speech.recordFormat(), speech.autoSilenceMs(),
        speech.talkThreshold(), speech.maxSpeechSeconds(),
        new SpeechSettings.Pocketsphinx(p.executable(), p.dictionary(), timeout, processes),
        new SpeechSettings.Http(h.url(), h.model(), h.apiKey(), timeout));
  }
}
