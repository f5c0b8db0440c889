package org.switchboard.engine.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.ChannelRef;
import org.switchboard.engine.port.HangupReason;

/**
 * An {@link AriPort} for actor tests: every command is recorded as a {@link Command} that the
 * test takes with {@link #expect} (waiting with a deadline) and then completes or fails. In
 * auto-complete mode every command succeeds at once and is still recorded.
 */
public final class FakeAriPort implements AriPort {

  /** One recorded command: the operation name, its arguments, and the future to settle. */
  public record Command(String op, List<Object> args, CompletableFuture<Object> result) {
    /** Argument {@code i}, cast to the expected type. */
    @SuppressWarnings("unchecked")
    public <T> T arg(int i) {
      return (T) args.get(i);
    }

    public void succeed() {
      result.complete(Done.getInstance());
    }

    public void succeed(Object value) {
      result.complete(value);
    }

    public void fail(Throwable error) {
      result.completeExceptionally(error);
    }
  }

  private final LinkedBlockingQueue<Command> commands = new LinkedBlockingQueue<>();
  private final List<Command> history = new ArrayList<>();
  private final boolean autoComplete;
  private final Map<String, Object> queryAnswers = new java.util.concurrent.ConcurrentHashMap<>();

  private final Map<String, Throwable> failures = new java.util.concurrent.ConcurrentHashMap<>();

  /** From now on every {@code op} command fails with {@code error} (still recorded). */
  public void failAll(String op, Throwable error) {
    failures.put(op, error);
  }

  private final java.util.Set<String> held = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** From now on {@code op} commands wait for the test to settle them, even in auto-complete mode. */
  public void holdAll(String op) {
    held.add(op);
  }

  /** {@code op} commands are no longer held ({@link #holdAll}); those held stay so. */
  public void stopHolding(String op) {
    held.remove(op);
  }

  /** {@code op} commands complete normally again. */
  public void stopFailing(String op) {
    failures.remove(op);
  }

  private FakeAriPort(boolean autoComplete) {
    this.autoComplete = autoComplete;
  }

  /** Commands stay pending until the test settles them. */
  public static FakeAriPort manual() {
    return new FakeAriPort(false);
  }

  /** Commands succeed at once ({@code Done}, empty variables); still recorded. */
  public static FakeAriPort autoComplete() {
    return new FakeAriPort(true);
  }

  /** Takes the next command, failing the test if none arrives within {@code timeout}. */
  public Command next(Duration timeout) {
    try {
      Command c = commands.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (c == null) {
        throw new AssertionError("no ARI command within " + timeout + "; seen " + history());
      }
      return c;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Takes commands until one with operation {@code op} arrives (skipping others). */
  public Command expect(String op, Duration timeout) {
    return expect(c -> c.op().equals(op), op, timeout);
  }

  /** Takes commands until one matches, failing after {@code timeout}. */
  public Command expect(Predicate<Command> match, String description, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no " + description + " within " + timeout + "; seen " + history());
      }
      Command c = next(Duration.ofNanos(left));
      if (match.test(c)) {
        return c;
      }
    }
  }

