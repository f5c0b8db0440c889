package org.switchboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The host of a derived public URL ({@code BRIDGE_BIND} may be a wildcard). */
class PublicUrlHostTest {
  @Test
  void wildcardBindsUseLoopbackAndIpv6LiteralsGetBrackets() {
    assertEquals("127.0.0.1", SwitchboardNode.urlHost("0.0.0.0"));
    assertEquals("127.0.0.1", SwitchboardNode.urlHost("::"));
    assertEquals("[::1]", SwitchboardNode.urlHost("::1"));
    assertEquals("10.0.0.7", SwitchboardNode.urlHost("10.0.0.7"));
    assertEquals("pbx.local", SwitchboardNode.urlHost("pbx.local"));
  }
}
