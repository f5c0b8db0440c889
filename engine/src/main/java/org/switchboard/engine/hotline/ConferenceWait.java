package org.switchboard.engine.hotline;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.switchboard.engine.call.CallDelegates;
import org.switchboard.engine.call.MediaResolver;
import org.switchboard.engine.port.AriPort;
import org.switchboard.engine.port.ChannelEvent;
import org.switchboard.engine.port.Failures;
import org.switchboard.engine.port.LatePlays;
import org.switchboard.engine.port.WebhookPort;
import org.switchboard.engine.script.MediaRef;
import org.switchboard.engine.twiml.TwimlDocument;
import org.switchboard.engine.twiml.TwimlException;
import org.switchboard.engine.twiml.TwimlParser;
import org.switchboard.engine.twiml.verb.Method;
import org.switchboard.engine.twiml.verb.Pause;
import org.switchboard.engine.twiml.verb.Play;
import org.switchboard.engine.twiml.verb.Redirect;
import org.switchboard.engine.twiml.verb.Say;
import org.switchboard.engine.twiml.verb.Verb;

/**
 * What a participant hears while its conference has not started, from {@code <Conference
 * waitUrl>} (spec §4.9): the URL is requested with the call's parameters ({@code waitMethod}); a
 * TwiML answer runs its {@code <Say>}, {@code <Play>} (each a playback on the caller's channel,
 * {@code <CallSid>-announce-wait-<n>}, {@code loop} honoured, {@code 0} up to 1000 times), {@code
 * <Pause>} and {@code <Redirect>} (an empty one requests the same URL again); any other verb is
 * Twilio's warning 13238 and is skipped. An audio answer (MP3, WAV) is played once. The document is
 * not looped: silence follows it, unless it ends with a {@code <Redirect>}. Used inside a {@link
 * ConferenceMembership}, which stops it when the conference starts or the call leaves.
 */
final class ConferenceWait {
  private static final Logger LOG = LoggerFactory.getLogger(ConferenceWait.class);
  private static final TwimlParser PARSER = new TwimlParser();
  private static final int MAX_LOOPS = 1000;

  /** A result of the wait document, back in the membership's actor. */
  sealed interface Step {}

  /** The document of {@code generation} was fetched. */
  record Fetched(int generation, TwimlDocument document) implements Step {}

  /** Asterisk took the playback of the verb at {@code index}. */
  record Playing(int generation, int index) implements Step {}

  /** The verb at {@code index} is over. */
  record VerbDone(int generation, int index) implements Step {}

  private final ActorContext<ConferenceMembership.Command> ctx;
  private final CallDelegates.Context call;
  private final AriPort ari;
  private final WebhookPort webhooks;
  private final MediaResolver resolver;
  private int generation;
  private int plays;
  private TwimlDocument document;
  /** The verb's playback, from its play until it finished or was stopped. */
  private LatePlays.Play playback;
  private int playingIndex;
  private int left;

  ConferenceWait(ActorContext<ConferenceMembership.Command> ctx, CallDelegates.Context call,
      AriPort ari, WebhookPort webhooks, MediaResolver resolver) {
    this.ctx = ctx;
    this.call = call;
    this.ari = ari;
    this.webhooks = webhooks;
    this.resolver = resolver;
  }

  /** Requests {@code url} and runs what it answers. */
  void start(URI url, Method method) {
    int g = ++generation;
    CompletionStage<Step> fetched = webhooks
        .fetch(new WebhookPort.WebhookRequest(url, method, List.copyOf(call.callParams()),
            call.callSid(), "conference-wait"))
        .thenCompose(response -> document(g, url, response));
    ctx.pipeToSelf(fetched, (step, error) -> {
      if (error != null) {
        LOG.warn("{} <Conference waitUrl> {} failed: {}", call.callSid(), url,
            Failures.cause(error).getMessage());
        return new ConferenceMembership.WaitStep(new VerbDone(-1, 0));
      }
      return new ConferenceMembership.WaitStep(step);
    });
  }

