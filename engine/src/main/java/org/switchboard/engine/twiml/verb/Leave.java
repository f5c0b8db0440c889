package org.switchboard.engine.twiml.verb;

/**
 * {@code <Leave>}: leave the queue; the call resumes after the original {@code <Enqueue>} (or at
 * its action with {@code QueueResult=leave}). It is meaningful only in a wait-URL document; the
 * parser accepts it anywhere and the interpreter decides what it means where it runs.
 */
public record Leave() implements Verb {}
