package org.broadsheet.support;

/**
 * Something that owns threads, executors or sockets: built without starting anything, started by
 * the application's lifecycle in order and stopped in reverse order. {@link #stop} lets work in
 * progress finish (no interrupts) and returns once every thread it started has ended.
 */
public interface Managed extends AutoCloseable {

  /** Starts the threads; called once, after everything this depends on has started. */
  void start();

  /** Stops and waits for the threads; called once, before anything this depends on stops. */
  void stop();

  /** The same as {@link #stop}, so a part can be used in try-with-resources (tests). */
  @Override
  default void close() {
    stop();
  }

  /** A short name for logs ("web server", "mail outbox"). */
  default String name() {
    return getClass().getSimpleName();
  }
}
