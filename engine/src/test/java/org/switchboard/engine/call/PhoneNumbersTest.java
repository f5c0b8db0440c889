package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The DID forms, normalised once ({@link PhoneNumbers}) for routing and {@code To}/{@code From}. */
class PhoneNumbersTest {
  private static final PhoneNumbers NANP = PhoneNumbers.withDefaultCountry("1");
  private static final PhoneNumbers UK = PhoneNumbers.withDefaultCountry("+44");

  @ParameterizedTest(name = "{0} -> {1} / with country 1: {2}")
  @CsvSource(delimiter = '|', value = {
      "+15550009000       | +15550009000 | +15550009000",
      "15550009000        | +15550009000 | +15550009000",
      "0015550009000      | +15550009000 | +15550009000",
      "+1 (555) 000-9000  | +15550009000 | +15550009000",
      "tel:+15550009000   | +15550009000 | +15550009000",
      "01115550009000     | 01115550009000 | +15550009000",
      "5550009000         | 5550009000   | +15550009000",
      "1555000900         | 1555000900   | 1555000900",
      "1000               | 1000         | 1000",
      "s                  | s            | s",
      "anonymous          | anonymous    | anonymous",
      "+0123456789        | +0123456789  | +0123456789",
      "+123               | +123         | +123",
      "' 15550009000 '    | +15550009000 | +15550009000",
  })
  void didForms(String dialled, String international, String northAmerica) {
    assertEquals(international, PhoneNumbers.INTERNATIONAL.e164(dialled));
    assertEquals(international, CallParams.e164(dialled));
    assertEquals(northAmerica, NANP.e164(dialled));
  }

  @Test
  void nationalFormsOfAnotherCountry() {
    assertEquals("+442079460000", UK.e164("02079460000"));
    assertEquals("+442079460000", UK.e164("+44 20 7946 0000"));
    assertEquals("+15550009000", UK.e164("0015550009000"));
    // 10 bare digits are not a UK national form (no trunk 0).
    assertEquals("5550009000", UK.e164("5550009000"));
    assertEquals("", UK.e164(null));
  }

  @Test
  void countryCodes() {
    assertSame(PhoneNumbers.INTERNATIONAL, PhoneNumbers.withDefaultCountry(" "));
    assertEquals("44", UK.defaultCountryCode());
    assertThrows(IllegalArgumentException.class, () -> PhoneNumbers.withDefaultCountry("US"));
    assertThrows(IllegalArgumentException.class, () -> PhoneNumbers.withDefaultCountry("0"));
  }

  @Test
  void aDidDialledWithoutThePlusRoutesToTheApplicationOfItsE164Form() {
    VoiceApplication hotline = VoiceApplication.of(URI.create("http://app/hotline"));
    VoiceApplication other = VoiceApplication.of(URI.create("http://app/other"));
    VoiceApplication extension = VoiceApplication.of(URI.create("http://app/ext"));
    ApplicationDirectory directory = ApplicationDirectory.of(
        Map.of("+15550009000", hotline, "1000", extension), other);
    assertSame(hotline, directory.applicationFor("15550009000"));
    assertSame(hotline, directory.applicationFor("+15550009000"));
    assertSame(hotline, directory.applicationFor("0015550009000"));
    assertSame(other, directory.applicationFor("5550009000"));
    assertSame(extension, directory.applicationFor("1000"));
    assertEquals("+15550009000", directory.calledNumber("15550009000"));

    // Keys in any form, a default country, and the hotline number as To of non-numbers.
    ApplicationDirectory nanp = ApplicationDirectory.of(
        Map.of("15550009000", hotline), other, NANP, Optional.of("1 555 123 4567"));
    assertSame(hotline, nanp.applicationFor("5550009000"));
    assertSame(hotline, nanp.applicationFor("+15550009000"));
    assertEquals("+15550009000", nanp.calledNumber("5550009000"));
    assertEquals("+15551234567", nanp.calledNumber("s"));
    assertEquals("+15551234567", nanp.calledNumber(""));
    assertEquals("1000", ApplicationDirectory.of(Map.of(), other).calledNumber("1000"));
  }
}
