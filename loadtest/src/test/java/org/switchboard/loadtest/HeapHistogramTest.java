package org.switchboard.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The heap probe's class histograms: jcmd's text read, and what each live call added. */
class HeapHistogramTest {
  private static final String BASELINE = """
      12345:
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:          1000          64000  [B (java.base@17.0.15)
         2:           500          12000  java.lang.String (java.base@17.0.15)
         3:            10            400  org.switchboard.engine.call.CallActor
      Total          1510          76400
      """;

  private static final String PEAK = """
       num     #instances         #bytes  class name (module)
      -------------------------------------------------------
         1:          3000         164000  [B (java.base@17.0.15)
         2:           700          16800  java.lang.String (java.base@17.0.15)
         3:           110           4400  org.switchboard.engine.call.CallActor
         4:           100           2400  org.switchboard.engine.script.ScriptState
      Total          3910         187600
      """;

  @Test
  void readsTheRowsAndTheTotal() {
    HeapHistogram h = HeapHistogram.parse(BASELINE);
    assertEquals(76400, h.totalBytes());
    assertEquals(64000L, h.bytes().get("[B"));
    assertEquals(10L, h.instances().get("org.switchboard.engine.call.CallActor"));
  }

  @Test
  void splitsWhatEachCallAddedByClassLargestFirst() {
    HeapHistogram baseline = HeapHistogram.parse(BASELINE);
    List<HeapHistogram.Share> shares = HeapHistogram.parse(PEAK).perCall(baseline, 100);
    assertEquals("[B", shares.get(0).className());
    assertEquals(1000.0, shares.get(0).bytesPerCall());
    assertEquals(20.0, shares.get(0).instancesPerCall());
    assertEquals(List.of("[B", "java.lang.String", "org.switchboard.engine.call.CallActor",
        "org.switchboard.engine.script.ScriptState"),
        shares.stream().map(HeapHistogram.Share::className).toList());
    String text = HeapHistogram.parse(PEAK).perCallText(baseline, 100, 2);
    assertTrue(text.contains("1112.0") && text.contains("total"), text);
    assertEquals(4, text.lines().count(), "a header, the two largest and the total: " + text);
  }

  @Test
  void refusesTextThatIsNotAHistogram() {
    assertThrows(IllegalArgumentException.class, () -> HeapHistogram.parse("12345:\nNo such process"));
  }
}
