package org.switchboard.engine.conference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.switchboard.engine.port.AriPort;

/**
 * The coaching pairs ({@link ConferenceCoach}) of a conference taken back after a restart. The
 * stored conference ({@link ConferenceRecord}) names each coach's coached participant in its
 * settings, not the pair's number, which counted the room's coaching changes in the incarnation
 * that made it; the pieces stay on Asterisk through the restart (the coach's voice still reaches
 * the coached participant). So the room asks Asterisk for the bridges of the coach's pairs {@code
 * 1..}{@value #PROBED} ({@code GET /bridges/{id}}) and {@link #decide}s: the newest pair whose
 * bridge still holds both of its snoops is taken back as it is, every other pair found is taken
 * apart, and a coach with no whole pair left gets a new one numbered after every pair found.
 */
final class CoachRestore {
  /** How many of a coach's pair numbers are asked about (a pair past it is not found). */
  static final int PROBED = 8;

  /**
   * What Asterisk holds of one coach's pairs.
   *
   * @param bridges pair number → the channels of its bridge, for each bridge found
   */
  record Found(String coachCallSid, Map<Integer, List<String>> bridges) {}

  /**
   * What the room does with one coach's pairs.
   *
   * @param adopt the pair number taken back as it is, if any
   * @param rebuild the number of a new pair to make, if the coach still coaches and no pair is
   *     whole
   * @param takeApart the pair numbers found that go
   */
  record Decision(Optional<Integer> adopt, Optional<Integer> rebuild, List<Integer> takeApart) {}

  private CoachRestore() {}

  /** Asks Asterisk about the bridges of {@code coachCallSid}'s pairs (one GET each, together). */
  static CompletionStage<Found> find(AriPort ari, String serverId, String coachCallSid) {
    List<CompletableFuture<Optional<List<String>>>> asked = new ArrayList<>();
    for (int n = 1; n <= PROBED; n++) {
      asked.add(ari.bridgeChannels(serverId, ConferenceCoach.bridgeId(coachCallSid, n))
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(v -> {
      Map<Integer, List<String>> found = new TreeMap<>();
      for (int n = 1; n <= PROBED; n++) {
        int pair = n;
        asked.get(n - 1).join().ifPresent(channels -> found.put(pair, List.copyOf(channels)));
      }
      return new Found(coachCallSid, found);
    });
  }

  /**
   * The decision for {@code found}, the coach {@code coaching} someone still in the conference or
   * not; {@code counter} is the room's count of coaching changes (new pairs number after it).
   */
  static Decision decide(Found found, boolean coaching, int counter) {
    String coach = found.coachCallSid();
    Optional<Integer> whole = found.bridges().entrySet().stream()
        .filter(e -> e.getValue().contains(ConferenceCoach.voiceId(coach, e.getKey()))
            && e.getValue().contains(ConferenceCoach.whisperId(coach, e.getKey())))
        .map(Map.Entry::getKey).max(Integer::compare);
    Optional<Integer> adopt = coaching ? whole : Optional.empty();
    List<Integer> apart = found.bridges().keySet().stream()
        .filter(n -> adopt.map(a -> !a.equals(n)).orElse(true)).sorted().toList();
    int highest = found.bridges().keySet().stream().max(Integer::compare).orElse(0);
    Optional<Integer> rebuild = coaching && adopt.isEmpty()
        ? Optional.of(Math.max(highest, counter) + 1) : Optional.empty();
    return new Decision(adopt, rebuild, apart);
  }
}
