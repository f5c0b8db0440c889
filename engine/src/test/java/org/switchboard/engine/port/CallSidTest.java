package org.switchboard.engine.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CallSidTest {

  @Test
  void aChannelsCallSidIsStableAndHasTheShapeOfACallSid() {
    String sid = CallSid.forChannel(new ChannelRef("ast1", "1700000000.42"));
    assertEquals(sid, CallSid.forChannel(new ChannelRef("ast1", "1700000000.42")));
    assertNotEquals(sid, CallSid.forChannel(new ChannelRef("ast2", "1700000000.42")));
    assertTrue(CallSid.isCallSid(sid), sid);
    assertEquals(34, sid.length());
  }

  @Test
  void channelIdsAndOtherSidsAreNotCallSids() {
    assertFalse(CallSid.isCallSid("1700000000.42"));
    assertFalse(CallSid.isCallSid(Sids.random("sb-")));
    assertFalse(CallSid.isCallSid(Sids.random("RE")));
    assertFalse(CallSid.isCallSid("CA" + "0123456789ABCDEF0123456789ABCDEF"));
    assertFalse(CallSid.isCallSid(Sids.random("CA") + "-br-1"));
  }

  @Test
  void theOwnerOfAResourceIsTheCallSidItIsNamedAfter() {
    String sid = Sids.random("CA");
    assertEquals(Optional.of(sid), CallSid.ownerOf(sid + "-br-1"));
    assertEquals(Optional.of(sid), CallSid.ownerOf(sid + "-em-10_"));
    assertEquals(Optional.empty(), CallSid.ownerOf(sid));
    assertEquals(Optional.empty(), CallSid.ownerOf("sb-" + sid.substring(2) + "-br-1"));
    assertEquals(Optional.empty(), CallSid.ownerOf("1700000000.42"));
  }
}
