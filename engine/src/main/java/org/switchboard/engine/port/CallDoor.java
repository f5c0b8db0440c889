package org.switchboard.engine.port;

/**
 * Admission of new inbound calls where their {@code StasisStart} is first read off an event socket,
 * before any queue of the event path (socket buffer, router, sharding): a node that sheds load or
 * drains turns a new call away at once, so the refusal does not wait behind the live calls'
 * events, and the later events of that channel are dropped there too, so they neither start a call
 * entity nor fill the queue the door sits before. The event adapter reads {@link #watching()} for
 * every frame (so it must be cheap) and looks into frames only while it is true.
 */
public interface CallDoor {

  /** Whether frames need a look: the door refuses new calls, or holds channels it turned away. */
  boolean watching();

  /** Whether new calls are being turned away now. */
  boolean refusing();

  /**
   * A new inbound call ({@code StasisStart} of a channel Switchboard did not create). True when
   * the door took it: its channel is refused (hung up until Asterisk confirms) and no call starts;
   * false when it goes the ordinary way (the door opened meanwhile, or the policy runs a script).
   */
  boolean turnAway(ChannelEvent.StasisEntered entered);

  /**
   * Whether an event of {@code channel} belongs to a channel the door turned away, so it goes to
   * no call; {@code gone} (its {@code StasisEnd} or {@code ChannelDestroyed}: the channel left the
   * application, the last event it sends without subscribeAll) also confirms that channel's
   * hangup, and the door forgets the channel.
   */
  boolean absorbs(ChannelRef channel, boolean gone);

  /** A door that takes every call (no admission control at the socket). */
  CallDoor OPEN = new CallDoor() {
    @Override
    public boolean watching() {
      return false;
    }

    @Override
    public boolean refusing() {
      return false;
    }

    @Override
    public boolean turnAway(ChannelEvent.StasisEntered entered) {
      return false;
    }

    @Override
    public boolean absorbs(ChannelRef channel, boolean gone) {
      return false;
    }
  };
}
