package org.switchboard.http.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.store.HistoryStore.QueueRecord;

class QueueKeepingTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private final QueueKeeping keeping = new QueueKeeping();

  private static QueueRecord support(int averageWait, Instant at) {
    return new QueueRecord("QU1", "support", 100, averageWait, at);
  }

  @Test
  void aQueueIsWrittenWhenNewWhenItChangesAndOnceAMinuteOtherwise() {
    assertEquals(List.of(support(0, T0)), keeping.due(List.of(support(0, T0)), T0, true));
    assertEquals(List.of(), keeping.due(List.of(support(0, T0.plusSeconds(1))),
        T0.plusSeconds(1), true), "unchanged a second later: not written again");
    QueueRecord changed = support(7, T0.plusSeconds(2));
    assertEquals(List.of(changed), keeping.due(List.of(changed), T0.plusSeconds(2), true));
    assertEquals(List.of(), keeping.due(List.of(support(7, T0.plusSeconds(61))),
        T0.plusSeconds(61), true));
    QueueRecord stale = support(7, T0.plusSeconds(62));
    assertEquals(List.of(stale), keeping.due(List.of(stale), T0.plusSeconds(62), true),
        "refreshed once its row is a minute old");
  }

  @Test
  void aQueueMissingFromACompleteListIsWrittenAgainWhenItComesBack() {
    keeping.due(List.of(support(0, T0)), T0, true);
    keeping.due(List.of(), T0.plusSeconds(1), false);
    assertEquals(List.of(), keeping.due(List.of(support(0, T0.plusSeconds(2))),
        T0.plusSeconds(2), false), "a partial list forgets nothing");
    keeping.due(List.of(), T0.plusSeconds(3), true);
    assertEquals(List.of(support(0, T0.plusSeconds(4))),
        keeping.due(List.of(support(0, T0.plusSeconds(4))), T0.plusSeconds(4), true));
  }
}
