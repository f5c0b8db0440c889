package org.switchboard.engine.hotline;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.call.Delegation;
import org.switchboard.engine.call.MediaResolver;
import org.switchboard.engine.call.RecordingIndex;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.MediaPort;
import org.switchboard.engine.port.SoundSpan;
import org.switchboard.engine.port.TtsPort;
import org.switchboard.engine.protocol.CallCommand;
import org.switchboard.engine.ring.DialContext;
import org.switchboard.engine.ring.DialEnded;
import org.switchboard.engine.ring.DialSession;
import org.switchboard.engine.ring.ParentCall;
import org.switchboard.engine.script.CallEffect;
import org.switchboard.engine.twiml.verb.Connect;
import org.switchboard.engine.twiml.verb.Dial;
import org.switchboard.engine.twiml.verb.Enqueue;
import org.switchboard.engine.twiml.verb.RecordingEvent;
import org.switchboard.engine.twiml.verb.Start;

/**
 * The call delegates of the hotline core (HOTLINE.md steps 2 and 3): {@code <Dial>} runs as a
 * {@link DialSession} child of the call, {@code <Dial><Conference>} as a {@link
 * ConferenceMembership}, {@code <Enqueue>} as a {@link QueueMembership}. Streams ({@code
 * <Connect>}, {@code <Start>}) and speech capture ({@code <Gather input="speech">}) go to the
 * {@code inner} delegates.
 */
public final class HotlineDelegates implements CallDelegates {
  private final DialContext dials;
  private final ConferenceRooms conferences;
  private final RecordingIndex recordings;
  private final MediaResolver resolver;
  private final CallDelegates inner;
  private final AtomicInteger dialCount = new AtomicInteger();

  /**
   * @param dials the dial sessions' collaborators (ports, dial plan, call and queue entities)
   * @param conferences the conference rooms ({@link ConferenceRooms#NONE} when
   *     conferences are not available)
   * @param inner delegates for streams (e.g. {@link CallDelegates#unsupported()})
   */
  public HotlineDelegates(
      DialContext dials,
      ConferenceRooms conferences,
      TtsPort tts,
      MediaPort media,
      RecordingIndex recordings,
      CallDelegates inner) {
    this.dials = Objects.requireNonNull(dials, "dials");
    this.conferences = Objects.requireNonNull(conferences, "conferences");
    this.recordings = Objects.requireNonNull(recordings, "recordings");
    this.resolver = new MediaResolver(tts, media);
    this.inner = Objects.requireNonNull(inner, "inner");
  }

  @Override
  public Delegation dial(Context c, Dial dial, boolean callerAnswered) {
    if (dial.nouns().get(0) instanceof org.switchboard.engine.twiml.verb.Conference room) {
      return ConferenceMembership.start(c, dial, room, callerAnswered, conferences, dials,
          resolver);
    }
    int index = dialCount.getAndIncrement() & Integer.MAX_VALUE;
    ParentCall parent =
        new ParentCall(c.callSid(), c.channel(), QueueMembership.param(c, "From").orElse(""),
            QueueMembership.param(c, "To").orElse(""), callerAnswered, index);
    ActorRef<DialEnded> replies =
        c.actor().messageAdapter(DialEnded.class, ended -> dialFinished(c, ended));
    ActorRef<DialSession.Command> session =
        c.actor().spawn(DialSession.create(parent, dial, dials, replies), "dial-" + index);
    return sessionDelegation(session);
  }

  /** A {@code <Dial>} taken back after a restart from its durable state ({@link DialSession#resume}). */
  @Override
  public Delegation resumeDial(Context c, Dial dial, boolean callerAnswered) {
    if (dial.nouns().get(0) instanceof org.switchboard.engine.twiml.verb.Conference room) {
      return ConferenceMembership.resume(c, dial, room, conferences, dials, resolver);
    }
    ActorRef<DialEnded> replies =
        c.actor().messageAdapter(DialEnded.class, ended -> dialFinished(c, ended));
    ActorRef<DialSession.Command> session = c.actor().spawn(
        DialSession.resume(c.callSid(), c.channel(), dial, dials, replies), "dial-resumed");
    return sessionDelegation(session);
  }

  private static Delegation sessionDelegation(ActorRef<DialSession.Command> session) {
    return new Delegation() {
      @Override
      public void stop(String reason) {
        session.tell(new DialSession.Cancel(reason));
      }

      @Override
      public void onEvent(ChannelEvent event) {
        session.tell(new DialSession.ParentEvent(event));
      }

      @Override
      public void resynced(String serverId) {
        session.tell(new DialSession.ServerResynced(serverId));
      }
    };
  }

  private CallCommand dialFinished(Context c, DialEnded ended) {
    ended.recording().ifPresent(r -> {
      int seconds = r.durationSeconds().orElse(0);
      Instant started = dials.settings().clock().instant().minusSeconds(seconds);
      recordings.register(new RecordingIndex.Entry(r.sid(), c.callSid(), seconds, r.channels(),
          "DialVerb",
          (r.kept().filter(SoundSpan::silent).isPresent()
              ? RecordingEvent.ABSENT : RecordingEvent.COMPLETED).wire(),
          started, r.sid(), c.channel().serverId(), r.kept()));
    });
    Map<String, String> params = new LinkedHashMap<>();
    ended.actionParams().forEach(e -> params.put(e.getKey(), e.getValue()));
    return new CallCommand.DialFinished(params);
  }

  @Override
  public Delegation enqueue(Context c, Enqueue enqueue) {
    return join(c, enqueue, Optional.empty());
  }

  @Override
  public Delegation rejoin(Context c, Enqueue enqueue, Instant enqueuedAt) {
    return join(c, enqueue, Optional.of(enqueuedAt));
  }

  private Delegation join(Context c, Enqueue enqueue, Optional<Instant> enqueuedAt) {
    var queue = dials.queues().apply(enqueue.name());
    ActorRef<QueueMembership.Command> membership =
        c.actor().spawnAnonymous(
            QueueMembership.create(c, enqueue, enqueuedAt, queue,
                (ctx, call) -> new QueueAnnouncement(ctx, call, dials.ari(), dials.webhooks(), resolver)));
    return QueueMembership.delegation(membership);
  }

  @Override
  public Delegation echo(Context c) {
    return EchoLoop.start(c, dials.ari());
  }

  @Override
  public Delegation connect(Context c, Connect connect) {
    return inner.connect(c, connect);
  }

  @Override
  public Delegation startStream(Context c, Start start) {
    return inner.startStream(c, start);
  }

  @Override
  public Delegation listen(Context c, org.switchboard.engine.twiml.verb.Gather gather) {
    return inner.listen(c, gather);
  }

  @Override
  public void transcribe(Context c, CallEffect.Transcribe request) {
    inner.transcribe(c, request);
  }
}