  /** Asserts that no command arrives within {@code window}. */
  public void expectNone(Duration window) {
    try {
      Command c = commands.poll(window.toMillis(), TimeUnit.MILLISECONDS);
      if (c != null) {
        throw new AssertionError("unexpected ARI command " + c.op() + " " + c.args());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Every command so far, in order, as {@code op(args)} strings. */
  public synchronized List<String> history() {
    List<String> out = new ArrayList<>();
    for (Command c : history) {
      out.add(c.op() + c.args());
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private synchronized <T> CompletionStage<T> record(String op, Object value, Object... args) {
    CompletableFuture<Object> f = new CompletableFuture<>();
    Command c = new Command(op, List.of(args), f);
    history.add(c);
    // Settled before the test can see it: a test that stops failing after expecting a command
    // does not change that command's outcome.
    Throwable failure = failures.get(op);
    if (failure != null) {
      f.completeExceptionally(failure);
    } else if (autoComplete && !held.contains(op)) {
      f.complete(value);
    }
    commands.add(c);
    return (CompletionStage<T>) (CompletionStage<?>) f;
  }

  private CompletionStage<Done> done(String op, Object... args) {
    return record(op, Done.getInstance(), args);
  }

  @Override
  public CompletionStage<Done> answer(ChannelRef channel) {
    return done("answer", channel);
  }

  @Override
  public CompletionStage<Done> hangup(ChannelRef channel, HangupReason reason) {
    return done("hangup", channel, reason);
  }

  @Override
  public CompletionStage<Done> ring(ChannelRef channel) {
    return done("ring", channel);
  }

  @Override
  public CompletionStage<Done> stopRinging(ChannelRef channel) {
    return done("stopRinging", channel);
  }

  @Override
  public CompletionStage<Done> play(ChannelRef channel, String playbackId, List<String> media) {
    return done("play", channel, playbackId, media);
  }

  @Override
  public CompletionStage<Done> playOnBridge(
      String serverId, String bridgeId, String playbackId, List<String> media) {
    return done("playOnBridge", serverId, bridgeId, playbackId, media);
  }

  @Override
  public CompletionStage<Done> stopPlayback(String serverId, String playbackId) {
    return done("stopPlayback", serverId, playbackId);
  }

  @Override
  public CompletionStage<Done> record(ChannelRef channel, RecordRequest request) {
    return done("record", channel, request);
  }

  @Override
  public CompletionStage<Done> recordBridge(String serverId, String bridgeId, RecordRequest request) {
    return done("recordBridge", serverId, bridgeId, request);
  }

  @Override
  public CompletionStage<Done> stopRecording(String serverId, String recordingName) {
    return done("stopRecording", serverId, recordingName);
  }

  @Override
  public CompletionStage<Done> sendDtmf(ChannelRef channel, String dtmf, int betweenMs, int durationMs) {
    return done("sendDtmf", channel, dtmf, betweenMs, durationMs);
  }

  @Override
  public CompletionStage<Done> startMusicOnHold(ChannelRef channel, String mohClass) {
    return done("startMusicOnHold", channel, mohClass);
  }

  @Override
  public CompletionStage<Done> stopMusicOnHold(ChannelRef channel) {
    return done("stopMusicOnHold", channel);
  }

  @Override
  public CompletionStage<Done> mute(ChannelRef channel, String direction) {
    return done("mute", channel, direction);
  }

  @Override
  public CompletionStage<Done> pauseRecording(
      String serverId, String recordingName, boolean paused) {
    return done(paused ? "pauseRecording" : "unpauseRecording", null, recordingName);
  }

  @Override
  public CompletionStage<Done> unmute(ChannelRef channel, String direction) {
    return done("unmute", channel, direction);
  }

  @Override
  public CompletionStage<Done> snoop(ChannelRef channel, String snoopId, String spy) {
    return done("snoop", channel, snoopId, spy);
  }

  @Override
  public CompletionStage<Done> transferProgress(ChannelRef channel, String state) {
    return done("transferProgress", channel, state);
  }

  @Override
  public CompletionStage<Done> snoop(
      ChannelRef channel, String snoopId, String spy, String whisper) {
    return done("snoop", channel, snoopId, spy, whisper);
  }

  @Override
  public CompletionStage<Done> addToBridgeMuted(String serverId, String bridgeId, String channelId) {
    return done("addToBridgeMuted", serverId, bridgeId, channelId);
  }

  @Override
  public CompletionStage<Done> setVariable(ChannelRef channel, String name, String value) {
    return done("setVariable", channel, name, value);
  }

  @Override
  public CompletionStage<Optional<String>> getVariable(ChannelRef channel, String name) {
    return record("getVariable", Optional.empty(), channel, name);
  }

  @Override
  public CompletionStage<Done> originate(OriginateRequest request) {
    return done("originate", request);
  }

  @Override
  public CompletionStage<Done> createBridge(String serverId, String bridgeId, String type, String name) {
    return done("createBridge", serverId, bridgeId, type, name);
  }

  @Override
  public CompletionStage<Done> addToBridge(String serverId, String bridgeId, List<String> channelIds) {
    return done("addToBridge", serverId, bridgeId, channelIds);
  }

  @Override
  public CompletionStage<Done> removeFromBridge(String serverId, String bridgeId, String channelId) {
    return done("removeFromBridge", serverId, bridgeId, channelId);
  }

  @Override
  public CompletionStage<Done> destroyBridge(String serverId, String bridgeId) {
    return done("destroyBridge", serverId, bridgeId);
  }

  @Override
  public CompletionStage<Done> startBridgeMusicOnHold(String serverId, String bridgeId, String mohClass) {
    return done("startBridgeMusicOnHold", serverId, bridgeId, mohClass);
  }

  @Override
  public CompletionStage<Map<String, String>> externalMedia(ExternalMediaRequest request) {
    return record("externalMedia", Map.of(), request);
  }

  @Override
  public CompletionStage<Done> continueInDialplan(
      ChannelRef channel, String context, String extension, int priority) {
    return done("continueInDialplan", channel, context, extension, priority);
  }

  // Queries: in auto-complete mode they report that nothing changed (the channel is up, the
  // playback and the recording still live, the bridge there) unless answerQuery says otherwise.

  /**
   * From now on the auto-completed query {@code op} ({@code channel}, {@code playbackExists},
   * {@code liveRecordingExists}, {@code storedRecording}, {@code bridgeChannels}) answers
   * {@code value}.
   */
  public void answerQuery(String op, Object value) {
    queryAnswers.put(op, value);
  }

  private <T> CompletionStage<T> query(String op, Object value, Object... args) {
    return record(op, queryAnswers.getOrDefault(op, value), args);
  }

  @Override
  public CompletionStage<Optional<ChannelEvent.ChannelInfo>> channel(ChannelRef channel) {
    return query("channel", Optional.of(upChannel(channel.channelId())), channel);
  }

  @Override
  public CompletionStage<Boolean> playbackExists(String serverId, String playbackId) {
    return query("playbackExists", true, serverId, playbackId);
  }

  @Override
  public CompletionStage<Boolean> liveRecordingExists(String serverId, String recordingName) {
    return query("liveRecordingExists", true, serverId, recordingName);
  }

  @Override
  public CompletionStage<Optional<StoredRecording>> storedRecording(
      String serverId, String recordingName) {
    return query("storedRecording", Optional.empty(), serverId, recordingName);
  }

  @Override
  public CompletionStage<Optional<List<String>>> bridgeChannels(String serverId, String bridgeId) {
    return query("bridgeChannels", Optional.of(List.of()), serverId, bridgeId);
  }

  /** A channel in state {@code Up}, as {@code GET /channels/{id}} would describe it. */
  public static ChannelEvent.ChannelInfo upChannel(String id) {
    return new ChannelEvent.ChannelInfo(id, "PJSIP/" + id, "Up",
        new ChannelEvent.Party("", ""), new ChannelEvent.Party("", ""), "switchboard-in", "s",
        "", "en", java.time.Instant.EPOCH);
  }
}
