package org.switchboard.engine.protocol;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Whether this node hands its call entities over to the other nodes of the cluster (a graceful
 * leave with the shared store, {@code Calls.handOver}): from then on a call, dial or leg entity
 * that stops here moves, it does not end. What a stop would otherwise do at the end of a call
 * (tell the entity's end watchers it ended, destroy a dial's bridge and report its recording)
 * stays undone: the entity's next incarnation on another node takes the call back from the store.
 * One per actor system.
 */
public final class NodeHandOver implements Extension {
  private static final Id ID = new Id();

  private final AtomicBoolean started = new AtomicBoolean();

  private NodeHandOver() {}

  /** The hand-over state of {@code system}. */
  public static NodeHandOver get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** The node starts handing its call entities over; it runs no call afterwards. */
  public void start() {
    started.set(true);
  }

  /** Whether the node hands its call entities over (an entity stopping now moves). */
  public boolean started() {
    return started.get();
  }

  private static final class Id extends ExtensionId<NodeHandOver> {
    @Override
    public NodeHandOver createExtension(ActorSystem<?> system) {
      return new NodeHandOver();
    }
  }
}
