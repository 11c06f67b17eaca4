package org.broadsheet.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The search index folder: numbered generations ({@code gen-1}, {@code gen-2}, …) and a {@code
 * current} file naming the one in use. A rebuild writes the next generation beside the one serving,
 * then switches {@code current} atomically; running nodes notice and take it over.
 */
public final class IndexGenerations {

  private static final Pattern GENERATION = Pattern.compile("gen-(\\d{1,9})");

  private final Path root;

  public IndexGenerations(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** The generation in use: the one {@code current} names, or 1 for a new folder. */
  public int current() {
    Path pointer = root.resolve("current");
    try {
      if (!Files.exists(pointer)) {
        return 1;
      }
      Matcher m = GENERATION.matcher(Files.readString(pointer, StandardCharsets.UTF_8).strip());
      if (!m.matches()) {
        throw new IllegalStateException(
            pointer
                + " should name a generation such as gen-1; rebuild with 'broadsheet reindex'.");
      }
      return Integer.parseInt(m.group(1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path dir(int generation) {
    return root.resolve("gen-" + generation);
  }

  /** A number above every generation in the folder. */
  public int next() {
    OptionalInt highest;
    try (Stream<Path> entries = Files.list(root)) {
      highest =
          entries
              .map(p -> GENERATION.matcher(p.getFileName().toString()))
              .filter(Matcher::matches)
              .mapToInt(m -> Integer.parseInt(m.group(1)))
              .max();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Math.max(highest.orElse(0), current()) + 1;
  }

  /** Points {@code current} at the generation, atomically. */
  public void makeCurrent(int generation) {
    try {
      Path temp = root.resolve("current.tmp");
      Files.writeString(temp, "gen-" + generation + "\n", StandardCharsets.UTF_8);
      try (var channel =
          java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(
          temp,
          root.resolve("current"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes generations older than the given one (never the one in use or a newer one). */
  public void removeOlderThan(int generation) {
    try (Stream<Path> entries = Files.list(root)) {
      for (Path dir : entries.toList()) {
        Matcher m = GENERATION.matcher(dir.getFileName().toString());
        if (m.matches() && Integer.parseInt(m.group(1)) < generation) {
          deleteTree(dir);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes one generation's folder (an abandoned rebuild). */
  public void remove(int generation) {
    try {
      deleteTree(dir(generation));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
