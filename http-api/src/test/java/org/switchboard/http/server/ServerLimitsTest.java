package org.switchboard.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerLimitsTest {

  @Test
  void rangesMatchByPrefixForBothFamilies() throws Exception {
    AddressRanges ranges = AddressRanges.parse(List.of("127.0.0.0/8", "10.1.2.0/23", "::1/128",
        "192.168.0.7", "fd00::/8"));
    for (String in : List.of("127.0.0.1", "127.255.0.9", "10.1.2.1", "10.1.3.254", "::1",
        "192.168.0.7", "fd12::5")) {
      assertTrue(ranges.contains(InetAddress.getByName(in)), in);
    }
    for (String out : List.of("128.0.0.1", "10.1.4.1", "10.1.1.255", "::2", "192.168.0.8",
        "fe80::1", "0.0.0.0")) {
      assertFalse(ranges.contains(InetAddress.getByName(out)), out);
    }
    assertFalse(AddressRanges.none().contains(InetAddress.getByName("127.0.0.1")));
  }

  @Test
  void entriesThatAreNotLiteralAddressesAreRefusedWithoutALookup() {
    for (String bad : List.of("localhost", "asterisk.example", "10.0.0.0/33", "::1/129",
        "10.0.0.0/x", "", "10.0.0.0/-1")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> AddressRanges.parse(List.of(bad)), bad);
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
  }

  @Test
  void defaultsAndTheCommaSeparatedForm() throws Exception {
    ServerLimits defaults = ServerLimits.fromConfig(ConfigFactory.defaultReference().resolve());
    assertEquals(Duration.ofSeconds(10), defaults.requestHeaderTimeout());
    assertEquals(Duration.ofSeconds(30), defaults.requestBodyTimeout());
    assertEquals(64, defaults.maxConnectionsPerAddress());
    assertTrue(defaults.trustedAddresses().contains(InetAddress.getByName("127.0.0.1")));
    assertTrue(defaults.trustedAddresses().contains(InetAddress.getByName("::1")));
    assertFalse(defaults.trustedAddresses().contains(InetAddress.getByName("10.0.0.7")));

    ServerLimits fromEnv = ServerLimits.fromConfig(ConfigFactory.parseString(
            "switchboard.http.trusted-addresses = \" 10.0.0.7 , fd00::/8,\"")
        .withFallback(ConfigFactory.defaultReference()).resolve());
    assertTrue(fromEnv.trustedAddresses().contains(InetAddress.getByName("10.0.0.7")));
    assertTrue(fromEnv.trustedAddresses().contains(InetAddress.getByName("fd00::1")));
    assertFalse(fromEnv.trustedAddresses().contains(InetAddress.getByName("127.0.0.1")));
  }
}
