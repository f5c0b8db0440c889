package org.switchboard.http.speech;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.http.audio.AudioFormatException;
import org.switchboard.http.audio.Pcm;
import org.switchboard.http.audio.WavCodec;

/**
 * The embedded recogniser: Debian's {@code pocketsphinx_continuous} (packages {@code pocketsphinx}
 * and {@code pocketsphinx-en-us}) run once per utterance on a 16 kHz copy of the capture. With
 * {@code hints} it decodes against a JSGF grammar of the hinted phrases ({@link HintGrammar}:
 * words, digit sequences, yes/no), without them against the general US-English language model.
 * The CLI rather than a JNI binding: Debian ships no Java binding, a child process cannot crash
 * the JVM, and each utterance is short (one process of ~0.1 s with a grammar, ~1.5 s with the
 * full model, which loads its 30 MB model every time).
 */
public final class PocketsphinxRecognizer implements SpeechRecognizer {
  private static final Logger LOG = LoggerFactory.getLogger(PocketsphinxRecognizer.class);
  /** The acoustic model's sample rate. */
  static final int RATE = 16000;

  private final SpeechSettings.Pocketsphinx settings;
  private final Executor processes;
  private final HintGrammar grammar;

  public PocketsphinxRecognizer(SpeechSettings.Pocketsphinx settings, Executor processes) {
    this.settings = settings;
    this.processes = processes;
    this.grammar = new HintGrammar(settings.dictionary());
  }

  @Override
  public String name() {
    return "pocketsphinx";
  }

  @Override
  public CompletionStage<Recognition> recognize(byte[] wav, Request request) {
    return CompletableFuture.supplyAsync(() -> run(wav, request), processes);
  }

  private Recognition run(byte[] wav, Request request) {
    String language = request.language().toLowerCase(Locale.ROOT);
    if (!language.equals("en") && !language.startsWith("en-")) {
      throw new SpeechEngineException("pocketsphinx has a US-English model only, not "
          + request.language());
    }
    Pcm pcm;
    try {
      pcm = WavCodec.decodeWav(wav);
    } catch (AudioFormatException e) {
      throw new SpeechEngineException("the capture is not readable audio: " + e.getMessage(), e);
    }
    if (pcm.samples().length == 0) {
      return Recognition.NOTHING;
    }
    HintGrammar.Compiled compiled = grammar.compile(request.hints(), request.speechModel());
    Path audio = null;
    Path gram = null;
    Process process = null;
    try {
      audio = Files.createTempFile("speech-", ".wav");
      Files.write(audio, WavCodec.encodeWav(padded(pcm.resampledTo(RATE))));
      List<String> command = new ArrayList<>(List.of(settings.executable(),
          "-infile", audio.toString(), "-time", "yes", "-logfn", "/dev/null"));
      if (compiled.jsgf().isPresent()) {
        gram = Files.createTempFile("speech-", ".gram");
        Files.writeString(gram, compiled.jsgf().get(), StandardCharsets.UTF_8);
        command.addAll(List.of("-jsgf", gram.toString()));
      }
      process = new ProcessBuilder(command).redirectErrorStream(false)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        throw new SpeechEngineException("pocketsphinx timed out after "
            + settings.timeout().toMillis() + " ms");
      }
      if (process.exitValue() != 0) {
        throw new SpeechEngineException("pocketsphinx exited with " + process.exitValue());
      }
      Recognition r = PocketsphinxOutput.parse(new String(out, StandardCharsets.UTF_8));
      return new Recognition(compiled.normalize(r.text()), r.confidence());
    } catch (IOException e) {
      throw new SpeechEngineException("cannot run pocketsphinx ('" + settings.executable() + "'): "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SpeechEngineException("interrupted while waiting for pocketsphinx", e);
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
      }
      delete(audio);
      delete(gram);
    }
  }

  /**
   * Half a second of silence on each side: the decoder's voice activity detection drops the first
   * and last frames of speech that touches the edges of the file.
   */
  private static Pcm padded(Pcm pcm) {
    int pad = RATE / 2;
    short[] out = new short[pcm.samples().length + 2 * pad];
    System.arraycopy(pcm.samples(), 0, out, pad, pcm.samples().length);
    return new Pcm(pcm.sampleRate(), out);
  }

  private static void delete(Path p) {
    if (p == null) {
      return;
    }
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", p, e.toString());
    }
  }
}
