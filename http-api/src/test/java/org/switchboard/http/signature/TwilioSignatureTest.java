package org.switchboard.http.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class TwilioSignatureTest {
  private static final String TOKEN = "12345";
  private static final List<Map.Entry<String, String>> PARAMS = List.of(
      new SimpleEntry<>("From", "+14158675309"),
      new SimpleEntry<>("CallSid", "CA1234567890ABCDE"),
      new SimpleEntry<>("To", "+18005551212"),
      new SimpleEntry<>("Caller", "+14158675309"),
      new SimpleEntry<>("Digits", "1234"));

  @Test
  void specVectorsWithParams() {
    assertEquals("RSOYDt4T1cUTdK1PDd93/VVr8B8=",
        TwilioSignature.compute(TOKEN, "https://mycompany.com/myapp.php?foo=1&bar=2", PARAMS));
    assertEquals("kvajT1Ptam85bY51eRf/AJRuM3w=",
        TwilioSignature.compute(TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS));
    assertEquals("1xaxFBvyzXYvWplzNOSs28HWO94=",
        TwilioSignature.compute(TOKEN, "https://mycompany.com/myapp.php", PARAMS));
  }

  @Test
  void specVectorWithoutParamsIsTheGetVariant() {
    assertEquals("zYQTYrRWXE7LtzbG4PfP7/bkkGo=",
        TwilioSignature.compute(TOKEN, "https://mycompany.com/myapp.php?foo=1&bar=2"));
  }

  @Test
  void bodySha256Vector() {
    byte[] body = "{\"property\": \"value\", \"boolean\": true}".getBytes(StandardCharsets.UTF_8);
    String hash = TwilioSignature.bodySha256Hex(body);
    assertEquals("0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620", hash);
    String url = "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=" + hash;
    assertEquals("a9nBmqA0ju/hNViExpshrM61xv4=", TwilioSignature.compute(TOKEN, url));
    assertTrue(TwilioSignature.validateJsonBody(TOKEN, "a9nBmqA0ju/hNViExpshrM61xv4=", url, body));
    byte[] tampered = "{\"property\": \"other\", \"boolean\": true}".getBytes(StandardCharsets.UTF_8);
    assertFalse(TwilioSignature.validateJsonBody(TOKEN, "a9nBmqA0ju/hNViExpshrM61xv4=", url, tampered));
  }

  @Test
  void validationAcceptsWithAndWithoutDefaultPort() {
    String withoutPort = "https://mycompany.com/myapp.php?foo=1&bar=2";
    String withPort = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
    assertTrue(TwilioSignature.validate(TOKEN, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", withPort, PARAMS));
    assertTrue(TwilioSignature.validate(TOKEN, "kvajT1Ptam85bY51eRf/AJRuM3w=", withoutPort, PARAMS));
    assertTrue(TwilioSignature.validate(TOKEN, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", withoutPort, PARAMS));
  }

  @Test
  void validationRefusesWrongSignatureParamsOrToken() {
    String url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    assertFalse(TwilioSignature.validate(TOKEN, "RSOYDt4T1cUTdK1PDd93/VVr8B9=", url, PARAMS));
    assertFalse(TwilioSignature.validate("54321", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url, PARAMS));
    assertFalse(TwilioSignature.validate(TOKEN, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url,
        List.of(new SimpleEntry<>("Digits", "9"))));
    assertFalse(TwilioSignature.validate(TOKEN, null, url, PARAMS));
  }

  @Test
  void namesSortByCodeUnitAndRepeatedValuesAreSortedAndDeduplicated() {
    String url = "https://example.com/x";
    List<Map.Entry<String, String>> params = List.of(
        new SimpleEntry<>("foo", "b"),
        new SimpleEntry<>("To", "1"),
        new SimpleEntry<>("foo", "a"),
        new SimpleEntry<>("foo", "b"),
        new SimpleEntry<>("Empty", null));
    String expected = TwilioSignature.compute(TOKEN, url + "Empty" + "To1" + "fooa" + "foob");
    assertEquals(expected, TwilioSignature.compute(TOKEN, url, params));
  }

  @Test
  void urlVariantsKeepUserInfoAndIpv6() {
    assertEquals(
        List.of("http://u:p@[::1]:8080/a", "http://u:p@[::1]/a"),
        List.copyOf(TwilioSignature.urlVariants("http://u:p@[::1]:8080/a")));
    assertEquals(
        List.of("http://h?x=1", "http://h:80?x=1"),
        List.copyOf(TwilioSignature.urlVariants("http://h?x=1")));
  }
  @Test
  void twilioLibraryVectorsForOtherSchemesAndPorts() {
    assertEquals("Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", TwilioSignature.compute(
        TOKEN, "http://mycompany.com:1234/myapp.php?foo=1&bar=2", PARAMS));
    assertEquals("0ZXoZLH/DfblKGATFgpif+LLRf4=", TwilioSignature.compute(
        TOKEN, "http://mycompany.com:80/myapp.php?foo=1&bar=2", PARAMS));
    assertEquals("y77kIzt2vzLz71DgmJGsen2scGs=", TwilioSignature.compute(TOKEN,
        "https://mycompany.com/myapp.php?bodySHA256="
            + "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"));
    assertTrue(TwilioSignature.validate(TOKEN, "RSOYDt4T1cUTdK1PDd93/VVr8B8=",
        "https://mycompany.com:1234/myapp.php?foo=1&bar=2", PARAMS));
  }

  @Test
  void parameterOrderDoesNotChangeTheSignature() {
    List<Map.Entry<String, String>> reversed = new ArrayList<>(PARAMS);
    Collections.reverse(reversed);
    assertEquals("RSOYDt4T1cUTdK1PDd93/VVr8B8=",
        TwilioSignature.compute(TOKEN, "https://mycompany.com/myapp.php?foo=1&bar=2", reversed));
    assertEquals("Digits", reversed.get(0).getKey(), "the caller's list is not sorted in place");
  }

  @Test
  void nonAsciiDataIsSignedAsUtf8() throws Exception {
    String url = "https://example.com/x?q=caf%C3%A9";
    List<Map.Entry<String, String>> params =
        List.of(new SimpleEntry<>("SpeechResult", "Zoë 🎉 漢字"), new SimpleEntry<>("A", "&=+"));
    assertEquals(reference(TOKEN, url + "A&=+SpeechResultZoë 🎉 漢字"),
        TwilioSignature.compute(TOKEN, url, params));
  }

  @Test
  void keyedInstancesPerThreadGiveTheSameSignaturesForManyTokens() throws Exception {
    String url = "https://example.com/voice";
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 3 * Hmacs.MAX_KEYS; i++) {
      tokens.add("token-" + i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<String>>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(pool.submit(() -> {
          List<String> signatures = new ArrayList<>();
          for (int round = 0; round < 50; round++) {
            for (String token : tokens) {
              signatures.add(TwilioSignature.compute(token, url, PARAMS));
            }
          }
          return signatures;
        }));
      }
      List<String> expected = new ArrayList<>();
      String data = url + "CallSidCA1234567890ABCDECaller+14158675309Digits1234"
          + "From+14158675309To+18005551212";
      for (int round = 0; round < 50; round++) {
        for (String token : tokens) {
          expected.add(reference(token, data));
        }
      }
      for (Future<List<String>> run : runs) {
        assertEquals(expected, run.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** HMAC-SHA1 with a fresh instance: what the signature must stay byte for byte. */
  private static String reference(String token, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
  }
}
