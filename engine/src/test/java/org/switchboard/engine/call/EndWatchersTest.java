package org.switchboard.engine.call;

import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.protocol.CallEnded;
import org.switchboard.engine.protocol.NodeHandOver;

/**
 * An entity's end watchers hear that it ended when it stops, but not when it stops because its
 * node hands its calls over: the call only moves to another node.
 */
class EndWatchersTest {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private final ActorTestKit kit = ActorTestKit.create();
  private final TestProbe<CallEnded> watcher = kit.createTestProbe();
  private final TestProbe<CallCommand> handled = kit.createTestProbe();

  @AfterEach
  void close() {
    kit.shutdownTestKit();
  }

  /** A claimed entity (a call runs in it) that does nothing else. */
  private ActorRef<CallCommand> claimedEntity() {
    EndWatchers watchers = new EndWatchers("CA1");
    watchers.claimed();
    Behavior<CallCommand> call = Behaviors.receiveMessage(m -> {
      handled.ref().tell(m);
      return Behaviors.same();
    });
    ActorRef<CallCommand> entity = kit.spawn(Behaviors.intercept(() -> watchers, call));
    entity.tell(new CallCommand.WatchEnd(watcher.ref()));
    // Once the call handled a later message, the watcher is registered (a stop overtakes both).
    entity.tell(new CallCommand.LegWon());
    handled.expectMessageClass(CallCommand.LegWon.class, WAIT);
    return entity;
  }

  @Test
  void aStoppedEntityTellsItsWatchersItEnded() {
    ActorRef<CallCommand> entity = claimedEntity();
    kit.stop(entity);
    watcher.expectMessage(WAIT, new CallEnded("CA1"));
  }

  @Test
  void anEntityStoppedWhileItsNodeHandsItsCallsOverTellsNobody() {
    ActorRef<CallCommand> entity = claimedEntity();
    NodeHandOver.get(kit.system()).start();
    kit.stop(entity);
    watcher.expectNoMessage(Duration.ofMillis(200));
  }
}
