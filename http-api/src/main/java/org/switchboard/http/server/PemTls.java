package org.switchboard.http.server;

import com.typesafe.config.Config;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;

/**
 * HTTPS for the HTTP server from a PEM certificate (its chain, leaf first) and a PEM private key
 * ({@code switchboard.http.tls.cert} / {@code .key}), with the JDK alone: PKCS#8 keys ({@code
 * BEGIN PRIVATE KEY}: RSA, EC, Ed25519) and PKCS#1 RSA keys ({@code BEGIN RSA PRIVATE KEY}).
 * Other forms are refused with the {@code openssl} line that converts them.
 */
public final class PemTls {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");
  /** AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
  private static final byte[] RSA_ALGORITHM = {
    0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
    0x01, 0x05, 0x00
  };

  private PemTls() {}

  /**
   * The HTTPS context of {@code switchboard.http.tls}, empty when both paths are blank.
   *
   * @throws IllegalArgumentException when only one is set, or a file cannot be read or used
   */
  public static Optional<HttpsConnectionContext> fromConfig(Config root) {
    Config tls = root.getConfig("switchboard.http.tls");
    String cert = tls.getString("cert").strip();
    String key = tls.getString("key").strip();
    if (cert.isEmpty() && key.isEmpty()) {
      return Optional.empty();
    }
    if (cert.isEmpty() || key.isEmpty()) {
      throw new IllegalArgumentException(
          "switchboard.http.tls needs both cert and key (SWITCHBOARD_HTTP_TLS_CERT and"
              + " SWITCHBOARD_HTTP_TLS_KEY), got only " + (cert.isEmpty() ? "key" : "cert"));
    }
    return Optional.of(ConnectionContext.httpsServer(sslContext(Path.of(cert), Path.of(key))));
  }

  /** A server {@link SSLContext} presenting the chain in {@code certFile} with {@code keyFile}. */
  public static SSLContext sslContext(Path certFile, Path keyFile) {
    try {
      Certificate[] chain = certificates(certFile);
      PrivateKey key = privateKey(keyFile);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry("switchboard", key, password, chain);
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("TLS certificate " + certFile + " / key " + keyFile
          + ": " + e.getMessage(), e);
    }
  }

  /** The certificates of a PEM file, in file order. */
  public static Certificate[] certificates(Path file) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> certs;
    try (var in = Files.newInputStream(file)) {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (certs.isEmpty()) {
      throw new GeneralSecurityException(file + " holds no PEM certificate");
    }
    return certs.toArray(new Certificate[0]);
  }

  /** The first private key of a PEM file. */
  static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    Matcher m = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
    while (m.find()) {
      String type = m.group(1);
      byte[] der = Base64.getMimeDecoder().decode(m.group(2).strip());
      switch (type) {
        case "PRIVATE KEY":
          return pkcs8(der);
        case "RSA PRIVATE KEY":
          return KeyFactory.getInstance("RSA").generatePrivate(
              new PKCS8EncodedKeySpec(wrapPkcs1(der)));
        case "ENCRYPTED PRIVATE KEY":
          throw new GeneralSecurityException("the key is encrypted; write it unencrypted with"
              + " `openssl pkcs8 -topk8 -nocrypt -in " + file + "` and protect the file instead");
        case "EC PRIVATE KEY":
          throw new GeneralSecurityException("SEC1 EC keys are not read; convert with"
              + " `openssl pkcs8 -topk8 -nocrypt -in " + file + "`");
        default:
          // a certificate or parameters in the same file: look further
      }
    }
    throw new GeneralSecurityException(file + " holds no PEM private key");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new GeneralSecurityException("unsupported PKCS#8 key: " + last.getMessage(), last);
  }

  /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 } around a PKCS#1 key. */
  private static byte[] wrapPkcs1(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.write(0x04);
    body.writeBytes(length(pkcs1.length));
    body.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.writeBytes(length(body.size()));
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static byte[] length(int n) {
    if (n < 0x80) {
      return new byte[] {(byte) n};
    }
    if (n < 0x100) {
      return new byte[] {(byte) 0x81, (byte) n};
    }
    if (n < 0x10000) {
      return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
    }
    return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
  }
}
