package org.switchboard.http.signature;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed HMAC instances of one algorithm, one per thread and key: {@code Mac.getInstance} and
 * {@code init} cost more than signing a webhook, so each thread keys its own instance once and
 * reuses it ({@code doFinal} resets it to the keyed state). A {@link Mac} is not thread-safe, so
 * instances are never shared between threads. Each thread keeps at most {@link #MAX_KEYS} keys
 * (the auth token and the bridge secret in practice) and starts over beyond that.
 */
final class Hmacs {
  static final int MAX_KEYS = 8;

  private final String algorithm;
  private final ThreadLocal<Map<String, Mac>> perThread = ThreadLocal.withInitial(HashMap::new);

  Hmacs(String algorithm) {
    this.algorithm = algorithm;
  }

  /**
   * This thread's instance keyed with {@code key} (UTF-8), ready for {@code update}/{@code
   * doFinal}. Use it on this thread only and finish with {@code doFinal} before asking again.
   */
  Mac keyed(String key) {
    Map<String, Mac> macs = perThread.get();
    Mac mac = macs.get(key);
    if (mac == null) {
      if (macs.size() >= MAX_KEYS) {
        macs.clear();
      }
      mac = newMac(key);
      macs.put(key, mac);
    }
    return mac;
  }

  private Mac newMac(String key) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " unavailable", e);
    }
  }
}
