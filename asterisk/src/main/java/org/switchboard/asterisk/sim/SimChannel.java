package org.switchboard.asterisk.sim;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One simulated Asterisk channel. Mutable; only touched while holding the simulator's lock.
 * Local channels come in pairs ({@link #localPeer}); the {@code ;1} half is the dialled leg, the
 * {@code ;2} half runs the far end (dialplan or Stasis).
 */
final class SimChannel {
  /** How the channel reached its current outbound dial, if any. */
  enum DialMode { NONE, ORIGINATE, CREATED }

  final String id;
  final String name;
  final String technology;
  final Instant creationTime;
  /** {@link #creationTime} as events show it, formatted once. */
  final String creationText;
  String state;
  String callerName = "";
  String callerNumber = "";
  String connectedName = "";
  String connectedNumber = "";
  String context;
  String exten;
  int priority = 1;
  String appName = "";
  String appData = "";
  final Map<String, String> variables = new HashMap<>();

  SimChannel localPeer;
  /** The {@code ;2} half (far end / inbound side) of a Local pair. */
  boolean secondHalf;

  /** The Stasis application owning the channel, null when not in Stasis. */
  String stasisApp;
  /** Entered Stasis from dialplan: when it leaves, dialplan continues (and ends). */
  boolean stasisFromDialplan;
  /** Runs dialplan (not in Stasis): an idle or talking phone, a far end. */
  boolean inDialplan;
  /** {@code STASISSTATUS} events when it next leaves Stasis ({@link SimCore#leaveStasis}). */
  int stasisExitVarsets = 1;
  /** An originated leg back in Stasis from {@code [switchboard-amd]} ({@link AmdDialplan}). */
  boolean backFromDetection;
  /** The phone half plays prompts in a loop: its peer hears audio. */
  boolean talkLoop;
  /** App and args the leg enters Stasis with once answered (originate with app). */
  String pendingApp;
  List<String> pendingArgs = List.of();
  /** Dialplan the leg runs once answered (originate with context/extension). */
  String pendingExtension;

  DialMode dialMode = DialMode.NONE;
  String dialString = "";
  boolean dialFinished;
  boolean destroyed;
  String bridgeId;
  Instant speakingUntil = Instant.MIN;
  /** What the caller says ({@code speak} with audio), 16 kHz, from {@link #speechStart}. */
  short[] speech;
  Instant speechStart = Instant.MIN;
  /** {@code TALK_DETECT} while set on the channel. */
  TalkDetector.State talkDetect;
  /** {@code PJSIP_TRANSFER_HANDLING()=ari-only}: a REFER becomes a {@code ChannelTransfer}. */
  boolean transferHandlingAri;
  /** The destination of the REFER awaiting its outcome ({@link Transfers}), if any. */
  String pendingReferTo;
  /** For a snoop channel: the channel it spies on ({@code spy=in}: what that channel reads). */
  String snoopOf;
  final Set<SimClock.Timer> timers = new LinkedHashSet<>();
  ExternalMedia media;

  SimChannel(String id, String name, String technology, String state, Instant creationTime) {
    this.id = id;
    this.name = name;
    this.technology = technology;
    this.state = state;
    this.creationTime = creationTime;
    this.creationText = AriJson.time(creationTime);
  }

  boolean inStasis() {
    return stasisApp != null;
  }

  boolean isUp() {
    return "Up".equals(state);
  }

  void cancelTimers() {
    List<SimClock.Timer> all = List.copyOf(timers);
    timers.clear();
    all.forEach(SimClock.Timer::cancel);
  }
}
