package org.switchboard.asterisk.router;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.stage.AbstractGraphStageWithMaterializedValue;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * A sink that hands elements to an asynchronous consumer, strictly in order per key and in
 * parallel across keys. Each key's next element waits for the previous element's {@link
 * CompletionStage}. Bounded twice: at most {@code perKeyBuffer} elements held for one key and at
 * most {@code maxInFlight} held in all. When an element arrives for a key whose buffer is full,
 * it is parked and the stage stops pulling until that key makes room, so upstream is
 * backpressured and nothing is dropped; until then other keys keep flowing.
 *
 * <p>Why not {@code mapAsyncPartitioned}: its ordered variant holds every key's results behind
 * the oldest one (one stalled call stalls all), and neither variant bounds a single key
 * separately from the whole.
 *
 * <p>Materializes a stage that completes when upstream finished and every element was handed
 * over and acknowledged (or failed: see {@link Listener}).
 */
final class OrderedDeliveryStage<T>
    extends AbstractGraphStageWithMaterializedValue<SinkShape<T>, CompletionStage<Done>> {

  /** Told how each delivery ended; called on the stage's thread. */
  interface Listener<T> {
    void delivered(T element);

    void failed(T element, Throwable error);
  }

  private final Inlet<T> in = Inlet.create("OrderedDelivery.in");
  private final SinkShape<T> shape = SinkShape.of(in);
  private final Function<T, String> keyOf;
  private final Function<T, CompletionStage<?>> deliver;
  private final Listener<T> listener;
  private final int perKeyBuffer;
  private final int maxInFlight;

  OrderedDeliveryStage(
      Function<T, String> keyOf,
      Function<T, CompletionStage<?>> deliver,
      Listener<T> listener,
      int perKeyBuffer,
      int maxInFlight) {
    if (perKeyBuffer < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("bounds must be at least 1");
    }
    this.keyOf = keyOf;
    this.deliver = deliver;
    this.listener = listener;
    this.perKeyBuffer = perKeyBuffer;
    this.maxInFlight = maxInFlight;
  }

  @Override
  public SinkShape<T> shape() {
    return shape;
  }

  @Override
  public Pair<GraphStageLogic, CompletionStage<Done>> createLogicAndMaterializedValuePair(
      Attributes inheritedAttributes) {
    CompletableFuture<Done> finished = new CompletableFuture<>();
    return Pair.create(new Logic(finished), finished);
  }

  private record Outcome<T>(String key, T element, Throwable error) {}

  private final class Logic extends GraphStageLogic {
    private final CompletableFuture<Done> finished;
    /** Per key: the head is being delivered, the rest wait behind it. */
    private final Map<String, ArrayDeque<T>> queues = new HashMap<>();
    private AsyncCallback<Outcome<T>> onOutcome;
    private int held;
    private T parked;
    private String parkedKey;
    private boolean upstreamFinished;

    Logic(CompletableFuture<Done> finished) {
      super(shape);
      this.finished = finished;
      setHandler(
          in,
          new AbstractInHandler() {
            @Override
            public void onPush() {
              accept(grab(in));
            }

            @Override
            public void onUpstreamFinish() {
              upstreamFinished = true;
              finishIfDrained();
            }

            @Override
            public void onUpstreamFailure(Throwable ex) {
              finished.completeExceptionally(ex);
              failStage(ex);
            }
          });
    }

    @Override
    public void preStart() {
      onOutcome = createAsyncCallback(this::onOutcome);
      // Upstream may finish while deliveries are outstanding; stay alive to see them through.
      setKeepGoing(true);
      pull(in);
    }

    @Override
    public void postStop() {
      if (!finished.isDone()) {
        finished.completeExceptionally(
            new IllegalStateException("ordered delivery stopped with " + held + " held"));
      }
    }

    private void accept(T element) {
      String key = keyOf.apply(element);
      ArrayDeque<T> queue = queues.get(key);
      if (queue != null && queue.size() >= perKeyBuffer) {
        parked = element;
        parkedKey = key;
        return;
      }
      enqueue(key, element);
      pullIfRoom();
    }

    private void enqueue(String key, T element) {
      ArrayDeque<T> queue = queues.computeIfAbsent(key, k -> new ArrayDeque<>());
      queue.addLast(element);
      held++;
      if (queue.size() == 1) {
        start(key, element);
      }
    }

    private void start(String key, T element) {
      CompletionStage<?> result;
      try {
        result = deliver.apply(element);
        if (result == null) {
          result = CompletableFuture.failedFuture(new NullPointerException("delivery returned null"));
        }
      } catch (RuntimeException e) {
        result = CompletableFuture.failedFuture(e);
      }
      result.whenComplete((ok, error) -> onOutcome.invoke(new Outcome<>(key, element, error)));
    }

    private void onOutcome(Outcome<T> outcome) {
      if (outcome.error() == null) {
        listener.delivered(outcome.element());
      } else {
        listener.failed(outcome.element(), outcome.error());
      }
      ArrayDeque<T> queue = queues.get(outcome.key());
      queue.pollFirst();
      held--;
      if (queue.isEmpty()) {
        queues.remove(outcome.key());
      } else {
        start(outcome.key(), queue.peekFirst());
      }
      if (parked != null && outcome.key().equals(parkedKey)) {
        T element = parked;
        parked = null;
        parkedKey = null;
        enqueue(outcome.key(), element);
      }
      pullIfRoom();
      finishIfDrained();
    }

    private void pullIfRoom() {
      if (parked == null && held < maxInFlight && !hasBeenPulled(in) && !isClosed(in)) {
        pull(in);
      }
    }

    private void finishIfDrained() {
      if (upstreamFinished && held == 0 && parked == null) {
        finished.complete(Done.getInstance());
        completeStage();
      }
    }
  }
}
