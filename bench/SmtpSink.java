import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local SMTP sink for the newsletter benchmark: speaks enough SMTP (RFC 5321) for a client to
 * deliver, counts the messages accepted and throws them away. Listens on 127.0.0.1 only. Every
 * second it writes "count firstMillis lastMillis" to the status file.
 * Usage: java bench/SmtpSink.java PORT STATUS_FILE
 */
public class SmtpSink {

  static final AtomicLong count = new AtomicLong();
  static final AtomicLong first = new AtomicLong();
  static final AtomicLong last = new AtomicLong();
  static final AtomicLong connections = new AtomicLong();

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path status = Path.of(args[1]);
    Thread.ofPlatform().daemon().start(() -> {
      while (true) {
        try {
          Thread.sleep(500);
          Files.writeString(status, count.get() + " " + first.get() + " " + last.get() + " " + connections.get() + "\n");
        } catch (Exception e) {
          return;
        }
      }
    });
    try (ServerSocket server = new ServerSocket(port, 200, InetAddress.getLoopbackAddress());
        var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      while (true) {
        Socket socket = server.accept();
        connections.incrementAndGet();
        threads.submit(() -> session(socket));
      }
    }
  }

  static void session(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      var in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
      OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1024);
      reply(out, "220 sink.local ESMTP ready");
      StringBuilder line = new StringBuilder();
      int b;
      while ((b = in.read()) != -1) {
        if (b != '\n') {
          if (line.length() < 1000) {
            line.append((char) b);
          }
          continue;
        }
        String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toString().toUpperCase();
        line.setLength(0);
        switch (command) {
          case "EHLO" -> reply(out, "250-sink.local\r\n250 8BITMIME");
          case "HELO", "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 OK");
          case "DATA" -> {
            reply(out, "354 End data with <CR><LF>.<CR><LF>");
            // Skip to the line that is a single dot: the bytes CR LF . CR LF (the 354 came after a
            // line end, so the window starts as if one had been seen).
            int window = ('\r' << 8) | '\n';
            int c;
            while ((c = in.read()) != -1) {
              window = ((window << 8) | c) & 0xFFFFFFFF;
              if ((window & 0xFFFFFF) == (('.' << 16) | ('\r' << 8) | '\n')
                  && previousWasLineEnd(window)) {
                break;
              }
            }
            long now = System.currentTimeMillis();
            first.compareAndSet(0, now);
            last.set(now);
            count.incrementAndGet();
            reply(out, "250 OK queued");
          }
          case "QUIT" -> {
            reply(out, "221 Bye");
            return;
          }
          default -> reply(out, "502 Command not implemented");
        }
      }
    } catch (Exception e) {
      // client went away
    }
  }

  /** The byte before ".\r\n" in the window was a line feed. */
  static boolean previousWasLineEnd(int window) {
    return ((window >>> 24) & 0xFF) == '\n';
  }

  static void reply(OutputStream out, String text) throws java.io.IOException {
    out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }
}
