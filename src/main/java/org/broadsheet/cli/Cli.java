package org.broadsheet.cli;

import static org.broadsheet.config.Settings.*;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.broadsheet.app.Broadsheet;
import org.broadsheet.config.Config;
import org.broadsheet.demo.DemoContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code broadsheet} command line: {@code serve} (the default), {@code migrate}, {@code demo}
 * and {@code version}. Settings come from the environment and the properties file (see the README);
 * a few common ones can also be given as options. Startup problems print one clear line and exit 2.
 */
@Command(
    name = "broadsheet",
    mixinStandardHelpOptions = true,
    versionProvider = Cli.Version.class,
    description = {
      "Broadsheet: a self-hosted news publishing platform.",
      "",
      "Without a command it serves the site (same as 'serve'). Settings come from BROADSHEET_* environment variables and",
      "the optional file broadsheet.properties; see the README for the full table."
    },
    subcommands = {
      Cli.Serve.class,
      Cli.Migrate.class,
      Cli.Demo.class,
      Cli.Comments.class,
      Cli.RotateKey.class,
      Cli.Reindex.class,
      Cli.CreateUser.class,
      Cli.Backup.class,
      Cli.Restore.class,
      Cli.DoctorCommand.class,
      Cli.Export.class,
      Cli.ImportWxr.class,
      Cli.Import.class,
      Cli.Related.class,
      Cli.Bounce.class,
      Cli.VersionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Cli implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(Cli.class);

  @CommandLine.Mixin Overrides overrides = new Overrides();

  /** Runs the command line and returns the process exit code. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the command line writing to the given streams; for tests. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(new Cli());
    java.util.List<String> footer = new java.util.ArrayList<>();
    footer.add("");
    footer.add("Settings (environment variable, meaning [default]):");
    footer.addAll(org.broadsheet.config.SettingsTable.plain());
    commandLine.getCommandSpec().usageMessage().footer(footer.toArray(String[]::new));
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          Throwable shown = e;
          while ((shown instanceof RuntimeException)
              && shown.getCause() != null
              && shown.getMessage() != null
              && shown.getMessage().equals(String.valueOf(shown.getCause()))) {
            shown = shown.getCause();
          }
          cmd.getErr().println("broadsheet: " + shown.getMessage());
          LOG.debug("Startup failure", e);
          return 2;
        });
    return commandLine.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    return new Serve(overrides).call();
  }

  /** Options that override the environment and the properties file. */
  static final class Overrides {
    @Option(names = "--port", description = "Port to listen on (BROADSHEET_PORT).")
    Integer port;

    @Option(names = "--host", description = "Address to listen on (BROADSHEET_HOST).")
    String host;

    @Option(names = "--data-dir", description = "Data folder (BROADSHEET_DATA_DIR).")
    String dataDir;

    @Option(names = "--database-url", description = "JDBC URL (BROADSHEET_DATABASE_URL).")
    String databaseUrl;

    Config config() {
      Map<String, String> environment = new LinkedHashMap<>(System.getenv());
      if (port != null) {
        environment.put("BROADSHEET_PORT", port.toString());
      }
      if (host != null) {
        environment.put("BROADSHEET_HOST", host);
      }
      if (dataDir != null) {
        environment.put("BROADSHEET_DATA_DIR", dataDir);
      }
      if (databaseUrl != null) {
        environment.put("BROADSHEET_DATABASE_URL", databaseUrl);
      }
      return Config.load(environment);
    }
  }

  @Command(
      name = "serve",
      description =
          "Serve the site (the default command). Seeds demo content into an empty embedded database.")
  static final class Serve implements Callable<Integer> {
    @CommandLine.Mixin Overrides overrides;

    Serve() {
      this(new Overrides());
    }

    Serve(Overrides overrides) {
      this.overrides = overrides;
    }

    @Override
    public Integer call() throws InterruptedException {
      Config config = overrides.config();
      Broadsheet app = Broadsheet.create(config);
      if (DemoContent.seedsOnServe(config, app.articles())) {
        DemoContent.Result seeded =
            DemoContent.seed(app.articles(), app.settings(), Clock.systemUTC());
        LOG.info(
            "First start: seeded demo content ({} articles in {} sections). Set BROADSHEET_DEMO_CONTENT=false to start empty.",
            seeded.articles(),
            seeded.sections());
      }
      try {
        app.start();
      } catch (RuntimeException e) {
        app.close();
        throw e;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    long began = System.nanoTime();
                    LOG.info(
                        "Stopping: no new requests; finishing the ones in progress and the work"
                            + " under way, handing back what another node can do");
                    app.close();
                    LOG.info("Stopped cleanly in {} ms", (System.nanoTime() - began) / 1_000_000);
                    stopped.countDown();
                  },
                  "shutdown"));
      LOG.info(
          "Broadsheet {} is serving {} (listening on {}:{}, database {})",
          Version.current(),
          config.get(BASE_URL),
          config.get(HOST),
          app.port(),
          config.embeddedDatabase() ? config.effectiveDatabaseUrl() : "PostgreSQL");
      stopped.await();
      return 0;
    }
  }

  @Command(name = "migrate", description = "Create or update the database schema, then exit.")
  static final class Migrate implements Callable<Integer> {
    @CommandLine.Mixin Overrides overrides;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (Broadsheet app = Broadsheet.create(overrides.config())) {
        spec.commandLine().getOut().println("The database schema is up to date.");
      }
      return 0;
    }
  }

  @Command(
      name = "demo",
      description = "Put the demo newspaper into an empty database (also PostgreSQL), then exit.")
  static final class Demo implements Callable<Integer> {
    @CommandLine.Mixin Overrides overrides;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (Broadsheet app = Broadsheet.create(overrides.config())) {
        PrintWriter out = spec.commandLine().getOut();
        if (!DemoContent.siteIsEmpty(app.articles())) {
          spec.commandLine()
              .getErr()
              .println(
                  "broadsheet: the database already has content; demo content only goes into an empty site.");
          return 1;
        }
        DemoContent.Result result =
            DemoContent.seed(app.articles(), app.settings(), Clock.systemUTC());
        out.printf(
            "Added %d articles, %d sections and %d authors.%n",
            result.articles(), result.sections(), result.authors());
        return 0;
      }
    }
  }

  @Command(
      name = "comments",
      description = "A commenter's personal data: export it as JSON, or erase it.",
      subcommands = {Comments.Export.class, Comments.Erase.class})
  static final class Comments {

    @Command(
        name = "export",
        description = "Print every comment stored for an email address, as JSON.")
    static final class Export implements Callable<Integer> {
      @CommandLine.Mixin Overrides overrides;

      @Option(names = "--email", required = true, description = "The commenter's email address.")
      String email;

      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      @Override
      public Integer call() throws Exception {
        try (Broadsheet app = Broadsheet.create(overrides.config())) {
          var mapper =
              new com.fasterxml.jackson.databind.ObjectMapper()
                  .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                  .disable(
                      com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                  .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);
          spec.commandLine()
              .getOut()
              .println(mapper.writeValueAsString(app.comments().exportByEmail(email)));
          return 0;
        }
      }
    }

    @Command(
        name = "erase",
        description = "Erase a commenter: delete unpublished comments, anonymise published ones.")
    static final class Erase implements Callable<Integer> {
      @CommandLine.Mixin Overrides overrides;

      @Option(names = "--email", required = true, description = "The commenter's email address.")
      String email;

      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      @Override
      public Integer call() {
        try (Broadsheet app = Broadsheet.create(overrides.config())) {
          int[] result = app.comments().eraseByEmail(email);
          spec.commandLine()
              .getOut()
              .printf(
                  "Deleted %d unpublished and anonymised %d published comments of %s.%n",
                  result[0], result[1], email);
          return 0;
        }
      }
    }
  }

  @Command(
      name = "bounce",
      description =
          "Record a bounce or complaint reported by the mail provider: hard bounces and complaints stop all mail to the address.")
  static final class Bounce implements Callable<Integer> {
    @CommandLine.Mixin Overrides overrides;

    @CommandLine.Parameters(paramLabel = "EMAIL", arity = "1..*", description = "The addresses.")
    List<String> emails;

    @Option(
        names = "--type",
        defaultValue = "hard",
        description = "hard (the default), soft or complaint.")
    String type;

    @Option(names = "--detail", defaultValue = "", description = "The provider's reason, kept.")
    String detail;

    @Option(names = "--lift", description = "Lift the suppression instead (the reader asked).")
    boolean lift;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (Broadsheet app = Broadsheet.create(overrides.config())) {
        var bounces = app.bounces();
        for (String email : emails) {
          if (lift) {
            out.printf(
                bounces.lift(email) ? "%s may be mailed again.%n" : "%s was not suppressed.%n",
                email);
            continue;
          }
          var outcome =
              bounces.record(
                  email, org.broadsheet.newsletter.Bounces.Kind.parse(type), null, detail);
          out.printf(
              "%s: %s recorded; %s%s.%n",
              outcome.email(),
              type,
              outcome.suppressed() ? "no more mail will go to it" : "not suppressed yet",
              outcome.knownSubscriber() ? "" : " (not a subscriber)");
        }
        return 0;
      } catch (org.broadsheet.support.ValidationException e) {
        spec.commandLine().getErr().println(String.join(" ", e.fieldErrors().values()));
        return 2;
      }
    }
  }

  @Command(
      name = "rotate-human-check-key",
      description =
          "Start signing human-check challenges with a new key; the old one verifies until its challenges expire.")
  static final class RotateKey implements Callable<Integer> {
    @CommandLine.Mixin Overrides overrides;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (Broadsheet app = Broadsheet.create(overrides.config())) {
        long id = app.humanCheckKeys().rotate().id();
        spec.commandLine()
            .getOut()
            .println(
                "Now signing with key " + id + ". Restart or wait for other nodes to pick it up.");
        return 0;
      }
    }
  }

  /** An article by id or slug, or a usage error naming it. */
  private static org.broadsheet.article.Article article(Broadsheet app, String idOrSlug) {
    var found =
        idOrSlug.matches("\\d{1,18}")
            ? app.articles().byId(Long.parseLong(idOrSlug))
            : app.articles().bySlug(idOrSlug);
    return found.orElseThrow(
        () ->
            new CommandLine.ParameterException(
                new CommandLine(new Cli()), "There is no article '" + idOrSlug + "'."));
  }

  @Command(
      name = "reindex",
      description = {
        "Rebuild the search index and every More Articles list from the database, with a progress bar.",
        "A running site keeps searching the old index and switches to the new one when it is ready."
      })
  static final class Reindex implements Callable<Integer> {
    @CommandLine.Mixin Overrides overrides;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Config config = overrides.config();
      var generations = new org.broadsheet.search.IndexGenerations(config.searchIndexDir());
      java.nio.file.Files.createDirectories(config.searchIndexDir());
      PrintWriter err = spec.commandLine().getErr();
      try (var lockFile =
              java.nio.channels.FileChannel.open(
                  config.searchIndexDir().resolve("reindex.lock"),
                  java.nio.file.StandardOpenOption.CREATE,
                  java.nio.file.StandardOpenOption.WRITE);
          var lock = lockFile.tryLock();
          Broadsheet app = Broadsheet.create(config)) {
        if (lock == null) {
          err.println("broadsheet: another reindex is running on this index folder; try later.");
          return 1;
        }
        long started = System.nanoTime();
        int count =
            org.broadsheet.search.Indexer.rebuildNextGeneration(
                generations,
                dir -> Broadsheet.openSearchIndex(config, dir),
                app.articles(),
                app.related(),
                app.changes(),
                new BarProgress(err));
        spec.commandLine()
            .getOut()
            .printf(
                "Indexed %d articles in %.1f s into %s; a running site switches to it within"
                    + " seconds.%n",
                count, (System.nanoTime() - started) / 1e9, generations.dir(generations.current()));
        return 0;
      }
    }
  }

  /** A progress bar on the terminal, or a progress line every few seconds in a log. */
  private static final class BarProgress implements org.broadsheet.search.Indexer.Progress {
    private final PrintWriter err;
    private me.tongfei.progressbar.ProgressBar bar;

    BarProgress(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void begin(String phase, long total) {
      boolean terminal = System.console() != null;
      bar =
          new me.tongfei.progressbar.ProgressBarBuilder()
              .setTaskName(phase)
              .setInitialMax(total)
              .setStyle(me.tongfei.progressbar.ProgressBarStyle.ASCII)
              .setUpdateIntervalMillis(terminal ? 200 : 2000)
              .showSpeed()
              .setConsumer(
                  terminal
                      ? new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)
                      : new me.tongfei.progressbar.DelegatingProgressBarConsumer(err::println))
              .build();
    }

    @Override
    public void step() {
      bar.step();
    }

    @Override
    public void end() {
      bar.close();
    }
  }

  @Command(
      name = "backup",
      description = {
        "Write a consistent copy of the embedded SQLite database to FILE while the site keeps serving.",
        "Copy the data folder's media/ folder alongside it to keep uploaded images too."
      })
  static final class Backup implements Callable<Integer> {
    @CommandLine.Mixin Overrides overrides;

    @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "A new file to write.")
    java.nio.file.Path target;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (Broadsheet app = Broadsheet.create(overrides.config())) {
        long started = System.nanoTime();
        try {
          app.database().backupTo(target);
        } catch (IllegalArgumentException | IllegalStateException e) {
          spec.commandLine().getErr().println("broadsheet: " + e.getMessage());
          return 1;
        }
        spec.commandLine()
            .getOut()
            .printf(
                "Backed up to %s (%,d bytes) in %.1f s.%n",
                target, target.toFile().length(), (System.nanoTime() - started) / 1e9);
        return 0;
      }
    }
  }

  @Command(
      name = "doctor",
      description = {
        "Check this installation as it runs: public address and port, reverse proxy, mail server and DNS",
        "records, disk space, picture handling, database schema, search index and backups. Exits 1",
        "when a check fails."
      })
  static final class DoctorCommand implements Callable<Integer> {
    @CommandLine.Mixin Overrides overrides;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      var findings = org.broadsheet.app.Doctor.run(overrides.config());
      var out = spec.commandLine().getOut();
      boolean failed = false;
      for (var f : findings) {
        out.printf(
            "%-5s %-14s %s%n",
            f.level(), f.check(), f.message().replace("\n", "\n" + " ".repeat(21)));
        failed |= f.level() == org.broadsheet.app.Doctor.Level.FAIL;
      }
      out.println(
          failed ? "Some checks failed: see above for what to change." : "No check failed.");
      return failed ? 1 : 0;
    }
  }

  @Command(
      name = "restore",
      description = {
        "Put a backup (a file from the backup folder or the backup command) back as the embedded database.",
        "Stop the server first. The database it replaces is kept under backups/before-restore-N.db;",
        "images in the backup's media/ folder that are missing here are copied back."
      })
  static final class Restore implements Callable<Integer> {
    @CommandLine.Mixin Overrides overrides;

    @CommandLine.Parameters(
        index = "0",
        paramLabel = "FILE",
        description = "The backup to restore.")
    java.nio.file.Path source;

    @CommandLine.Option(
        names = "--dry-run",
        description = "Check the backup and say what would happen; change nothing.")
    boolean dryRun;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      Config config = overrides.config();
      var out = spec.commandLine().getOut();
      var err = spec.commandLine().getErr();
      if (!config.embeddedDatabase()) {
        err.println(
            "broadsheet: restore is for the embedded database; on PostgreSQL restore the pg_dump"
                + " file with pg_restore.");
        return 1;
      }
      org.broadsheet.storage.Database.CopyCheck check =
          org.broadsheet.storage.Database.checkCopy(source);
      if (!check.whole()) {
        err.println("broadsheet: " + source + " cannot be restored: " + check.problem() + ".");
        return 1;
      }
      java.nio.file.Path db =
          java.nio.file.Path.of(config.effectiveDatabaseUrl().substring("jdbc:sqlite:".length()));
      java.nio.file.Path media = source.toAbsolutePath().getParent().resolve("media");
      out.printf(
          "%s is whole: schema V%s, %d articles.%n",
          source, check.schemaVersion(), check.articles());
      if (dryRun) {
        out.printf(
            "Would replace %s (kept under %s) and copy missing images from %s to %s.%n",
            db, db.toAbsolutePath().getParent().resolve("backups"), media, config.mediaDir());
        return 0;
      }
      if (serving(config)) {
        err.printf(
            "broadsheet: a server answers on %s:%d; stop it first, then restore.%n",
            config.get(HOST), config.get(PORT));
        return 1;
      }
      java.nio.file.Path kept = null;
      if (java.nio.file.Files.exists(db)) {
        java.nio.file.Path folder = db.toAbsolutePath().getParent().resolve("backups");
        java.nio.file.Files.createDirectories(folder);
        kept = folder.resolve("before-restore.db");
        for (int n = 2; java.nio.file.Files.exists(kept); n++) {
          kept = folder.resolve("before-restore-" + n + ".db");
        }
        java.nio.file.Files.move(db, kept);
        for (String suffix : new String[] {"-wal", "-shm"}) {
          java.nio.file.Path side = db.resolveSibling(db.getFileName() + suffix);
          if (java.nio.file.Files.exists(side)) {
            java.nio.file.Files.move(side, kept.resolveSibling(kept.getFileName() + suffix));
          }
        }
      }
      java.nio.file.Files.createDirectories(db.toAbsolutePath().getParent());
      java.nio.file.Files.copy(source, db);
      int images = 0;
      if (java.nio.file.Files.isDirectory(media)) {
        try (var files = java.nio.file.Files.walk(media)) {
          for (java.nio.file.Path f :
              (Iterable<java.nio.file.Path>)
                  files.filter(java.nio.file.Files::isRegularFile)::iterator) {
            java.nio.file.Path target = config.mediaDir().resolve(media.relativize(f).toString());
            if (!java.nio.file.Files.exists(target)) {
              java.nio.file.Files.createDirectories(target.getParent());
              java.nio.file.Files.copy(f, target);
              images++;
            }
          }
        }
      }
      out.printf(
          "Restored %s to %s%s; %d images copied back. Start the server.%n",
          source, db, kept == null ? "" : " (the one it replaced is " + kept + ")", images);
      return 0;
    }

    private static boolean serving(Config config) {
      try (java.net.Socket socket = new java.net.Socket()) {
        String host = config.get(HOST).equals("0.0.0.0") ? "127.0.0.1" : config.get(HOST);
        socket.connect(new java.net.InetSocketAddress(host, config.get(PORT)), 500);
        return true;
      } catch (java.io.IOException e) {
        return false;
      }
    }
  }

  @Command(
      name = "export",
      description = {
        "Write the whole site (articles, people, comments, settings, media) to one zip file.",
        "Password hashes stay out unless --with-password-hashes is given."
      })
  static final class Export implements Callable<Integer> {
    @CommandLine.Mixin Overrides overrides;

    @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "A new .zip file.")
    java.nio.file.Path target;

    @Option(names = "--with-password-hashes", description = "Keep members' password hashes.")
    boolean withHashes;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Config config = overrides.config();
      try (Broadsheet app = Broadsheet.create(config)) {
        var counts =
            org.broadsheet.importer.Archive.export(
                app.database(), config.mediaDir(), target, withHashes);
        spec.commandLine()
            .getOut()
            .printf(
                "Exported %s and %d media files to %s.%n",
                counts.rows(), counts.mediaFiles(), target);
        return 0;
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("broadsheet: " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(
      name = "import",
      description = {
        "Restore a zip written by 'broadsheet export' into an empty site (SQLite or PostgreSQL).",
        "This is how a site moves from SQLite to PostgreSQL. Start the site afterwards: search is rebuilt."
      })
  static final class Import implements Callable<Integer> {
    @CommandLine.Mixin Overrides overrides;

    @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "The .zip to restore.")
    java.nio.file.Path source;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Config config = overrides.config();
      try (Broadsheet app = Broadsheet.create(config)) {
        var counts =
            org.broadsheet.importer.Archive.importInto(app.database(), config.mediaDir(), source);
        spec.commandLine()
            .getOut()
            .printf("Imported %s and %d media files.%n", counts.rows(), counts.mediaFiles());
        return 0;
      } catch (IllegalArgumentException | IllegalStateException e) {
        spec.commandLine()
            .getErr()
            .println("broadsheet: " + e.getMessage() + " Nothing was imported.");
        return 1;
      } catch (java.io.UncheckedIOException e) {
        spec.commandLine()
            .getErr()
            .println(
                "broadsheet: "
                    + e.getMessage()
                    + " ("
                    + e.getCause().getMessage()
                    + "). Nothing was imported.");
        return 1;
      }
    }
  }

  @Command(
      name = "import-wxr",
      description = {
        "Import a WordPress export (WXR): posts and pages, categories, tags, authors, comments with",
        "their threads, images from the uploads folder (--media), and redirects from the old",
        "addresses. Run it again safely: what was imported is skipped. --dry-run only reports."
      })
  static final class ImportWxr implements Callable<Integer> {
    @CommandLine.Mixin Overrides overrides;

    @CommandLine.Parameters(index = "0", paramLabel = "FILE", description = "The .xml export.")
    java.nio.file.Path file;

    @Option(names = "--media", paramLabel = "DIR", description = "The wp-content/uploads folder.")
    java.nio.file.Path media;

    @Option(names = "--dry-run", description = "Report what would be created and skipped, and why.")
    boolean dryRun;

    @Option(
        names = "--max-mb",
        defaultValue = "512",
        description = "Largest file accepted (default ${DEFAULT-VALUE} MB).")
    long maxMb;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Config config = overrides.config();
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (media != null && !java.nio.file.Files.isDirectory(media)) {
        err.println("broadsheet: --media " + media + " is not a folder.");
        return 2;
      }
      try (Broadsheet app = Broadsheet.create(config)) {
        var importer = app.wxrImporter().withLimit(maxMb * 1024 * 1024);
        BarProgress bar = new BarProgress(err);
        bar.begin(dryRun ? "Checking" : "Importing", -1);
        org.broadsheet.importer.WxrImporter.Report report;
        try {
          report = importer.run(file, media, dryRun, title -> bar.step());
        } finally {
          bar.end();
        }
        out.println(report.summary());
        report.skipped().forEach(s -> out.println("  skipped: " + s));
        if (!dryRun) {
          out.println(
              "Start the site (or run 'broadsheet reindex') to index the imported articles.");
        }
        return 0;
      } catch (org.broadsheet.importer.WxrReader.WxrException e) {
        err.println("broadsheet: " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(
      name = "create-user",
      description = {
        "Add a newsroom member. The password is read from the terminal, or from standard input",
        "when there is no terminal (so it never appears in the process list or shell history)."
      })
  static final class CreateUser implements Callable<Integer> {
    @CommandLine.Mixin Overrides overrides;

    @Option(names = "--email", required = true, description = "Their sign-in address.")
    String email;

    @Option(names = "--name", required = true, description = "Their name as shown in the newsroom.")
    String name;

    @Option(
        names = "--role",
        defaultValue = "author",
        description = "admin, editor, author or contributor (default: ${DEFAULT-VALUE}).")
    String role;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      var parsed = org.broadsheet.account.Role.parse(role);
      if (parsed == null) {
        spec.commandLine()
            .getErr()
            .println("broadsheet: --role must be admin, editor, author or contributor.");
        return 2;
      }
      String password;
      java.io.Console console = System.console();
      if (console != null && System.getenv("BROADSHEET_PASSWORD_STDIN") == null) {
        char[] typed = console.readPassword("Password for %s (at least 12 characters): ", email);
        password = typed == null ? "" : new String(typed);
      } else {
        password =
            new java.io.BufferedReader(
                    new java.io.InputStreamReader(
                        System.in, java.nio.charset.StandardCharsets.UTF_8))
                .readLine();
      }
      Config config = overrides.config();
      try (Broadsheet app = Broadsheet.create(config)) {
        try {
          var user =
              app.newsroom()
                  .addMember(
                      email,
                      name,
                      password == null ? "" : password,
                      parsed,
                      org.broadsheet.account.Actor.system("command line"));
          spec.commandLine()
              .getOut()
              .printf("Added %s (%s) as %s.%n", user.name(), user.email(), parsed.label());
          return 0;
        } catch (org.broadsheet.support.ValidationException e) {
          e.fieldErrors()
              .values()
              .forEach(m -> spec.commandLine().getErr().println("broadsheet: " + m));
          return 1;
        }
      }
    }
  }

  @Command(
      name = "related",
      description = {
        "Show an article's story so far and More Articles, or pin or exclude an article there.",
        "ARTICLE and OTHER are ids or slugs."
      })
  static final class Related implements Callable<Integer> {
    @CommandLine.Mixin Overrides overrides;

    @CommandLine.Parameters(index = "0", paramLabel = "ARTICLE")
    String article;

    @CommandLine.ArgGroup(exclusive = true)
    Decision decision;

    static final class Decision {
      @Option(
          names = "--pin",
          paramLabel = "OTHER",
          description = "Show OTHER first in More Articles.")
      String pin;

      @Option(
          names = "--exclude",
          paramLabel = "OTHER",
          description = "Never show OTHER in its lists.")
      String exclude;

      @Option(names = "--reset", paramLabel = "OTHER", description = "Forget a pin or exclusion.")
      String reset;
    }

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      try (Broadsheet app = Broadsheet.create(overrides.config())) {
        var a = article(app, article);
        PrintWriter out = spec.commandLine().getOut();
        if (decision != null) {
          String other =
              decision.pin != null
                  ? decision.pin
                  : decision.exclude != null ? decision.exclude : decision.reset;
          var action =
              decision.pin != null
                  ? org.broadsheet.article.RelatedChoices.Action.PIN
                  : decision.exclude != null
                      ? org.broadsheet.article.RelatedChoices.Action.EXCLUDE
                      : null;
          var o = article(app, other);
          app.related()
              .decide(a.id(), o.id(), action, org.broadsheet.account.Actor.system("command line"));
          out.printf(
              "%s \"%s\" for \"%s\".%n",
              action == null
                  ? "Reset"
                  : action == org.broadsheet.article.RelatedChoices.Action.PIN
                      ? "Pinned"
                      : "Excluded",
              o.headline(),
              a.headline());
        }
        var page = app.articles().publishedWithMore(a.slug()).orElse(null);
        if (page == null) {
          out.println("Not published: readers see no lists for it.");
          return 0;
        }
        out.println("The story so far:");
        page.story()
            .forEach(s -> out.printf("  %s  %d  %s%n", s.publishedAt(), s.id(), s.headline()));
        out.println("More Articles:");
        page.more().forEach(m -> out.printf("  %d  %s%n", m.id(), m.headline()));
        for (var o : app.related().choices(a.id())) {
          out.printf(
              "  %s: %d%n", o.action().name().toLowerCase(java.util.Locale.ROOT), o.otherId());
        }
        return 0;
      }
    }
  }

  @Command(name = "version", description = "Print the version.")
  static final class VersionCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println("broadsheet " + Version.current());
      return 0;
    }
  }

  /** The version from the jar manifest ("development" when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    static String current() {
      String version = Cli.class.getPackage().getImplementationVersion();
      return version == null ? "development" : version;
    }

    @Override
    public String[] getVersion() {
      return new String[] {"broadsheet " + current()};
    }
  }
}
