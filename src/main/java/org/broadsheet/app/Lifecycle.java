package org.broadsheet.app;

import java.util.ArrayList;
import java.util.List;
import org.broadsheet.support.Managed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that owns a thread, an executor, a socket or a file handle, in the order it was
 * registered: {@link #start} starts the {@link Managed} parts in that order, {@link #close} stops
 * every part (started or not: stopping must be safe either way) and closes the resources in reverse
 * order, each once, carrying on past a failure so nothing is left running. Not thread-safe: used by
 * the thread that builds and stops the application.
 */
public final class Lifecycle implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

  private record Part(String name, Managed managed, AutoCloseable resource) {}

  private final List<Part> parts = new ArrayList<>();
  private int started;
  private boolean closed;

  /** Registers a part that starts threads; returns it, for wiring in one line. */
  public <T extends Managed> T manage(T managed) {
    parts.add(new Part(managed.name(), managed, null));
    return managed;
  }

  /** Registers a resource that is only closed (a database pool, an index). */
  public <T extends AutoCloseable> T close(String name, T resource) {
    parts.add(new Part(name, null, resource));
    return resource;
  }

  /** Starts every managed part in registration order; on a failure, stops what started. */
  public void start() {
    for (int i = started; i < parts.size(); i++) {
      Part part = parts.get(i);
      try {
        if (part.managed() != null) {
          part.managed().start();
        }
      } catch (RuntimeException e) {
        started = i;
        close();
        throw e;
      }
    }
    started = parts.size();
  }

  /** The names of the registered parts, in start order (for tests and logs). */
  public List<String> names() {
    return parts.stream().map(Part::name).toList();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException first = null;
    for (int i = parts.size() - 1; i >= 0; i--) {
      Part part = parts.get(i);
      try {
        if (part.managed() != null) {
          // Also the ones never started: a part may hold an executor from its construction.
          part.managed().stop();
        } else {
          part.resource().close();
        }
      } catch (Exception e) {
        LOG.error("Stopping {} failed", part.name(), e);
        if (first == null) {
          first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
