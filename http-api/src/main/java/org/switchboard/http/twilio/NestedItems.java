package org.switchboard.http.twilio;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.switchboard.http.api.ApiException;

/**
 * A Twilio collection that answers both at the account ({@code /Recordings}) and under a parent
 * ({@code /Calls/{CallSid}/Recordings}): the list's path either way, and an item asked for under a
 * parent it does not belong to answered 404, as Twilio does.
 *
 * @param json the account's paths
 * @param parents the parent collection ({@code Calls})
 * @param items this collection ({@code Recordings})
 * @param item one item, for messages ({@code recording})
 */
record NestedItems(TwilioJson json, String parents, String items, String item) {

  /** {@code …/{items}.json}, or {@code …/{parents}/{sid}/{items}.json} under a parent. */
  String listPath(Optional<String> parentSid) {
    return json.accountPath()
        + parentSid.map(sid -> "/" + parents + "/" + sid).orElse("") + "/" + items + ".json";
  }

  /**
   * The {@code fetched} item {@code sid}; under {@code parentSid}, only if {@code parentOf} it is
   * that parent (else a 404).
   */
  <T> CompletionStage<T> owned(String sid, Optional<String> parentSid, CompletionStage<T> fetched,
      Function<T, String> parentOf) {
    return fetched.thenApply(found -> {
      if (parentSid.isPresent() && !parentSid.get().equals(parentOf.apply(found))) {
        throw ApiException.notFound(item + " " + sid + " does not belong to " + parentSid.get());
      }
      return found;
    });
  }
}
