package org.switchboard.engine.protocol;

/**
 * Marker for messages that may cross cluster nodes. Every implementation must be registered with
 * the Kryo serializer (see {@code KryoClusterSerializer}); a round-trip test covers each one.
 */
public interface ClusterMessage {}
