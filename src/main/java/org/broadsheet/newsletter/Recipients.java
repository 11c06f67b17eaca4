package org.broadsheet.newsletter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * Who gets a mailing: confirmed subscribers whose address is not suppressed (hard bounce,
 * complaint), who chose at least one of the newsletters that carry it at the given cadence, and
 * whose section filter (if any) lets it through. Read in subscriber-id order, a batch at a time, so
 * a mailing can be resumed after the last subscriber it queued. Thread-safe.
 */
final class Recipients {

  /** A subscriber with the newsletters this mailing reaches them through, and their sections. */
  record Recipient(Subscriber subscriber, List<Newsletter> newsletters, Set<Long> sections) {

    /** The names of the newsletters, for the line that says why the mail came. */
    String newsletterNames() {
      return newsletters.stream().map(Newsletter::name).collect(Collectors.joining(", "));
    }

    boolean follows(long sectionId) {
      return sections.isEmpty() || sections.contains(sectionId);
    }
  }

  private final SubscriberStore store = new SubscriberStore();

  /**
   * The next batch after subscriber {@code after}.
   *
   * @param carriers the newsletters that carry the mailing (not archived)
   * @param cadence each, daily or weekly
   * @param sectionId only readers who follow this section, or null for no section condition
   * @param confirmedBy only readers confirmed by then (epoch millis)
   */
  List<Recipient> batch(
      Handle h,
      List<Newsletter> carriers,
      String cadence,
      Long sectionId,
      long confirmedBy,
      long after,
      int limit) {
    if (carriers.isEmpty()) {
      return List.of();
    }
    List<Long> ids = carriers.stream().map(Newsletter::id).toList();
    List<Subscriber> subscribers =
        store.recipients(h, ids, cadence, sectionId, confirmedBy, after, limit);
    if (subscribers.isEmpty()) {
      return List.of();
    }
    long first = subscribers.getFirst().id();
    long last = subscribers.getLast().id();
    Map<Long, List<Long>> chosen = new HashMap<>();
    store
        .chosenAmong(h, first, last, ids)
        .forEach(e -> chosen.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    Map<Long, Set<Long>> sections = new HashMap<>();
    store
        .followedSections(h, first, last)
        .forEach(
            e ->
                sections
                    .computeIfAbsent(e.getKey(), k -> new java.util.HashSet<>())
                    .add(e.getValue()));
    List<Recipient> out = new ArrayList<>(subscribers.size());
    for (Subscriber s : subscribers) {
      List<Newsletter> theirs =
          carriers.stream()
              .filter(n -> chosen.getOrDefault(s.id(), List.of()).contains(n.id()))
              .filter(n -> n.cadenceFor(s.frequency()).equals(cadence))
              .toList();
      out.add(new Recipient(s, theirs, sections.getOrDefault(s.id(), Set.of())));
    }
    return out;
  }

  /** The open newsletters that carry an article with these tags. */
  static List<Newsletter> carriersOf(List<Newsletter> open, java.util.Collection<String> tagSlugs) {
    return open.stream()
        .filter(n -> n.tagSlug() == null || tagSlugs.contains(n.tagSlug()))
        .toList();
  }
}
