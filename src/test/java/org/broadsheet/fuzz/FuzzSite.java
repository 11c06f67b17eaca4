package org.broadsheet.fuzz;

import org.broadsheet.app.Broadsheet;
import org.broadsheet.testing.Backend;

/** One empty site on an SQLite file for the fuzzers that need a database; built once per JVM. */
final class FuzzSite {

  private static Broadsheet site;
  private static Backend.TestDatabase database;

  private FuzzSite() {}

  static synchronized Broadsheet get() {
    if (site == null) {
      database = Backend.SQLITE.create();
      site = Broadsheet.create(database.config());
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    site.close();
                    database.close();
                  }));
    }
    return site;
  }

  static java.nio.file.Path dataDir() {
    get();
    return database.dataDir();
  }
}
