package org.switchboard.http.signature;

/**
 * The outcome of checking an {@code X-Bridge-Signature}: {@link Status#VALID} or the reason it was
 * refused, with a short detail for logs (never the secret or the expected signature).
 */
public record BridgeVerification(Status status, String detail) {

  /** Why a request was accepted or refused. */
  public enum Status {
    /** Signature matches, timestamp fresh, not seen before. */
    VALID,
    /** A header is absent or blank. */
    MISSING,
    /** The timestamp is not an integer or the signature not 64 hex digits. */
    MALFORMED,
    /** The timestamp is further from now than the tolerance. */
    EXPIRED,
    /** The same signature was already accepted within the tolerance window. */
    REPLAYED,
    /** The signature does not match the body and timestamp. */
    MISMATCH
  }

  /** True only for {@link Status#VALID}. */
  public boolean valid() {
    return status == Status.VALID;
  }

  static BridgeVerification of(Status status, String detail) {
    return new BridgeVerification(status, detail);
  }
}
