package org.switchboard.asterisk.ari;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Decodes a frame through both of {@link AriJson}'s paths, for tests outside this package. */
public final class DecodePaths {
  private static final AriJson JSON = new AriJson();

  private DecodePaths() {}

  /**
   * Asserts that the streaming decoder handles a known event and binds it exactly as the tree
   * path does; answers the event.
   */
  public static AriEvent assertStreamedAsTree(String json) {
    AriEvent tree = JSON.decodeTree(json);
    AriEvent streamed = AriJson.STREAMING.decode(json);
    assertNotNull(streamed, "the streaming decoder left a known event to the tree: " + json);
    assertEquals(tree, streamed, json);
    assertEquals(tree, JSON.decode(json), json);
    return streamed;
  }
}
