package org.switchboard.http.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.store.HistoryStore.QueueRecord;

class QueueKeepingTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final Set<String> WAITING = Set.of("QU1");
  private final QueueKeeping keeping = new QueueKeeping();

  private static QueueRecord support(int averageWait, Instant at) {
    return new QueueRecord("QU1", "support", 100, averageWait, at);
  }

  @Test
  void aQueueCallersWaitInIsWrittenWhenNewWhenItChangesAndOnceAMinuteOtherwise() {
    assertEquals(List.of(support(0, T0)),
        keeping.due(List.of(support(0, T0)), WAITING, T0, true));
    assertEquals(List.of(), keeping.due(List.of(support(0, T0.plusSeconds(1))),
        WAITING, T0.plusSeconds(1), true), "unchanged a second later: not written again");
    QueueRecord changed = support(7, T0.plusSeconds(2));
    assertEquals(List.of(changed),
        keeping.due(List.of(changed), WAITING, T0.plusSeconds(2), true));
    assertEquals(List.of(), keeping.due(List.of(support(7, T0.plusSeconds(61))),
        WAITING, T0.plusSeconds(61), true));
    QueueRecord stale = support(7, T0.plusSeconds(62));
    assertEquals(List.of(stale), keeping.due(List.of(stale), WAITING, T0.plusSeconds(62), true),
        "refreshed once its row is a minute old");
  }

  @Test
  void aQueueMissingFromACompleteListIsWrittenAgainWhenItComesBack() {
    keeping.due(List.of(support(0, T0)), WAITING, T0, true);
    keeping.due(List.of(), WAITING, T0.plusSeconds(1), false);
    assertEquals(List.of(), keeping.due(List.of(support(0, T0.plusSeconds(2))),
        WAITING, T0.plusSeconds(2), false), "a partial list forgets nothing");
    keeping.due(List.of(), WAITING, T0.plusSeconds(3), true);
    assertEquals(List.of(support(0, T0.plusSeconds(4))),
        keeping.due(List.of(support(0, T0.plusSeconds(4))), WAITING, T0.plusSeconds(4), true));
  }

  @Test
  void anEmptyQueueIsWrittenWhenNewOrChangedButNeverRefreshed() {
    Set<String> none = Set.of();
    assertEquals(List.of(support(0, T0)), keeping.due(List.of(support(0, T0)), none, T0, true));
    QueueRecord changed = support(3, T0.plusSeconds(5));
    assertEquals(List.of(changed), keeping.due(List.of(changed), none, T0.plusSeconds(5), true),
        "its average wait changed when its caller left");
    assertEquals(List.of(), keeping.due(List.of(support(3, T0.plusSeconds(3600))), none,
        T0.plusSeconds(3600), true), "an hour later, nothing changed: not written again");
    QueueRecord resized = new QueueRecord("QU1", "support", 50, 3, T0.plusSeconds(3601));
    assertEquals(List.of(resized),
        keeping.due(List.of(resized), none, T0.plusSeconds(3601), true), "its size limit changed");
  }
}