  private CompletionStage<Step> document(int g, URI url, WebhookPort.WebhookResponse response) {
    if (response.status() < 200 || response.status() > 299) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "HTTP status " + response.status() + " from " + response.finalUrl()));
    }
    String type = response.contentType() == null ? "" : response.contentType().toLowerCase();
    try {
      TwimlDocument doc = type.startsWith("audio/")
          ? new TwimlDocument(response.finalUrl(),
              List.of(new Play(java.util.Optional.of(url), 1, java.util.Optional.empty())), List.of())
          : PARSER.parse(response.body(), response.finalUrl());
      return CompletableFuture.completedFuture(new Fetched(g, doc));
    } catch (TwimlException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Feeds a step back; steps of a stopped or replaced document are dropped. */
  void onStep(Step step) {
    if (step instanceof Fetched f && f.generation() == generation) {
      document = f.document();
      run(0);
    } else if (step instanceof VerbDone d && d.generation() == generation) {
      // A playback that failed: one whose answer was lost must not start under the next verb.
      abandonPlayback();
      run(d.index() + 1);
    }
  }

  /** Ends a verb when its playback finished; to be fed the call's events. */
  void onEvent(ChannelEvent event) {
    if (!(event instanceof ChannelEvent.PlaybackFinished f) || playback == null
        || !f.playbackId().equals(playback.playbackId())) {
      return;
    }
    playback = null;
    if (left > 0) {
      play(playingIndex, document.verbs().get(playingIndex), left - 1);
    } else {
      run(playingIndex + 1);
    }
  }

  /** Stops the document (the conference started, or the call left). */
  void stop() {
    generation++;
    abandonPlayback();
  }

  /**
   * Stops the current playback however far it got: not played yet, it never will be; played, it
   * is stopped, and again if it turns out to run after that ({@link LatePlays}).
   */
  private void abandonPlayback() {
    if (playback != null) {
      playback.stop();
      playback = null;
    }
  }

  private void run(int index) {
    if (document == null || index >= document.verbs().size()) {
      return;
    }
    Verb verb = document.verbs().get(index);
    if (verb instanceof Say say) {
      play(index, verb, loops(say.loop()) - 1);
    } else if (verb instanceof Play p && p.url().isPresent()) {
      play(index, verb, loops(p.loop()) - 1);
    } else if (verb instanceof Pause pause) {
      int g = generation;
      ctx.scheduleOnce(Duration.ofSeconds(pause.length()), ctx.getSelf(),
          new ConferenceMembership.WaitStep(new VerbDone(g, index)));
    } else if (verb instanceof Redirect redirect) {
      start(redirect.url(), redirect.method());
    } else {
      LOG.warn("{} warning 13238: <{}> is not allowed in a <Conference waitUrl> document; skipped",
          call.callSid(), verb.getClass().getSimpleName());
      run(index + 1);
    }
  }

  private static int loops(int loop) {
    return loop == 0 ? MAX_LOOPS : loop;
  }

  private void play(int index, Verb verb, int remaining) {
    int g = generation;
    String id = call.callSid() + "-announce-wait-" + (++plays);
    LatePlays.Play play =
        LatePlays.get(ctx.getSystem()).prepare(ari, call.channel().serverId(), id);
    playback = play;
    playingIndex = index;
    left = remaining;
    MediaRef media = verb instanceof Say say ? MediaRef.Speech.of(say)
        : MediaRef.forPlay(((Play) verb).url().orElseThrow());
    CompletionStage<Step> started = resolver.resolve(media)
        .thenCompose(list -> play.start(() -> ari.play(call.channel(), id, list)))
        .thenApply(ok -> new Playing(g, index));
    ctx.pipeToSelf(started, (step, error) -> {
      if (error != null) {
        LOG.warn("{} <Conference waitUrl> playback failed: {}", call.callSid(),
            Failures.cause(error).getMessage());
        return new ConferenceMembership.WaitStep(new VerbDone(g, index));
      }
      return new ConferenceMembership.WaitStep(step);
    });
  }
}
