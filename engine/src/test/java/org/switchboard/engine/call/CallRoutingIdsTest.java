package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.Sids;

/**
 * Channel ids a call makes must never begin one another: Asterisk refuses a requested channel id
 * that is a prefix (case-insensitively) of a live channel's id.
 */
class CallRoutingIdsTest {
  @Test
  void noChannelIdBeginsAnother() {
    String sid = Sids.random("CA");
    List<String> ids = new ArrayList<>();
    for (String kind : List.of("em", "snoop")) {
      for (long n = 1; n <= 120; n++) {
        ids.add(CallRouting.channelId(sid, kind, n));
      }
    }
    for (String a : ids) {
      for (String b : ids) {
        if (!a.equals(b)) {
          assertFalse(b.toLowerCase(Locale.ROOT).startsWith(a.toLowerCase(Locale.ROOT)),
              a + " begins " + b);
        }
      }
    }
  }

  @Test
  void channelIdsStillRouteToTheirCall() {
    String sid = Sids.random("CA");
    assertEquals(sid, CallRouting.ownerOf(CallRouting.channelId(sid, "em", 10)).orElseThrow());
  }

  @Test
  void aStreamsResourcesAreToldFromTheCallsOthers() {
    String sid = Sids.random("CA");
    assertTrue(CallRouting.streamResource(CallRouting.channelId(sid, "em", 3)));
    assertTrue(CallRouting.streamResource(CallRouting.channelId(sid, "snoop", 12)));
    assertTrue(CallRouting.streamResource(sid + "-br-stream-4"));
    assertFalse(CallRouting.streamResource(sid + "-br-4"), "a dial's bridge");
    assertFalse(CallRouting.streamResource(CallRouting.channelId(sid, "rec", 1)));
    assertFalse(CallRouting.streamResource(CallRouting.channelId(sid, "echo", 1)));
    assertFalse(CallRouting.streamResource("sb-" + sid));
  }
}
