package org.switchboard.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.twilio.exception.ApiException;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.type.PhoneNumber;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an application gets, through the Twilio SDK, from the resources Switchboard does not
 * serve yet (http-api/API.md, "Twilio compatibility"): a Twilio error it can read, never a
 * silent success.
 */
class UnsupportedCompatTest extends CompatTest {
  @Override
  CompatHarness harness() throws Exception {
    return new CompatHarness(List.of());
  }

  @Test
  void applicationSidInsteadOfUrlIs21205() {
    ApiException e = assertThrows(ApiException.class, () -> Call.creator(
            new PhoneNumber("+15550400001"), new PhoneNumber("+15550009999"),
            "AP00000000000000000000000000000000")
        .create(h.twilio));
    assertEquals(21205, e.getCode());
  }
}
