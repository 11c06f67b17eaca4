package org.broadsheet.web;

/**
 * A feature's routes: each feature declares its own paths, their handlers and the roles each route
 * needs (see {@link Routes}). The application lists the modules in one place; adding a feature
 * means adding one module there.
 */
@FunctionalInterface
public interface RouteModule {
  void addRoutes(Routes routes);
}
