package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The parameters a delegate reads anew ({@link CallParams#readWith}) are those of {@code with}. */
class CallParamsTest {

  @Test
  void readWithIsWithWhateverIsPresent() {
    CallParams bare = new CallParams("AC1", "CA1", "+15550001", "+15550002", Optional.empty(),
        Optional.empty(), "inbound", Optional.empty());
    CallParams full = new CallParams("AC1", "CA2", "+15550001", "+15550002",
        Optional.of("Caller"), Optional.of("sip-1"), "outbound-api", Optional.of("CA0"),
        Optional.of("human"));
    for (CallParams params : List.of(bare, full)) {
      List<Map.Entry<String, String>> held = params.with("in-progress");
      List<Map.Entry<String, String>> read = params.readWith("in-progress");
      assertEquals(held, read);
      assertEquals(held.size(), read.size());
      assertEquals(held, new ArrayList<>(read), "copied (size and iterator)");
      assertEquals(held, List.copyOf(read), "copied (toArray)");
      assertEquals(held, read.stream().toList(), "streamed");
      assertEquals(held.get(held.size() - 1), read.get(read.size() - 1));
    }
  }
}
