package org.switchboard.engine.call;

import org.switchboard.engine.durable.StateWriter;

/**
 * Where the call states of a node are written ({@code store.DurableStateWriter} with a durable
 * store; the node registers it with {@link CallCheckpoints#useWriter}): the node's one {@link
 * StateWriter}, which also writes the dials', legs' and rings' {@code durable.DurableSlot}s.
 */
public interface CheckpointWriter extends StateWriter {}
