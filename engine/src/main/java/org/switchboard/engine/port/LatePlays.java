package org.switchboard.engine.port;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Playbacks whose owner stops wanting them before Asterisk has shown that they run: a prompt the
 * script moved past, the queue wait music of a caller just dequeued, a dial's ringback once the
 * callee answered, a queue announcement or conference wait document that ended. A stop sent while
 * the play is on its way can reach Asterisk first ({@code 404}) and the play then runs anyway, and
 * a play whose answer was lost may run late: either way the caller would hear it on, over what
 * follows. So a stopped {@link Play} is stopped again when the evidence that it runs arrives
 * after its stop: the play's answer, or its {@code PlaybackStarted} (fed by the call that owns the
 * channel, {@link #onEvent}, which outlives the owners). Thread-safe; one per actor system.
 */
public final class LatePlays implements Extension {
  private static final Logger LOG = LoggerFactory.getLogger(LatePlays.class);
  private static final Id ID = new Id();
  /** Past this many watched playbacks, those watched longer than {@link #FORGET_NANOS} go. */
  private static final int PURGE_ABOVE = 1024;
  private static final long FORGET_NANOS = 10L * 60 * 1_000_000_000L;

  private final ConcurrentHashMap<String, Play> watched = new ConcurrentHashMap<>();

  LatePlays() {}

  /** The late plays of {@code system}. */
  public static LatePlays get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  /** A playback {@code playbackId} on server {@code serverId} that its owner starts and stops. */
  public Play prepare(AriPort ari, String serverId, String playbackId) {
    return new Play(ari, serverId, playbackId);
  }

  /**
   * An event of a channel, from the call that owns it: the start of a playback stopped before it
   * ran stops it at once (true); its end forgets it.
   */
  public boolean onEvent(ChannelEvent event) {
    if (watched.isEmpty()) {
      return false;
    }
    if (event instanceof ChannelEvent.PlaybackStarted s) {
      Play play = watched.get(s.playbackId());
      return play != null && play.started();
    }
    if (event instanceof ChannelEvent.PlaybackFinished f) {
      Play play = watched.remove(f.playbackId());
      if (play != null) {
        play.finished();
      }
    }
    return false;
  }

  /** Whether {@code playbackId} was stopped and is watched for a late start. */
  public boolean watches(String playbackId) {
    return watched.containsKey(playbackId);
  }

  /** How many stopped playbacks are watched for a late start (for tests and logs). */
  public int watched() {
    return watched.size();
  }

  private void watch(Play play) {
    if (watched.size() > PURGE_ABOVE) {
      long now = System.nanoTime();
      watched.values().removeIf(p -> now - p.stoppedAt > FORGET_NANOS);
    }
    watched.put(play.playbackId, play);
  }

  /** What is known of a play's command. */
  private enum Sent { NOT_YET, PENDING, RAN, REFUSED, UNKNOWN }

  /**
   * One playback of one owner: {@link #start} sends its play (unless it was stopped first),
   * {@link #stop} ends it, however far the play got.
   */
  public final class Play {
    private final AriPort ari;
    private final String serverId;
    private final String playbackId;
    private Sent sent = Sent.NOT_YET;
    private boolean wanted = true;
    private boolean stopOut;
    /** The play ran (its answer, its start) while a stop was out: a 404 of that stop is early. */
    private boolean ranSinceStop;
    private boolean removed;
    private long stoppedAt;

    private Play(AriPort ari, String serverId, String playbackId) {
      this.ari = ari;
      this.serverId = serverId;
      this.playbackId = playbackId;
    }

    /** The playback's id. */
    public String playbackId() {
      return playbackId;
    }

    /**
     * Sends the play ({@code command}) unless the playback was stopped already: the answer's stage
     * (true), or false at once when nothing was sent.
     */
    public CompletionStage<Boolean> start(Supplier<CompletionStage<Done>> command) {
      synchronized (this) {
        if (!wanted) {
          return CompletableFuture.completedFuture(false);
        }
        sent = Sent.PENDING;
      }
      CompletionStage<Done> answer;
      try {
        answer = command.get();
      } catch (RuntimeException e) {
        answer = CompletableFuture.failedFuture(e);
      }
      answer.whenComplete((ok, error) -> answered(error));
      return answer.thenApply(ok -> true);
    }

    /**
     * The owner no longer wants the playback: it is stopped if its play may have run, and again if
     * the play's answer or start shows later that it ran after this stop. The first stop's stage.
     */
    public CompletionStage<Done> stop() {
      synchronized (this) {
        if (!wanted) {
          return CompletableFuture.completedFuture(Done.getInstance());
        }
        wanted = false;
        if (sent == Sent.NOT_YET || sent == Sent.REFUSED) {
          removed = true;
          return CompletableFuture.completedFuture(Done.getInstance());
        }
        stoppedAt = System.nanoTime();
      }
      watch(this);
      return sendStop();
    }

    private void answered(Throwable error) {
      boolean again = false;
      boolean forget;
      synchronized (this) {
        if (error == null) {
          sent = Sent.RAN;
          again = ranAfterStop();
        } else if (AriCommandException.outcomeUnknown(error)) {
          sent = Sent.UNKNOWN;
        } else {
          sent = Sent.REFUSED;
          if (!wanted) {
            removed = true;
          }
        }
        forget = removed;
      }
      if (forget) {
        watched.remove(playbackId, this);
      }
      if (again) {
        LOG.warn("playback {} was answered after its owner stopped it; stopping it again",
            playbackId);
        sendStop();
      }
    }

    /** Its {@code PlaybackStarted}: true when that stops it. */
    private boolean started() {
      boolean again;
      synchronized (this) {
        again = ranAfterStop();
      }
      if (again) {
        LOG.warn("playback {} started after its owner stopped it; stopping it", playbackId);
        sendStop();
      }
      return again;
    }

    private synchronized void finished() {
      removed = true;
    }

    /**
     * Evidence that the playback runs came: whether to stop it now (none out); with a stop out,
     * that stop's 404 is then early and it is sent again.
     */
    private boolean ranAfterStop() {
      if (wanted || removed) {
        return false;
      }
      if (stopOut) {
        ranSinceStop = true;
        return false;
      }
      return true;
    }

    private CompletionStage<Done> sendStop() {
      synchronized (this) {
        stopOut = true;
        ranSinceStop = false;
      }
      CompletionStage<Done> stop;
      try {
        stop = ari.stopPlayback(serverId, playbackId);
      } catch (RuntimeException e) {
        stop = CompletableFuture.failedFuture(e);
      }
      stop.whenComplete((ok, error) -> stopAnswered(error));
      return stop;
    }

    private void stopAnswered(Throwable error) {
      boolean again = false;
      boolean forget;
      synchronized (this) {
        stopOut = false;
        boolean notFound = error != null && Failures.cause(error) instanceof AriCommandException ace
            && ace.isNotFound();
        if (notFound && ranSinceStop) {
          again = true;
        } else if (!notFound || sent == Sent.RAN) {
          // Stopped; or not found although it ran before this stop: it ended on its own. A stop
          // that failed otherwise was resent by the port until it gave up.
          removed = true;
        }
        // Not found while the play is on its way or its outcome unknown: its answer or start says.
        forget = removed;
      }
      if (forget) {
        watched.remove(playbackId, this);
      }
      if (again) {
        LOG.warn("playback {} ran after its stop reached Asterisk; stopping it again", playbackId);
        sendStop();
      }
    }
  }

  private static final class Id extends ExtensionId<LatePlays> {
    @Override
    public LatePlays createExtension(ActorSystem<?> system) {
      return new LatePlays();
    }
  }
}
