package org.switchboard.engine.twiml.verb;

/**
 * {@code <Pause>}: silence. As the first verb of a call it delays answering by {@code length}.
 *
 * @param length seconds, &gt; 0, default 1
 */
public record Pause(int length) implements Verb, Gather.Prompt {

  public static final int DEFAULT_LENGTH = 1;

  public Pause {
    Checks.atLeast("Pause length", length, 1);
  }
}
