package org.switchboard.engine.protocol;

/**
 * The stored state of an outbound leg as its call entity sees it after a restart: what it rings.
 * A standalone leg (a REST call, a {@code /ring} leg) has no dial to take it back, so its entity
 * does it ({@link CallCommand.ResumeLeg}) or asks for its ring to be taken back.
 */
public interface StoredLeg {
  /** What the leg was asked to ring. */
  LegSpec spec();
}
