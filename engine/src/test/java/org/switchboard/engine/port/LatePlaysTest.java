package org.switchboard.engine.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.testing.FakeAriPort;

/** What a stopped playback does as its play's answer, its stop's answer and its start arrive. */
class LatePlaysTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final ChannelRef CHANNEL = new ChannelRef("ast1", "c1");

  private final FakeAriPort ari = FakeAriPort.manual();
  private final LatePlays plays = new LatePlays();

  private LatePlays.Play play(String id) {
    return plays.prepare(ari, "ast1", id);
  }

  private CompletionStage<Boolean> start(LatePlays.Play p) {
    return p.start(() -> ari.play(CHANNEL, p.playbackId(), List.of("sound:x")));
  }

  private static AriCommandException notFound() {
    return new AriCommandException("ast1", "DELETE /playbacks/{id}", 404, "Playback not found");
  }

  private static AriCommandException noAnswer() {
    return new AriCommandException("ast1", "POST /channels/{id}/play",
        new TimeoutException("no answer within 10000 ms"));
  }

  private FakeAriPort.Command stop() {
    return ari.expect("stopPlayback", WAIT);
  }

  @Test
  void aPlaybackStoppedBeforeItsPlayIsSentIsNeverPlayed() throws Exception {
    LatePlays.Play p = play("pb-0");
    p.stop().toCompletableFuture().get(1, TimeUnit.SECONDS);
    assertFalse(start(p).toCompletableFuture().get(1, TimeUnit.SECONDS));
    ari.expectNone(Duration.ofMillis(100));
    assertEquals(0, plays.watched());
  }

  @Test
  void aStopThatOvertookThePlayIsSentAgainWhenThePlayIsAnswered() {
    LatePlays.Play p = play("pb-1");
    start(p);
    FakeAriPort.Command played = ari.expect("play", WAIT);
    p.stop();
    stop().fail(notFound());
    played.succeed();
    stop().succeed();
    assertEquals(0, plays.watched());
  }

  @Test
  void aStopThatFoundThePlaybackIsNotSentAgain() {
    LatePlays.Play p = play("pb-2");
    start(p);
    FakeAriPort.Command played = ari.expect("play", WAIT);
    p.stop();
    FakeAriPort.Command stopped = stop();
    played.succeed();
    stopped.succeed();
    ari.expectNone(Duration.ofMillis(100));
    assertEquals(0, plays.watched());
  }

  @Test
  void aStopAnswered404AfterThePlayWasAnsweredMeanwhileIsSentAgain() {
    LatePlays.Play p = play("pb-3");
    start(p);
    FakeAriPort.Command played = ari.expect("play", WAIT);
    p.stop();
    FakeAriPort.Command first = stop();
    played.succeed();
    first.fail(notFound());
    stop().succeed();
  }

  @Test
  void aPlayWhoseAnswerWasLostIsStoppedWhenItStartsLate() {
    LatePlays.Play p = play("pb-4");
    start(p);
    ari.expect("play", WAIT).fail(noAnswer());
    p.stop();
    stop().fail(notFound());
    assertEquals(1, plays.watched());
    assertTrue(plays.onEvent(new ChannelEvent.PlaybackStarted("ast1", Instant.now(), "pb-4",
        Optional.of("c1"), Optional.empty())));
    stop().succeed();
    assertEquals(0, plays.watched());
  }

  @Test
  void aRefusedPlayIsNotStoppedAndAStartOfAWantedPlaybackIsLeftAlone() {
    LatePlays.Play refused = play("pb-5");
    start(refused);
    ari.expect("play", WAIT).fail(new AriCommandException("ast1", "POST /channels/{id}/play",
        404, "Channel not found"));
    refused.stop();
    LatePlays.Play wanted = play("pb-6");
    start(wanted);
    ari.expect("play", WAIT).succeed();
    assertFalse(plays.onEvent(new ChannelEvent.PlaybackStarted("ast1", Instant.now(), "pb-6",
        Optional.of("c1"), Optional.empty())));
    ari.expectNone(Duration.ofMillis(100));
  }
}
