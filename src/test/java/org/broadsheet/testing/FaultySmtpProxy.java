package org.broadsheet.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a real SMTP server (GreenMail) that can answer a recipient with a reply
 * of our choosing, as a provider would: {@code 451} (try later) a given number of times, or {@code
 * 550} (no such user) for good. Everything else passes through unchanged, so delivered messages
 * land in the real server. Counts the connections clients open, to check connection reuse; can hold
 * each message for a while, as a slow provider does.
 */
public final class FaultySmtpProxy implements AutoCloseable {

  private final ServerSocket server;
  private final int targetPort;
  private final Map<String, Deque<String>> replies = new ConcurrentHashMap<>();
  private final Map<String, String> always = new ConcurrentHashMap<>();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile long delayMillis;

  public FaultySmtpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("smtp-proxy").start(this::accept);
  }

  public int port() {
    return server.getLocalPort();
  }

  public int connections() {
    return connections.get();
  }

  /** Answers RCPT TO for the address with {@code reply} the next {@code times} times. */
  public void failNext(String address, int times, String reply) {
    Deque<String> queue =
        replies.computeIfAbsent(address.toLowerCase(Locale.ROOT), k -> new ArrayDeque<>());
    synchronized (queue) {
      for (int i = 0; i < times; i++) {
        queue.add(reply);
      }
    }
  }

  /** Holds each message's end for {@code delay} before the server sees it: a slow provider. */
  public void slowDown(java.time.Duration delay) {
    this.delayMillis = delay.toMillis();
  }

  /** Answers RCPT TO for the address with {@code reply} every time. */
  public void failAlways(String address, String reply) {
    always.put(address.toLowerCase(Locale.ROOT), reply);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        connections.incrementAndGet();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        Thread.ofPlatform().daemon().start(() -> pump(upstream, client));
        Thread.ofPlatform().daemon().start(() -> relay(client, upstream));
      } catch (IOException e) {
        return;
      }
    }
  }

  /** Server to client: unchanged. */
  private static void pump(Socket from, Socket to) {
    try (from;
        to) {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException e) {
      // one side closed
    }
  }

  /** Client to server, line by line, answering chosen RCPT TO commands itself. */
  private void relay(Socket client, Socket upstream) {
    try (client;
        upstream) {
      InputStream in = client.getInputStream();
      OutputStream server = upstream.getOutputStream();
      OutputStream back = client.getOutputStream();
      boolean inData = false;
      byte[] line;
      while ((line = readLine(in)) != null) {
        String text = new String(line, StandardCharsets.US_ASCII).strip();
        if (inData) {
          if (text.equals(".")) {
            inData = false;
            if (delayMillis > 0) {
              server.flush();
              sleep(delayMillis);
            }
          }
          server.write(line);
          continue;
        }
        String upper = text.toUpperCase(Locale.ROOT);
        if (upper.startsWith("RCPT TO:")) {
          String address =
              text.substring(8).replaceAll("[<>]", "").strip().toLowerCase(Locale.ROOT);
          String reply = replyFor(address);
          if (reply != null) {
            synchronized (back) {
              back.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
              back.flush();
            }
            continue;
          }
        }
        if (upper.equals("DATA")) {
          inData = true;
        }
        server.write(line);
        server.flush();
      }
    } catch (IOException e) {
      // one side closed
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String replyFor(String address) {
    String fixed = always.get(address);
    if (fixed != null) {
      return fixed;
    }
    Deque<String> queue = replies.get(address);
    if (queue == null) {
      return null;
    }
    synchronized (queue) {
      return queue.poll();
    }
  }

  private static byte[] readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      line.write(b);
      if (b == '\n') {
        return line.toByteArray();
      }
    }
    return line.size() == 0 ? null : line.toByteArray();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
