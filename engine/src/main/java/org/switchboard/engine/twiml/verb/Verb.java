package org.switchboard.engine.twiml.verb;

/**
 * A TwiML verb: a direct child of {@code <Response>}. The records are immutable, hold every
 * attribute with its default applied, and hold URLs already resolved against the URL of the
 * document they came from, so the interpreter never needs the raw XML.
 *
 * <p>It lives next to its records because a sealed type outside a named module may only permit
 * subclasses of its own package.
 */
public sealed interface Verb
    permits Say,
        Play,
        Pause,
        Gather,
        Record,
        Dial,
        Enqueue,
        Leave,
        Hangup,
        Reject,
        Redirect,
        Connect,
        Start,
        Stop,
        Refer,
        Echo {}
