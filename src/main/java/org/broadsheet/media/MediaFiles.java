package org.broadsheet.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media folder: generated file names, atomic writes (a temp file, flushed, then renamed), and
 * the lookup of a requested name, which finds only files with generated names. Thread-safe.
 */
final class MediaFiles {

  private static final Logger LOG = LoggerFactory.getLogger(MediaFiles.class);

  /**
   * Generated names: 32 hex digits, an optional width ({@code -800w}), {@code .jpg} or {@code
   * .png}.
   */
  static final Pattern NAME = Pattern.compile("[0-9a-f]{32}(?:-[1-9][0-9]{1,4}w)?\\.(?:jpg|png)");

  private final Path folder;
  private final SecureRandom random = new SecureRandom();

  MediaFiles(Path folder) {
    this.folder = folder.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.folder);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the media folder "
              + this.folder
              + ": "
              + e.getMessage()
              + ". Check that the data folder is writable.",
          e);
    }
  }

  Path folder() {
    return folder;
  }

  /** A new random name with the given extension ({@code jpg} or {@code png}). */
  String newName(String extension) {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return HexFormat.of().formatHex(id) + "." + extension;
  }

  /** Writes the file under its final name all at once: readers see the whole file or none. */
  void write(String name, byte[] content) throws IOException {
    Path target = resolve(name).orElseThrow(() -> new IllegalArgumentException(name));
    Path temp = Files.createTempFile(folder, ".upload-", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Deletes the file if it is there; a failure is logged, not thrown. */
  void deleteQuietly(String name) {
    Optional<Path> path = resolve(name);
    if (path.isEmpty()) {
      return;
    }
    try {
      Files.deleteIfExists(path.get());
    } catch (IOException e) {
      LOG.warn("Could not delete the media file {}: {}", path.get(), e.toString());
    }
  }

  /** The stored file with this exact generated name, if it exists as a regular file. */
  Optional<Path> existing(String requested) {
    return resolve(requested).filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS));
  }

  /** The path for a generated name; empty for anything else (folders, dots, other extensions). */
  private Optional<Path> resolve(String name) {
    if (name == null || name.length() > 64 || !NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    Path path = folder.resolve(name).normalize();
    return folder.equals(path.getParent()) ? Optional.of(path) : Optional.empty();
  }
}
