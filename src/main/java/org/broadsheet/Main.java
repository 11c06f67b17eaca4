package org.broadsheet;

import org.broadsheet.cli.Cli;

/** The jar's entry point: the command line, which serves the site by default. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    // What libraries log through java.util.logging goes to the one log, in its format.
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    System.exit(Cli.run(args));
  }
}
