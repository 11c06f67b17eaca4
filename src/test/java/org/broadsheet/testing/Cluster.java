package org.broadsheet.testing;

import static org.broadsheet.config.Settings.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N Broadsheet nodes, each a separate JVM ({@link ClusterNode}) with its own data and search-index
 * folders, on one PostgreSQL schema, as an operator would run them behind a load balancer. Tests
 * read each node over HTTP and write through each node's own services ({@link Node#call}). Each
 * node's log is kept in its data folder and counted for errors. Close it to stop every node and
 * delete their folders (the database belongs to the caller).
 */
public final class Cluster implements AutoCloseable {

  private final List<Node> nodes = new ArrayList<>();

  private Cluster() {}

  /** Starts {@code count} nodes on the database with the given settings on top of the defaults. */
  public static Cluster start(
      int count, Backend.TestDatabase database, Map<String, String> settings) {
    Cluster cluster = new Cluster();
    try {
      List<CompletableFuture<Node>> starting = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i + 1;
        starting.add(CompletableFuture.supplyAsync(() -> Node.start(n, database, settings)));
      }
      for (CompletableFuture<Node> s : starting) {
        cluster.nodes.add(s.join());
      }
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** A word the search finds only where it was put: letters only, made from a number. */
  public static String word(int n) {
    StringBuilder w = new StringBuilder("zq");
    do {
      w.append((char) ('a' + n % 26));
      n /= 26;
    } while (n > 0);
    return w.append("x").toString();
  }

  public Node node(int index) {
    return nodes.get(index);
  }

  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  @Override
  public void close() {
    nodes.forEach(Node::close);
  }

  /** One node: its process, port, command channel and log. */
  public static final class Node implements AutoCloseable {
    private final int number;
    private final Process process;
    private final Path dataDir;
    private final Writer commands;
    private final Map<Long, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final CompletableFuture<Integer> ready = new CompletableFuture<>();
    private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private int port;

    private Node(int number, Process process, Path dataDir) {
      this.number = number;
      this.process = process;
      this.dataDir = dataDir;
      this.commands =
          new PrintWriter(
              new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
      Thread.ofPlatform().daemon().name("node-" + number + "-out").start(this::read);
    }

    static Node start(int number, Backend.TestDatabase database, Map<String, String> settings) {
      Path dataDir = Backend.tempDir("broadsheet-node" + number + "-");
      Map<String, String> config = new java.util.LinkedHashMap<>();
      config.put("BROADSHEET_DATA_DIR", dataDir.toString());
      config.put("BROADSHEET_SEARCH_INDEX_DIR", dataDir.resolve("index").toString());
      config.put("BROADSHEET_PORT", "0");
      config.put("BROADSHEET_DEMO_CONTENT", "false");
      config.put("BROADSHEET_DATABASE_POOL_SIZE", "6");
      config.put("BROADSHEET_DATABASE_URL", database.config().get(DATABASE_URL));
      config.put("BROADSHEET_DATABASE_USER", database.config().get(DATABASE_USER));
      config.putAll(settings);
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  "-cp",
                  System.getProperty("java.class.path"),
                  ClusterNode.class.getName()));
      config.forEach((k, v) -> command.add(k + "=" + v));
      Process process;
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Node node = new Node(number, process, dataDir);
      try {
        node.port = node.ready.get(90, TimeUnit.SECONDS);
      } catch (Exception e) {
        node.close();
        throw new IllegalStateException(
            "Node " + number + " did not start: " + String.join("\n", node.log), e);
      }
      return node;
    }

    private void read() {
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (!line.startsWith("@@ ")) {
            log.add(line);
            continue;
          }
          String[] parts = line.substring(3).split(" ", 3);
          switch (parts[0]) {
            case "READY" -> ready.complete(Integer.parseInt(parts[1]));
            case "OK", "ERR" -> {
              CompletableFuture<String> f = waiting.remove(Long.parseLong(parts[1]));
              String rest = parts.length > 2 ? parts[2] : "";
              if (f != null) {
                if (parts[0].equals("OK")) {
                  f.complete(rest);
                } else {
                  f.completeExceptionally(
                      new IllegalStateException("node " + number + ": " + rest));
                }
              }
            }
            default -> log.add(line);
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      ready.completeExceptionally(new IllegalStateException("node " + number + " ended"));
      waiting
          .values()
          .forEach(f -> f.completeExceptionally(new IllegalStateException("node ended")));
    }

    /** Runs a command on the node without waiting for it. */
    public synchronized CompletableFuture<String> send(String command) {
      long seq = sequence.incrementAndGet();
      CompletableFuture<String> result = new CompletableFuture<>();
      waiting.put(seq, result);
      try {
        commands.write(seq + " " + command + "\n");
        commands.flush();
      } catch (IOException e) {
        waiting.remove(seq);
        result.completeExceptionally(e);
      }
      return result;
    }

    /** Runs a command on the node and returns its answer. */
    public String call(String command) {
      try {
        return send(command).get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
      } catch (Exception e) {
        throw new IllegalStateException("node " + number + ": " + command + ": " + e, e);
      }
    }

    public int port() {
      return port;
    }

    public String url(String path) {
      return "http://127.0.0.1:" + port + path;
    }

    public HttpResponse<String> get(String path) {
      return send(HttpRequest.newBuilder(URI.create(url(path))).GET().build());
    }

    public HttpResponse<String> postForm(String path, Map<String, String> form) {
      StringBuilder body = new StringBuilder();
      form.forEach(
          (k, v) ->
              body.append(body.isEmpty() ? "" : "&")
                  .append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8))
                  .append('=')
                  .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
      return send(
          HttpRequest.newBuilder(URI.create(url(path)))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .header("Origin", url(""))
              .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
              .build());
    }

    private HttpResponse<String> send(HttpRequest request) {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** The node's log lines so far that contain {@code text}. */
    public List<String> logLines(String text) {
      synchronized (log) {
        return log.stream().filter(l -> l.contains(text)).toList();
      }
    }

    /** The node's log from the first line that contains {@code text}, {@code lines} lines long. */
    public String logFrom(String text, int lines) {
      synchronized (log) {
        for (int i = 0; i < log.size(); i++) {
          if (log.get(i).contains(text)) {
            return String.join("\n", log.subList(i, Math.min(log.size(), i + lines)));
          }
        }
        return "";
      }
    }

    /** SIGKILL: the node dies at once, as on a power cut, with no chance to finish anything. */
    public void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Stops the node cleanly (it finishes its work), or kills it after 30 s. */
    @Override
    public void close() {
      if (process.isAlive()) {
        try {
          commands.close();
          if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          }
        } catch (IOException e) {
          process.destroyForcibly();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          process.destroyForcibly();
        }
      }
      try {
        Files.writeString(
            Path.of(System.getProperty("java.io.tmpdir"), "broadsheet-node" + number + ".log"),
            String.join("\n", log));
      } catch (IOException e) {
        // a copy for debugging only
      }
      Backend.deleteTree(dataDir);
    }
  }
}
