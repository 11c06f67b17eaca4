package org.broadsheet.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small reverse proxy for tests, on 127.0.0.1: passes each HTTP/1.1 request to the site as it
 * came (Host included) and appends the client's address to X-Forwarded-For, as nginx's {@code
 * proxy_add_x_forwarded_for} does. All test clients connect from 127.0.0.1, so a client may say
 * which address the proxy should see it as in an {@code X-Test-Client} header, which the proxy
 * removes. One request per connection. Close it to stop.
 */
public final class ForwardingProxy implements AutoCloseable {

  public static final String CLIENT_HEADER = "X-Test-Client";

  private final ServerSocket server;
  private final int upstreamPort;
  private final Thread acceptor;

  public ForwardingProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = Thread.ofVirtual().name("test-proxy").start(this::accept);
  }

  /** The proxy's address, as readers would use it. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getLocalPort() + path;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Thread.ofVirtual().start(() -> serve(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    try (client;
        Socket upstream = new Socket()) {
      InputStream in = client.getInputStream();
      byte[] head = readHead(in);
      if (head == null) {
        return;
      }
      List<String> lines =
          new ArrayList<>(List.of(new String(head, StandardCharsets.ISO_8859_1).split("\r\n")));
      String requestLine = lines.removeFirst();
      String seenAs = client.getInetAddress().getHostAddress();
      String forwardedFor = null;
      long length = 0;
      List<String> headers = new ArrayList<>();
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).strip();
        switch (name) {
          case "x-test-client" -> seenAs = value;
          case "x-forwarded-for" -> forwardedFor = value;
          case "connection", "keep-alive", "upgrade", "http2-settings", "te" -> {}
          default -> {
            if (name.equals("content-length")) {
              length = Long.parseLong(value);
            }
            headers.add(line);
          }
        }
      }
      headers.add(
          "X-Forwarded-For: " + (forwardedFor == null ? seenAs : forwardedFor + ", " + seenAs));
      headers.add("Connection: close");
      upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort));
      OutputStream out = upstream.getOutputStream();
      out.write(
          (requestLine + "\r\n" + String.join("\r\n", headers) + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.write(in.readNBytes((int) length));
      out.flush();
      upstream.getInputStream().transferTo(client.getOutputStream());
    } catch (IOException e) {
      // The client or the site went away: nothing to pass on.
    }
  }

  /** The request head up to the blank line, or null at end of stream. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    byte[] bytes = head.toByteArray();
    return java.util.Arrays.copyOf(bytes, bytes.length - 4);
  }

  @Override
  public void close() throws IOException {
    server.close();
    acceptor.interrupt();
  }
}
