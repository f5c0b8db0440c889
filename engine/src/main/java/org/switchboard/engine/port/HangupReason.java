package org.switchboard.engine.port;

/** The {@code reason} values ARI accepts on {@code DELETE /channels/{id}}, with their Q.850 cause. */
public enum HangupReason {
  NORMAL("normal", 16),
  BUSY("busy", 17),
  CONGESTION("congestion", 34),
  NO_ANSWER("no_answer", 19),
  TIMEOUT("timeout", 18),
  REJECTED("rejected", 21),
  UNALLOCATED("unallocated", 1),
  NORMAL_UNSPECIFIED("normal_unspecified", 31),
  NUMBER_INCOMPLETE("number_incomplete", 28),
  CODEC_MISMATCH("codec_mismatch", 58),
  INTERWORKING("interworking", 127),
  FAILURE("failure", 38),
  ANSWERED_ELSEWHERE("answered_elsewhere", 26);

  private final String wire;
  private final int cause;

  HangupReason(String wire, int cause) {
    this.wire = wire;
    this.cause = cause;
  }

  public String wire() {
    return wire;
  }

  public int cause() {
    return cause;
  }

  public static java.util.Optional<HangupReason> fromWire(String wire) {
    for (HangupReason r : values()) {
      if (r.wire.equals(wire)) {
        return java.util.Optional.of(r);
      }
    }
    return java.util.Optional.empty();
  }
}
