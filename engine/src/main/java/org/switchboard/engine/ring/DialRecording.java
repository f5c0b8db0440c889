package org.switchboard.engine.ring;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;
import org.switchboard.engine.twiml.verb.Dial;

/**
 * The recording of a bridged {@code <Dial record>}, named by its RecordingSid. {@code
 * record-from-answer} and {@code record-from-ringing} record the bridge ({@code POST
 * /bridges/{id}/record}): one mixed channel. Their {@code -dual} forms record each party apart, as
 * a REST {@code RecordingChannels=dual} recording does: two snoops on the parent call's channel,
 * {@code spy=in} (the caller) and {@code spy=out} (what the caller hears: the callee), each
 * recorded as {@code <sid>-1} and {@code <sid>-2} (the channel files of a two-channel {@code
 * RecordingIndex} entry), served as one stereo WAV, the caller left. The snoops are {@code
 * <ParentCallSid>-dialrec-<sid>-<1|2>_}, so their events reach the parent call; they are hung up
 * once the recordings are stopped.
 *
 * <p>{@code recordingTrack="inbound"} (what the caller says) or {@code "outbound"} (what the
 * caller hears: the callee) records one side only, always one channel as Twilio does: a single
 * snoop {@code <ParentCallSid>-dialrec-<sid>-1_} of the caller's channel ({@code spy=in} or
 * {@code spy=out}) recorded as {@code <sid>}, whatever the {@code -dual} form asks.
 */
final class DialRecording {
  private final AriPort ari;
  private final ChannelRef parentChannel;
  private final String sid;
  private final boolean dual;
  /** The snoop direction of a one-sided recording ({@code in} or {@code out}); null for both. */
  private final String spy;
  private final List<ChannelRef> snoops = new ArrayList<>();
  private final Set<String> started = new HashSet<>();
  private final Set<String> finished = new HashSet<>();
  private int seconds;

  DialRecording(AriPort ari, String parentCallSid, ChannelRef parentChannel, String sid,
      boolean dual, Dial.RecordingTrack track) {
    this.ari = ari;
    this.parentChannel = parentChannel;
    this.sid = sid;
    this.spy = switch (track) {
      case INBOUND -> "in";
      case OUTBOUND -> "out";
      case BOTH -> null;
    };
    this.dual = dual && spy == null;
    if (spy != null) {
      snoops.add(new ChannelRef(parentChannel.serverId(),
          parentCallSid + "-dialrec-" + sid + "-1_"));
    }
    if (this.dual) {
      for (int i = 1; i <= 2; i++) {
        snoops.add(new ChannelRef(parentChannel.serverId(),
            parentCallSid + "-dialrec-" + sid + "-" + i + "_"));
      }
    }
  }

  /** The number of channels of the recording: 2 for the dual forms. */
  int channels() {
    return dual ? 2 : 1;
  }

  /** The Asterisk recordings it is made of, one per channel. */
  List<String> names() {
    return dual ? List.of(sid + "-1", sid + "-2") : List.of(sid);
  }

  /** Whether {@code name} is one of its Asterisk recordings. */
  boolean matches(String name) {
    return names().contains(name);
  }

  /**
   * Starts recording the bridge {@code bridgeId}, or for dual the caller's two snoops, or for one
   * side its snoop.
   */
  CompletionStage<Done> start(String bridgeId) {
    AriPort.RecordRequest mono = request(sid);
    if (spy != null) {
      return ari.snoop(parentChannel, snoops.get(0).channelId(), spy)
          .thenCompose(d -> ari.record(snoops.get(0), mono));
    }
    if (!dual) {
      return ari.recordBridge(parentChannel.serverId(), bridgeId, mono);
    }
    return ari.snoop(parentChannel, snoops.get(0).channelId(), "in")
        .thenCompose(d -> ari.snoop(parentChannel, snoops.get(1).channelId(), "out"))
        .thenCompose(d -> ari.record(snoops.get(0), request(names().get(0))))
        .thenCompose(d -> ari.record(snoops.get(1), request(names().get(1))));
  }

  private static AriPort.RecordRequest request(String name) {
    return new AriPort.RecordRequest(name, "wav", 0, 0, false, "none", "fail");
  }

  /** Whether {@code name}'s start is the first of the recording's channels to start. */
  boolean onStarted(String name) {
    return started.add(name) && started.size() == 1;
  }

  /** A channel ended after {@code duration} s: the recording's length once every one ended. */
  OptionalInt onFinished(String name, int duration) {
    finished.add(name);
    seconds = Math.max(seconds, duration);
    return finished.size() >= channels() ? OptionalInt.of(seconds) : OptionalInt.empty();
  }

  /** Stops every channel's recording; then hangs its snoops up, if any. */
  CompletionStage<Done> stop() {
    List<CompletableFuture<Done>> stops = new ArrayList<>();
    names().forEach(name -> stops.add(
        ari.stopRecording(parentChannel.serverId(), name).toCompletableFuture()));
    CompletableFuture<Done> all = CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
        .thenApply(v -> Done.getInstance());
    if (snoops.isEmpty()) {
      return all;
    }
    return all.handle((d, error) -> Done.getInstance()).thenCompose(d -> release())
        .thenCompose(d -> all);
  }

  /** Hangs up the snoops, if any (Asterisk then ends their recordings); never fails. */
  CompletionStage<Done> release() {
    List<CompletableFuture<Done>> hangups = new ArrayList<>();
    snoops.forEach(s -> hangups.add(ari.hangup(s, HangupReason.NORMAL)
        .handle((d, error) -> Done.getInstance()).toCompletableFuture()));
    return CompletableFuture.allOf(hangups.toArray(CompletableFuture[]::new))
        .thenApply(v -> Done.getInstance());
  }
}
