package org.switchboard.engine.conference;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.apache.pekko.Done;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;

/**
 * A coach ({@code <Conference coach="CA…">}, spec §4.9): heard by the coached participant only,
 * while hearing the whole conference. Asterisk has no such role, so it is made of ARI pieces: the
 * coach is in the room's bridge muted ({@code addChannel?mute=true}: it hears the mix, the mix
 * does not hear it); a snoop on the coach ({@code spy=in}: its voice) and a snoop on the coached
 * participant ({@code spy=none}, {@code whisper=out}: what enters it is whispered to that
 * participant) share a small mixing bridge of their own, {@code <CoachCallSid>-br-coach}. The
 * snoops are {@code <CoachCallSid>-snoop-coach-<n>_} and {@code …-snoop-coached-<n>_}, {@code n}
 * counting the coach's pairs (a REST update can make a participant coach again; the bridge of the
 * first pair has no number). All three go when the coach or the coached participant leaves, the
 * coach stops coaching, or the conference ends. One per coach.
 */
final class ConferenceCoach {
  private final AriPort ari;
  private final String serverId;
  private final String coachCallSid;
  private final String coachedCallSid;
  private final ChannelRef voice;
  private final ChannelRef whisper;
  private final String bridgeId;
  private final int number;

  private ConferenceCoach(AriPort ari, String serverId, String coachCallSid,
      String coachedCallSid, int n) {
    this.ari = ari;
    this.serverId = serverId;
    this.coachCallSid = coachCallSid;
    this.coachedCallSid = coachedCallSid;
    this.voice = new ChannelRef(serverId, voiceId(coachCallSid, n));
    this.whisper = new ChannelRef(serverId, whisperId(coachCallSid, n));
    this.bridgeId = bridgeId(coachCallSid, n);
    this.number = n;
  }

  /** The mixing bridge of {@code coachCallSid}'s {@code n}th pair. */
  static String bridgeId(String coachCallSid, int n) {
    return coachCallSid + "-br-coach" + (n == 1 ? "" : "-" + n);
  }

  /** The snoop carrying the voice of {@code coachCallSid} in its {@code n}th pair. */
  static String voiceId(String coachCallSid, int n) {
    return coachCallSid + "-snoop-coach-" + n + "_";
  }

  /** The snoop whispering to the coached participant in {@code coachCallSid}'s {@code n}th pair. */
  static String whisperId(String coachCallSid, int n) {
    return coachCallSid + "-snoop-coached-" + n + "_";
  }

  /**
   * The {@code n}th pair of {@code coachCallSid}, already on Asterisk (both snoops in its bridge):
   * taken back after a restart as it is, nothing made ({@link CoachRestore}).
   */
  static ConferenceCoach adopt(AriPort ari, String serverId, String coachCallSid,
      String coachedCallSid, int n) {
    return new ConferenceCoach(ari, serverId, coachCallSid, coachedCallSid, n);
  }

  /**
   * Connects {@code coach} (already added to the room's bridge muted, once {@code added}
   * completed) to the ear of {@code coached}; {@code pipe} reports each step to the room.
   */
  static ConferenceCoach start(AriPort ari, String coachCallSid, ChannelRef coach,
      String coachedCallSid, ChannelRef coached, CompletionStage<Done> added,
      BiConsumer<String, CompletionStage<Done>> pipe) {
    return start(ari, coachCallSid, coach, coachedCallSid, coached, added, pipe, 1);
  }

  /** As above, the coach's {@code n}th pair. */
  static ConferenceCoach start(AriPort ari, String coachCallSid, ChannelRef coach,
      String coachedCallSid, ChannelRef coached, CompletionStage<Done> added,
      BiConsumer<String, CompletionStage<Done>> pipe, int n) {
    ConferenceCoach c =
        new ConferenceCoach(ari, coach.serverId(), coachCallSid, coachedCallSid, n);
    pipe.accept("coach", added
        .thenCompose(d -> ari.snoop(coach, c.voice.channelId(), "in", "none"))
        .thenCompose(d -> ari.snoop(coached, c.whisper.channelId(), "none", "out"))
        .thenCompose(d -> ari.createBridge(c.serverId, c.bridgeId, "mixing", c.bridgeId))
        .thenCompose(d -> ari.addToBridge(c.serverId, c.bridgeId,
            List.of(c.voice.channelId(), c.whisper.channelId()))));
    return c;
  }

  /** Whether this pair involves {@code callSid} (as coach or coached). */
  boolean involves(String callSid) {
    return coachCallSid.equals(callSid) || coachedCallSid.equals(callSid);
  }

  /** The pair's number among its coach's pairs (its pieces' ids). */
  int number() {
    return number;
  }

  String coachedCallSid() {
    return coachedCallSid;
  }

  /** Takes the pair apart: both snoops hung up, the bridge destroyed. */
  void stop(BiConsumer<String, CompletionStage<Done>> pipe) {
    pipe.accept("coachVoice", ari.hangup(voice, HangupReason.NORMAL));
    pipe.accept("coachWhisper", ari.hangup(whisper, HangupReason.NORMAL));
    pipe.accept("coachBridge", ari.destroyBridge(serverId, bridgeId));
  }
}
