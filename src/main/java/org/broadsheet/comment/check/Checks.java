package org.broadsheet.comment.check;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.broadsheet.comment.CommentText;
import org.broadsheet.config.CommentPolicy;
import org.broadsheet.support.IpAddresses;

/** The standard rules, each a small {@link CommentCheck}. */
public final class Checks {

  private Checks() {}

  /** A hidden field people never see; bots fill every field. */
  public static CommentCheck honeypot() {
    return (c, v) -> {
      if (c.honeypot() != null && !c.honeypot().isBlank()) {
        v.add(Verdict.SPAM, "the hidden honeypot field was filled in");
      }
    };
  }

  /** People take a few seconds to write; a form sent faster is probably automated. */
  public static CommentCheck minimumFillTime(Duration minimum) {
    return (c, v) -> {
      if (c.startedAt() != null && !minimum.isZero()) {
        Duration took = Duration.between(c.startedAt(), c.receivedAt());
        if (took.compareTo(minimum) < 0) {
          v.add(
              60,
              "sent "
                  + Math.max(0, took.toMillis()) / 1000.0
                  + " s after the form was started (minimum "
                  + minimum.toSeconds()
                  + " s)");
        }
      }
    };
  }

  public static CommentCheck linkCount(int maxLinks) {
    return (c, v) -> {
      int links = CommentText.countLinks(c.body());
      if (links > maxLinks) {
        v.hold(links + " links (more than " + maxLinks + ")");
      }
    };
  }

  /** The site's moderation policy: hold everything, a commenter's first comment, or nothing. */
  public static CommentCheck policy(CommentPolicy policy) {
    return (c, v) -> {
      switch (policy) {
        case HOLD_ALL -> v.hold("policy: every comment is held for moderation");
        case FIRST_TIME -> {
          if (!c.hasApprovedBefore()) {
            v.hold(
                "policy: first comment from this commenter (or from a browser that has not shown"
                    + " it wrote their approved ones)");
          }
        }
        case NONE -> {}
      }
    };
  }

  /** The human check could not decide (no JavaScript, provider down): a person decides instead. */
  public static CommentCheck humanCheckHeld() {
    return (c, v) -> {
      if (c.humanCheckHeld() != null) {
        v.hold("human check not completed: " + c.humanCheckHeld());
      }
    };
  }

  /** Blocklist entries, by kind. */
  public record Blocklist(
      List<String> words, List<String> emails, List<String> domains, List<String> ips) {
    public static final Blocklist EMPTY = new Blocklist(List.of(), List.of(), List.of(), List.of());
  }

  /**
   * Blocked words (whole words only: "ass" does not block "class"), addresses, domains (of the
   * email or website, including subdomains) and IP addresses or ranges.
   */
  public static CommentCheck blocklist(java.util.function.Supplier<Blocklist> entries) {
    return (c, v) -> {
      Blocklist list = entries.get();
      String text = String.join("\n", c.name(), c.email(), c.url(), c.body());
      for (String word : list.words()) {
        Pattern pattern =
            Pattern.compile(
                "(?<![\\p{L}\\p{N}])" + Pattern.quote(word) + "(?![\\p{L}\\p{N}])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        if (pattern.matcher(text).find()) {
          v.add(Verdict.SPAM, "blocked word \"" + word + "\"");
        }
      }
      String email = c.email().toLowerCase(Locale.ROOT);
      for (String blocked : list.emails()) {
        if (!email.isEmpty() && email.equals(blocked.toLowerCase(Locale.ROOT))) {
          v.add(Verdict.SPAM, "blocked email address " + blocked);
        }
      }
      String emailDomain = email.contains("@") ? email.substring(email.lastIndexOf('@') + 1) : "";
      String urlHost = host(c.url());
      for (String domain : list.domains()) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (matchesDomain(emailDomain, d)
            || matchesDomain(urlHost, d)
            || bodyLinksTo(c.body(), d)) {
          v.add(Verdict.SPAM, "blocked domain " + domain);
        }
      }
      Optional<java.net.InetAddress> address = IpAddresses.parse(c.ip());
      for (String ip : list.ips()) {
        Optional<IpAddresses.Range> range = IpAddresses.range(ip);
        if (address.isPresent() && range.isPresent() && range.get().contains(address.get())) {
          v.add(Verdict.SPAM, "blocked address range " + ip);
        }
      }
    };
  }

  private static boolean bodyLinksTo(String body, String domain) {
    var m = CommentText.linkPattern().matcher(body);
    while (m.find()) {
      if (matchesDomain(host(m.group()), domain)) {
        return true;
      }
    }
    return false;
  }

  static boolean matchesDomain(String host, String domain) {
    return !host.isEmpty() && (host.equals(domain) || host.endsWith("." + domain));
  }

  static String host(String url) {
    if (url == null || url.isEmpty()) {
      return "";
    }
    try {
      String host = java.net.URI.create(url.replace(" ", "%20")).getHost();
      return host == null ? "" : host.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
