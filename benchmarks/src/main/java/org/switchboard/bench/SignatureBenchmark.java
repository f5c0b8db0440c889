package org.switchboard.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.switchboard.http.signature.BridgeSignature;
import org.switchboard.http.signature.TwilioSignature;

/** Signing one webhook: every TwiML request and callback pays for this once. */
public class SignatureBenchmark extends MicroBenchmark {

  static final String URL = "https://hotline.example.org/api/telephony/language-selected?t=9";

  static final List<Map.Entry<String, String>> PARAMS =
      List.of(
          Map.entry("AccountSid", "AC0123456789abcdef0123456789abcdef"),
          Map.entry("ApiVersion", "2010-04-01"),
          Map.entry("CallSid", "CAfedcba9876543210fedcba9876543210"),
          Map.entry("CallStatus", "in-progress"),
          Map.entry("Called", "+15551234567"),
          Map.entry("Caller", "+15557654321"),
          Map.entry("Digits", "2"),
          Map.entry("Direction", "inbound"),
          Map.entry("FinishedOnKey", ""),
          Map.entry("From", "+15557654321"),
          Map.entry("To", "+15551234567"),
          Map.entry("msg", "Gather End"));

  static final byte[] BODY =
      "{\"parentCallSid\":\"CA1\",\"volunteers\":[{\"id\":\"v1\",\"phone\":\"+15550000001\"}]}"
          .getBytes(StandardCharsets.UTF_8);

  @Benchmark
  public String twilioSignature() {
    return TwilioSignature.compute("0123456789abcdef0123456789abcdef", URL, PARAMS);
  }

  @Benchmark
  public String bridgeSignature() {
    return BridgeSignature.sign("shared-secret-of-the-hotline", 1_795_313_044L, BODY);
  }
}
