package org.switchboard.engine.twiml.verb;

/** {@code <Hangup>}: end the call (answering it first if it was not yet answered). */
public record Hangup() implements Verb {}
