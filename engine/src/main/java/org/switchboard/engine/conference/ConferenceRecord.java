package org.switchboard.engine.conference;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.protocol.Durable;

/**
 * The durable state of a running conference (persistence id {@code Conference|<room name>}, a
 * {@code durable.DurableSlot} of its {@link ConferenceActor}, deleted when the conference ends):
 * what a room needs to take its conference back after a restart ({@link ConferenceRestore}).
 * Written at the room's boundaries: a participant joined, rejoined or left, the conference
 * started, a participant's mute or hold changed, a status callback was sent (its SequenceNumber).
 *
 * @param conferenceSid the running conference
 * @param generation the room's conference counter (the bridge id's suffix)
 * @param bridgeId the mixing bridge on Asterisk
 * @param serverId the Asterisk server of the bridge and every participant
 * @param created when the conference opened
 * @param updated when it last changed (REST {@code DateUpdated})
 * @param started whether it started (two participants, one with {@code startConferenceOnEnter})
 * @param first the settings of the first participant, whose {@code statusCallback} counts
 * @param sequence the SequenceNumber of the last conference status callback sent
 * @param members the participants, in the order they joined
 * @param recording the conference recording, once started
 * @param beeps the bridge's beep playbacks so far (their ids count on)
 * @param announcements the REST announcements so far (their ids count on)
 */
public record ConferenceRecord(
    String conferenceSid,
    int generation,
    String bridgeId,
    String serverId,
    Instant created,
    Instant updated,
    boolean started,
    ConferenceActor.Participant first,
    int sequence,
    List<Member> members,
    Optional<Recording> recording,
    int beeps,
    int announcements)
    implements Durable {

  /**
   * One participant: its call and channel, its {@code <Conference>} settings, when it joined and
   * its mute and hold as the REST API last set them (and when).
   */
  public record Member(
      String callSid,
      ChannelRef channel,
      ConferenceActor.Participant settings,
      Instant joinedAt,
      boolean muted,
      boolean hold,
      Instant controlUpdated)
      implements Durable {}

  /**
   * The conference's recording on Asterisk: its name (the RecordingSid), the participant whose
   * CallSid it is registered under, the recording callback settings and when it started.
   */
  public record Recording(
      String sid, String callSid, ConferenceRecorder.Settings settings, Instant started)
      implements Durable {}
}
