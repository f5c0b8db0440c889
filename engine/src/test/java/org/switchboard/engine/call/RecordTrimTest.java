package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.switchboard.engine.call.CallFixture.APP;
import static org.switchboard.engine.call.CallFixture.WAIT;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.MediaPort;
import org.switchboard.engine.port.SoundSpan;
import org.switchboard.engine.testing.FakeWebhookPort;

/**
 * {@code <Record trim>}: with {@code trim-silence} (Twilio's default) the finished recording is
 * measured through {@link MediaPort#soundSpan} before the action and the recording callback, which
 * carry the trimmed duration, and the index keeps the span the audio is served with.
 */
class RecordTrimTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  /** A media port whose recordings hold sound from 1.5 s to 3.9 s; the names it was asked. */
  private static final class Spans implements MediaPort {
    final List<String> asked = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<String> mediaFor(URI url) {
      return CompletableFuture.completedFuture("sound:" + url);
    }

    @Override
    public CompletionStage<Optional<SoundSpan>> soundSpan(String serverId, String name) {
      asked.add(serverId + "/" + name);
      return CompletableFuture.completedFuture(Optional.of(new SoundSpan(1500, 3900)));
    }
  }

  private static String recordAndFinish(CallFixture f, String record, int seconds) {
    f.web.twiml(APP + "/voice", "<Response>" + record + "</Response>");
    f.web.twiml(APP + "/rec", "<Response><Hangup/></Response>");
    f.start();
    f.web.nextFetch(WAIT);
    String sid = f.ari.expect("record", WAIT).<AriPort.RecordRequest>arg(1).name();
    f.deliver(new ChannelEvent.RecordingStarted(CallFixture.SERVER, Instant.now(), sid,
        Optional.of(CallFixture.CHANNEL), Optional.empty()));
    f.deliver(new ChannelEvent.RecordingFinished(CallFixture.SERVER, Instant.now(), sid,
        Optional.of(CallFixture.CHANNEL), Optional.empty(), seconds));
    return sid;
  }

  @Test
  void trimSilenceIsTheDefaultAndTheActionAndCallbackCarryTheTrimmedDuration() {
    CallFixture f = new CallFixture(kit);
    Spans spans = new Spans();
    f.media = spans;
    String sid = recordAndFinish(f,
        "<Record action=\"/rec\" recordingStatusCallback=\"/rcb\"/>", 6);
    FakeWebhookPort.Seen callback = f.web.nextNotify(WAIT);
    while (!callback.request().url().getPath().equals("/rcb")) {
      callback = f.web.nextNotify(WAIT);
    }
    assertEquals("completed", callback.param("RecordingStatus"));
    assertEquals("2", callback.param("RecordingDuration"));
    FakeWebhookPort.Seen action = f.web.nextFetch(WAIT);
    assertEquals(URI.create(APP + "/rec"), action.url());
    assertEquals("2", action.param("RecordingDuration"), "6 s recorded, 2.4 s of it kept");
    assertEquals(List.of(CallFixture.SERVER + "/" + sid), spans.asked);
    RecordingIndex.Entry entry = f.recordings.find(sid).orElseThrow();
    assertEquals(Optional.of(new SoundSpan(1500, 3900)), entry.kept());
    assertEquals(2, entry.durationSeconds());
  }

  @Test
  void doNotTrimKeepsTheRecordingAsAsteriskMadeIt() {
    CallFixture f = new CallFixture(kit);
    Spans spans = new Spans();
    f.media = spans;
    String sid = recordAndFinish(f, "<Record action=\"/rec\" trim=\"do-not-trim\"/>", 6);
    FakeWebhookPort.Seen action = f.web.nextFetch(WAIT);
    assertEquals("6", action.param("RecordingDuration"));
    assertTrue(spans.asked.isEmpty(), "not measured: " + spans.asked);
    assertEquals(Optional.empty(), f.recordings.find(sid).orElseThrow().kept());
  }

  @Test
  void aRecordingThatCannotBeReadIsKeptWhole() {
    CallFixture f = new CallFixture(kit);
    f.media = new MediaPort() {
      @Override
      public CompletionStage<String> mediaFor(URI url) {
        return CompletableFuture.completedFuture("sound:" + url);
      }

      @Override
      public CompletionStage<Optional<SoundSpan>> soundSpan(String serverId, String name) {
        return CompletableFuture.failedFuture(new IllegalStateException("Asterisk unreachable"));
      }
    };
    String sid = recordAndFinish(f, "<Record action=\"/rec\"/>", 5);
    assertEquals("5", f.web.nextFetch(WAIT).param("RecordingDuration"));
    assertEquals(Optional.empty(), f.recordings.find(sid).orElseThrow().kept());
  }
}
