package org.broadsheet;

import org.broadsheet.cli.Cli;

/** The jar's entry point: the command line, which serves the site by default. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.run(args));
  }
}
