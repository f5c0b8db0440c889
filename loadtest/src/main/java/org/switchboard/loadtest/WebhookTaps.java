package org.switchboard.loadtest;

import java.util.function.Consumer;

/**
 * Where a harness's test application sends its webhooks: to the attached {@link CallDriver} and
 * to a listener (the overload benchmark's), each if set.
 */
final class WebhookTaps implements Consumer<TestApp.Webhook> {
  private volatile CallDriver driver;
  private volatile Consumer<TestApp.Webhook> listener;

  void attach(CallDriver d) {
    this.driver = d;
  }

  void listen(Consumer<TestApp.Webhook> l) {
    this.listener = l;
  }

  @Override
  public void accept(TestApp.Webhook w) {
    CallDriver d = driver;
    if (d != null) {
      d.webhook(w);
    }
    Consumer<TestApp.Webhook> l = listener;
    if (l != null) {
      l.accept(w);
    }
  }
}
