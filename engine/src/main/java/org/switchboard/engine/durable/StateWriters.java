package org.switchboard.engine.durable;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/** The node's one {@link StateWriter}, registered by the node before any call starts. */
public final class StateWriters {
  private StateWriters() {}

  /** Registers the writer of {@code system}'s durable states. */
  public static void use(ActorSystem<?> system, StateWriter writer) {
    Holder.ID.apply(system).writer = writer;
  }

  /** The writer of {@code system}'s durable states; fails when none was registered. */
  public static StateWriter writer(ActorSystem<?> system) {
    StateWriter w = Holder.ID.apply(system).writer;
    if (w == null) {
      throw new IllegalStateException("a durable store without a state writer: the node"
          + " registers one before calls start");
    }
    return w;
  }

  private static final class Holder implements Extension {
    static final ExtensionId<Holder> ID = new ExtensionId<>() {
      @Override
      public Holder createExtension(ActorSystem<?> system) {
        return new Holder();
      }
    };

    volatile StateWriter writer;
  }
}
