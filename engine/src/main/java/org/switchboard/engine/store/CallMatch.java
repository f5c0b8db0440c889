package org.switchboard.engine.store;

import java.util.Comparator;
import java.util.Optional;
import org.switchboard.engine.call.CallParams;
import org.switchboard.engine.call.RecordingIndex;
import org.switchboard.engine.protocol.CallSnapshot;

/** The one reading of a {@link HistoryStore.CallQuery} and of "newest first", in every store. */
final class CallMatch {
  /** Newest start first; the CallSid breaks ties so pages are stable. */
  static final Comparator<CallSnapshot> NEWEST_FIRST =
      Comparator.comparing(CallSnapshot::startTime).thenComparing(CallSnapshot::callSid).reversed();

  /** Newest start first; the sid breaks ties. */
  static final Comparator<RecordingIndex.Entry> RECORDINGS_NEWEST_FIRST =
      Comparator.comparing(RecordingIndex.Entry::startTime)
          .thenComparing(RecordingIndex.Entry::recordingSid).reversed();

  private CallMatch() {}

  static boolean matches(HistoryStore.CallQuery q, CallSnapshot s) {
    return q.status().map(s.status()::equals).orElse(true)
        && q.to().map(t -> numberKey(t).equals(numberKey(s.to()))).orElse(true)
        && q.from().map(f -> numberKey(f).equals(numberKey(s.from()))).orElse(true)
        && q.parentCallSid().map(p -> s.parentCallSid().equals(Optional.of(p))).orElse(true)
        && q.started().contains(Optional.of(s.startTime()))
        && q.ended().contains(s.endTime());
  }

  /** The E.164 form a number is compared by (and kept under, in a database). */
  static String numberKey(String number) {
    return CallParams.e164(number);
  }
}
