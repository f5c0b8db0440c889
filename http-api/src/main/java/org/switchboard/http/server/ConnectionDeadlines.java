package org.switchboard.http.server;

import java.time.Duration;
import java.util.function.Consumer;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deadlines of one HTTP connection, between Pekko's server layer and the route. Pekko's {@code
 * idle-timeout} restarts on every byte, so a client that sends one header byte every few seconds
 * holds its connection forever; this stage closes the connection instead when
 *
 * <ul>
 *   <li>no complete request head arrived within {@code headerTimeout} of the connection opening
 *       or of the previous response's last byte (so a kept-alive connection that stays idle that
 *       long is closed too, like Apache's {@code KeepAliveTimeout}), or
 *   <li>a streamed request body has not arrived in full within {@code bodyTimeout} of its head
 *       (the route usually answers first: the body's remaining bytes then count against the next
 *       head's deadline, since the connection drains them before it can read the next request).
 * </ul>
 *
 * <p>While a request is being handled no deadline runs: the route's own timeouts and Pekko's
 * {@code request-timeout} bound that. Closing completes the handler flow, so Pekko sends FIN at
 * once and drops the socket at the client's next byte or after {@code linger-timeout}; no 408
 * is sent (the client never finished a request to answer). Failing the flow instead would make
 * Pekko log an internal server error per connection.
 */
public final class ConnectionDeadlines
    extends GraphStage<BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse>> {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionDeadlines.class);

  /** Why a connection was closed. */
  public enum Reason {
    HEADER_TIMEOUT("header-timeout"),
    BODY_TIMEOUT("body-timeout");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    /** The metric label. */
    public String label() {
      return label;
    }
  }

  private enum TimerKey {
    HEAD,
    BODY
  }

  private final Inlet<HttpRequest> requestIn = Inlet.create("ConnectionDeadlines.requestIn");
  private final Outlet<HttpRequest> requestOut = Outlet.create("ConnectionDeadlines.requestOut");
  private final Inlet<HttpResponse> responseIn = Inlet.create("ConnectionDeadlines.responseIn");
  private final Outlet<HttpResponse> responseOut =
      Outlet.create("ConnectionDeadlines.responseOut");
  private final BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape =
      BidiShape.of(requestIn, requestOut, responseIn, responseOut);

  private final Duration headerTimeout;
  private final Duration bodyTimeout;
  private final String client;
  private final Consumer<Reason> onClose;

  /**
   * @param limits the two deadlines
   * @param client the remote address, for the log
   * @param onClose told once when a deadline closes the connection (metrics)
   */
  public ConnectionDeadlines(ServerLimits limits, String client, Consumer<Reason> onClose) {
    this.headerTimeout = limits.requestHeaderTimeout();
    this.bodyTimeout = limits.requestBodyTimeout();
    this.client = client;
    this.onClose = onClose;
  }

  @Override
  public BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new Logic();
  }

  private final class Logic extends TimerGraphStageLogic {
    /** Requests handed to the route whose response has not come back. */
    private int outstanding;
    /** Numbers the request bodies and responses, so a late end of an old one is ignored. */
    private long bodySeq;
    private long responseSeq;
    private final AsyncCallback<Long> bodyEnded = createAsyncCallback(this::onBodyEnded);
    private final AsyncCallback<Long> responseSent = createAsyncCallback(this::onResponseSent);

    Logic() {
      super(shape);
      setHandler(requestIn, new AbstractInHandler() {
        @Override
        public void onPush() {
          onRequest(grab(requestIn));
        }
      });
      setHandler(requestOut, new AbstractOutHandler() {
        @Override
        public void onPull() {
          pull(requestIn);
        }
      });
      setHandler(responseIn, new AbstractInHandler() {
        @Override
        public void onPush() {
          onResponse(grab(responseIn));
        }
      });
      setHandler(responseOut, new AbstractOutHandler() {
        @Override
        public void onPull() {
          pull(responseIn);
        }
      });
    }

    @Override
    public void preStart() {
      scheduleOnce(TimerKey.HEAD, headerTimeout);
    }

    private void onRequest(HttpRequest request) {
      cancelTimer(TimerKey.HEAD);
      outstanding++;
      RequestEntity entity = request.entity();
      if (entity.isKnownEmpty() || entity instanceof HttpEntity.Strict) {
        push(requestOut, request);
        return;
      }
      long seq = ++bodySeq;
      scheduleOnce(TimerKey.BODY, bodyTimeout);
      push(requestOut, request.withEntity(
          (RequestEntity) watched(entity, () -> bodyEnded.invoke(seq))));
    }

    private void onResponse(HttpResponse response) {
      cancelTimer(TimerKey.BODY);
      outstanding--;
      ResponseEntity entity = response.entity();
      long seq = ++responseSeq;
      if (entity.isKnownEmpty() || entity instanceof HttpEntity.Strict) {
        push(responseOut, response);
        onResponseSent(seq);
        return;
      }
      push(responseOut, response.withEntity(
          (ResponseEntity) watched(entity, () -> responseSent.invoke(seq))));
    }

    private void onBodyEnded(long seq) {
      if (seq == bodySeq) {
        cancelTimer(TimerKey.BODY);
      }
    }

    private void onResponseSent(long seq) {
      if (seq == responseSeq && outstanding == 0) {
        scheduleOnce(TimerKey.HEAD, headerTimeout);
      }
    }

    @Override
    public void onTimer(Object key) {
      Reason reason = key == TimerKey.HEAD ? Reason.HEADER_TIMEOUT : Reason.BODY_TIMEOUT;
      LOG.debug("closing the connection of {}: {} (request {} not received within {})",
          client, reason.label(), key == TimerKey.HEAD ? "head" : "body",
          key == TimerKey.HEAD ? headerTimeout : bodyTimeout);
      onClose.accept(reason);
      completeStage();
    }
  }

  /**
   * {@code entity} with the same type, length and bytes, calling {@code ended} once its bytes
   * have all passed or its stream stopped.
   */
  private static HttpEntity watched(HttpEntity entity, Runnable ended) {
    Flow<ByteString, ByteString, ?> watch = Flow.<ByteString>create().watchTermination(
        (mat, done) -> {
          done.whenComplete((d, error) -> ended.run());
          return mat;
        });
    Source<ByteString, ?> data = entity.getDataBytes().via(watch);
    if (entity instanceof HttpEntity.Default sized) {
      return HttpEntities.create(entity.getContentType(), sized.getContentLength(), data);
    }
    if (entity instanceof HttpEntity.CloseDelimited) {
      return HttpEntities.createCloseDelimited(entity.getContentType(), data);
    }
    return HttpEntities.createChunked(entity.getContentType(), data);
  }
}
