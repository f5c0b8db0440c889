package org.switchboard.http.api;

/**
 * The SIP trunk as {@code /health} reports it, under the bridge's names.
 *
 * @param configured every Asterisk server has the {@code trunk} endpoint made from {@code SIP_*}
 * @param skipped no {@code SIP_PROVIDER}/{@code SIP_USERNAME}/{@code SIP_PASSWORD}: nothing made
 * @param error why the last attempt on some server failed (its objects rolled back), if it did
 */
public record SipTrunkState(boolean configured, boolean skipped,
    java.util.Optional<String> error) {
  /** No trunk wanted. */
  public static final SipTrunkState SKIPPED =
      new SipTrunkState(false, true, java.util.Optional.empty());
}
