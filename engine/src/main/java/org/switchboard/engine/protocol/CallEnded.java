package org.switchboard.engine.protocol;

/**
 * The call entity {@code callSid} is over (or has no call): the answer to {@link
 * CallCommand.WatchEnd}, sent once to each watcher from whichever node runs the entity.
 */
public record CallEnded(String callSid) implements ClusterMessage {}
