package org.switchboard.http.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the {@code X-Twilio-Signature} checker: any signature, URL,
 * parameter or body is accepted exactly when the token made that signature for one of the URL's
 * port variants, never throws, and a signature over other content or by another token is refused.
 * Regressions: {@code TwilioSignatureFuzzTestInputs/twilio/}.
 */
class TwilioSignatureFuzzTest {

  private static final String TOKEN = "twilio-auth-token";

  @FuzzTest(maxDuration = "5s")
  void twilio(FuzzedDataProvider data) {
    String url = data.consumeString(300);
    List<Map.Entry<String, String>> params = new ArrayList<>();
    int count = data.consumeInt(0, 6);
    for (int i = 0; i < count; i++) {
      params.add(Map.entry(data.consumeString(40), data.consumeString(80)));
    }
    String claimed = data.consumeString(60);
    byte[] body = data.consumeRemainingAsBytes();

    boolean accepted = TwilioSignature.validate(TOKEN, claimed, url, params);
    boolean computed = TwilioSignature.urlVariants(url).stream()
        .anyMatch(v -> TwilioSignature.compute(TOKEN, v, params).equals(claimed));
    assertEquals(computed, accepted, "a signature the token did not make was accepted");

    String signed = TwilioSignature.compute(TOKEN, url, params);
    assertTrue(TwilioSignature.validate(TOKEN, signed, url, params));
    assertFalse(TwilioSignature.validate(TOKEN, TwilioSignature.compute(TOKEN + "x", url, params),
        url, params), "signed with another token");
    List<Map.Entry<String, String>> forged = new ArrayList<>(params);
    forged.add(Map.entry("Forged", "1"));
    assertFalse(TwilioSignature.validate(TOKEN, signed, url, forged), "a parameter was added");

    TwilioSignature.validateJsonBody(TOKEN, claimed, url, body);
    String jsonUrl = "https://app.example/hook?" + TwilioSignature.BODY_SHA256_PARAM + "="
        + TwilioSignature.bodySha256Hex(body);
    String jsonSigned = TwilioSignature.compute(TOKEN, jsonUrl);
    assertTrue(TwilioSignature.validateJsonBody(TOKEN, jsonSigned, jsonUrl, body));
    byte[] longer = new byte[body.length + 1];
    System.arraycopy(body, 0, longer, 0, body.length);
    assertFalse(TwilioSignature.validateJsonBody(TOKEN, jsonSigned, jsonUrl, longer),
        "the body changed");
  }
}
