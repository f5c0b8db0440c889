package org.switchboard.engine.twiml.verb;

/**
 * {@code <Stop><Stream name="…"/></Stop>}: stop a stream started by {@code <Start>}.
 *
 * @param streamName the {@code name} of the Stream to stop
 */
public record Stop(String streamName) implements Verb {

  public Stop {
    Checks.nonBlank("Stop Stream name", streamName);
  }
}
