package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.switchboard.engine.call.CallFixture.APP;
import static org.switchboard.engine.call.CallFixture.CHANNEL;
import static org.switchboard.engine.call.CallFixture.SERVER;
import static org.switchboard.engine.call.CallFixture.WAIT;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.AriCommandException;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.testing.FakeAriPort;

/**
 * A prompt whose {@code play} got no answer (and that the ARI adapter's lookup did not find on
 * Asterisk) is given up: the script takes the failure once, and when Asterisk runs the command
 * late after all, the playback is stopped the moment it starts, so the caller never hears it
 * twice or under the next prompt. A prompt whose start event came before the failure did run:
 * the call waits for its end as usual.
 */
class UncertainPlaybackTest {
  static final ActorTestKit kit =
      ActorTestKit.create(ManualTime.config().withFallback(ConfigFactory.load()));

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  private static AriCommandException noAnswer() {
    return new AriCommandException(SERVER, "POST /channels/{id}/play",
        new TimeoutException("no answer within 10000 ms"));
  }

  private static CallFixture call() {
    CallFixture f = new CallFixture(kit);
    f.web.twiml(APP + "/voice", "<Response><Say>Hello</Say><Say>Goodbye</Say></Response>");
    f.ari.holdAll("play");
    f.start();
    return f;
  }

  @Test
  void aPromptThatStartsAfterItWasGivenUpIsStoppedAtOnce() {
    CallFixture f = call();
    FakeAriPort.Command hello = f.ari.expect("play", WAIT);
    hello.fail(noAnswer());
    // The failure takes the error path (the error prompt), and the prompt given up is not
    // stopped yet: it is not playing.
    FakeAriPort.Command errorPrompt = f.ari.expect("play", WAIT);
    assertEquals(List.of("sound:app-error"), errorPrompt.arg(2));
    assertFalse(f.ari.history().stream().anyMatch(c -> c.startsWith("stopPlayback")),
        f.ari.history().toString());
    f.deliver(new ChannelEvent.PlaybackStarted(SERVER, Instant.now(), hello.arg(1),
        Optional.of(CHANNEL), Optional.empty()));
    assertEquals(hello.<String>arg(1), f.ari.expect("stopPlayback", WAIT).arg(1));
    errorPrompt.succeed();
    f.playbackFinished(hello.arg(1));
    f.playbackFinished(errorPrompt.arg(1));
    f.ari.expect("hangup", WAIT);
    assertEquals("completed", f.expectFinalStatus().param("CallStatus"));
  }

  @Test
  void aPromptWhoseStartCameBeforeTheFailureRunsOn() {
    CallFixture f = call();
    FakeAriPort.Command hello = f.ari.expect("play", WAIT);
    f.deliver(new ChannelEvent.PlaybackStarted(SERVER, Instant.now(), hello.arg(1),
        Optional.of(CHANNEL), Optional.empty()));
    hello.fail(noAnswer());
    f.ari.expectNone(Duration.ofMillis(300));
    f.playbackFinished(hello.arg(1));
    assertEquals(List.of("sound:tts/Goodbye"), f.ari.expect("play", WAIT).arg(2));
    assertFalse(f.ari.history().stream().anyMatch(c -> c.startsWith("stopPlayback")),
        f.ari.history().toString());
  }
}
