package org.switchboard.engine.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.durable.StateWriter;
import org.switchboard.engine.durable.StateWriters;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.script.ScriptState;
import org.switchboard.engine.twiml.verb.Method;

/**
 * A call's checkpoints, a plain object the call owns: what it hands the node's writer, and that
 * nothing is written once the call forgot them (as the actor they replace, which stopped).
 */
class CallCheckpointsTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final RecordingWriter WRITER = new RecordingWriter();

  @BeforeAll
  static void useWriter() {
    StateWriters.use(KIT.system(), WRITER);
  }

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @Test
  void aForgottenCallWritesNothingMore() {
    CallCheckpoints checkpoints = CallCheckpoints.of("CA1", "", KIT.system());
    CallCheckpoint checkpoint = checkpoint("CA1");
    checkpoints.save(checkpoint);
    checkpoints.forget();
    checkpoints.save(checkpoint);
    checkpoints.forget();
    assertEquals(List.of("save Call|CA1 call 1 " + checkpoint.callSid(),
        "delete Call|CA1 mayExist=false"), WRITER.seen("Call|CA1"),
        "one save, one delete (never read: no earlier row), nothing after the delete");
  }

  @Test
  void aCheckpointReadIsDeletedAsOneThatMayExist() throws Exception {
    CallCheckpoint checkpoint = checkpoint("CA2");
    WRITER.queued = Optional.of(new CallCheckpoints.Stored(Optional.of(checkpoint)));
    try {
      CallCheckpoints checkpoints = CallCheckpoints.of("CA2", "", KIT.system());
      assertEquals(Optional.of(checkpoint),
          checkpoints.load(Duration.ofSeconds(5)).toCompletableFuture().get(5, TimeUnit.SECONDS));
      checkpoints.forget();
    } finally {
      WRITER.queued = null;
    }
    assertEquals(List.of("delete Call|CA2 mayExist=true"), WRITER.seen("Call|CA2"));
  }

  @Test
  void aStoreThatCannotBeAskedFailsTheLoadInsteadOfTheCall() {
    CallCheckpoints checkpoints = CallCheckpoints.forLeg("CA3", "no-such-plugin", KIT.system());
    ExecutionException failed = assertThrows(ExecutionException.class, () -> checkpoints
        .load(Duration.ofSeconds(5)).toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertInstanceOf(RuntimeException.class, failed.getCause());
  }

  private static CallCheckpoint checkpoint(String callSid) {
    CallParams params = new CallParams("AC1", callSid, "+15550001", "+15550002",
        Optional.empty(), Optional.empty(), "inbound", Optional.empty());
    VoiceApplication app = new VoiceApplication(URI.create("https://app.test/voice"),
        Method.POST, Optional.empty(), Method.POST, Optional.empty(), Method.POST, Set.of());
    return new CallCheckpoint(callSid, new ChannelRef("sim", callSid), params, app,
        Instant.parse("2026-01-01T10:00:00Z"), Optional.empty(), 1,
        ScriptState.initial(callSid));
  }

  /** Records what reaches the node's writer; {@code queued} is what it answers it still holds. */
  private static final class RecordingWriter implements StateWriter {
    private final List<String> seen = new ArrayList<>();
    volatile Optional<Object> queued;

    @Override
    public synchronized void save(String persistenceId, Object value, String tag, long revision) {
      String callSid = ((CallCheckpoints.Stored) value).live().orElseThrow().callSid();
      seen.add("save " + persistenceId + " " + tag + " " + revision + " " + callSid);
    }

    @Override
    public synchronized void delete(String persistenceId, boolean mayExist) {
      seen.add("delete " + persistenceId + " mayExist=" + mayExist);
    }

    @Override
    public Optional<Object> queuedValue(String persistenceId) {
      return queued;
    }

    synchronized List<String> seen(String persistenceId) {
      return seen.stream().filter(s -> s.contains(" " + persistenceId + " ")).toList();
    }
  }
}
