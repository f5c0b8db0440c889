package org.switchboard.engine.protocol;

/**
 * A value kept in the store (the durable state of a live call). Serialized with the cluster's Kryo
 * serializer ({@code reference.conf} binds this marker), every class it holds registered with an
 * explicit, never reused id ({@code cluster.DurableRegistrations}, which also states the
 * schema-evolution rule).
 */
public interface Durable {}
