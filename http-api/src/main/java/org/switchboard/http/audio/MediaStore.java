package org.switchboard.http.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The on-disk store of normalized WAV files, named by a SHA-256 hex hash, and the ARI media URI
 * under which Asterisk reaches each one.
 *
 * <p>Files are written to a temporary name and moved into place, so a reader never sees a half
 * file. With {@link AudioSettings.Delivery#SOUNDS_DIR} each file is also copied into the directory
 * shared with Asterisk, named {@code <hash>.wav} (or {@code .wav16}), and the URI is
 * {@code sound:<dir>/<hash>} (Asterisk adds the extension itself).
 */
public final class MediaStore {

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  private final Path mediaDir;
  private final URI publicBaseUrl;
  private final AudioSettings.Delivery delivery;
  private final Optional<Path> soundsDir;
  private final String extension;

  /** A store laid out as {@code settings} say; creates the directories. */
  public MediaStore(AudioSettings settings) {
    this.mediaDir = settings.cacheDir().resolve("media");
    this.publicBaseUrl = settings.publicBaseUrl();
    this.delivery = settings.delivery();
    this.soundsDir = settings.soundsDir();
    this.extension = settings.fileExtension();
    try {
      Files.createDirectories(mediaDir);
      if (delivery == AudioSettings.Delivery.SOUNDS_DIR) {
        Files.createDirectories(soundsDir.orElseThrow());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create audio cache directory " + mediaDir, e);
    }
  }

  /** True for a well-formed hash (64 lowercase hex digits). */
  public static boolean isHash(String value) {
    return HASH.matcher(value).matches();
  }

  /** SHA-256 hex of the parts, each length-prefixed so that no two part lists collide. */
  public static String hashOf(String... parts) {
    MessageDigest digest = sha256();
    for (String part : parts) {
      byte[] bytes = (part == null ? "" : part).getBytes(StandardCharsets.UTF_8);
      digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
      digest.update(bytes);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** SHA-256 hex of {@code data}. */
  public static String hashOf(byte[] data) {
    return HexFormat.of().formatHex(sha256().digest(data));
  }

  /** The file extension Asterisk needs: "wav" (8 kHz) or "wav16" (16 kHz). */
  public String extension() {
    return extension;
  }

  /** Where the file of {@code hash} lives. */
  public Path pathFor(String hash) {
    if (!isHash(hash)) {
      throw new IllegalArgumentException("not a media hash: " + hash);
    }
    return mediaDir.resolve(hash + "." + extension);
  }

  /** The stored file of {@code hash}, if present. */
  public Optional<Path> find(String hash) {
    if (!isHash(hash)) {
      return Optional.empty();
    }
    Path path = pathFor(hash);
    return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
  }

  /** Stores {@code wav} as the file of {@code hash} and returns its ARI media URI. */
  public String store(String hash, byte[] wav) throws IOException {
    Path target = pathFor(hash);
    writeAtomically(target, wav);
    if (delivery == AudioSettings.Delivery.SOUNDS_DIR) {
      writeAtomically(soundsDir.orElseThrow().resolve(hash + "." + extension), wav);
    }
    return mediaUri(hash);
  }

  /** The ARI media URI of the file of {@code hash}. */
  public String mediaUri(String hash) {
    if (delivery == AudioSettings.Delivery.SOUNDS_DIR) {
      return "sound:" + soundsDir.orElseThrow().toAbsolutePath() + "/" + hash;
    }
    return "sound:" + publicBaseUrl + "/media/" + hash + "." + extension;
  }

  /** True when the file of {@code hash} is present where Asterisk reads it. */
  public boolean isDelivered(String hash) {
    if (find(hash).isEmpty()) {
      return false;
    }
    return delivery != AudioSettings.Delivery.SOUNDS_DIR
        || Files.isRegularFile(soundsDir.orElseThrow().resolve(hash + "." + extension));
  }

  private static void writeAtomically(Path target, byte[] data) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), ".part-", ".tmp");
    try {
      Files.write(tmp, data);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JVM", e);
    }
  }
}
