package org.switchboard.http.twilio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.switchboard.http.api.ApiException;

/** A collection at the account and under a parent: its list paths and the parent check. */
class NestedItemsTest {
  private static final NestedItems TRANSCRIPTIONS = new NestedItems(
      new TwilioJson("AC1", null), "Recordings", "Transcriptions", "transcription");

  private record Item(String sid, String parent) {}

  @Test
  void theListPathIsTheAccountsOrTheParents() {
    assertEquals("/2010-04-01/Accounts/AC1/Transcriptions.json",
        TRANSCRIPTIONS.listPath(Optional.empty()));
    assertEquals("/2010-04-01/Accounts/AC1/Recordings/RE9/Transcriptions.json",
        TRANSCRIPTIONS.listPath(Optional.of("RE9")));
  }

  @Test
  void anItemIsAnsweredAtTheAccountAndUnderItsOwnParentOnly() {
    Item item = new Item("TR1", "RE9");
    assertSame(item, owned(item, Optional.empty()).join());
    assertSame(item, owned(item, Optional.of("RE9")).join());
    CompletionException e = assertThrows(
        CompletionException.class, () -> owned(item, Optional.of("RE8")).join());
    ApiException notFound = assertInstanceOf(ApiException.class, e.getCause());
    assertEquals(404, notFound.status());
    assertEquals("transcription TR1 does not belong to RE8", notFound.getMessage());
  }

  private static CompletableFuture<Item> owned(Item item, Optional<String> parent) {
    return TRANSCRIPTIONS.owned(item.sid(), parent, CompletableFuture.completedFuture(item),
        Item::parent).toCompletableFuture();
  }
}
