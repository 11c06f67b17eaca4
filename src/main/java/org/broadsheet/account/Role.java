package org.broadsheet.account;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a newsroom member may do. Admins do everything; editors run the content (all articles,
 * comments, newsletters); authors write and publish their own articles; contributors write their
 * own drafts and send them for review.
 */
public enum Role {
  ADMIN(EnumSet.allOf(Permission.class)),
  EDITOR(
      EnumSet.of(
          Permission.SIGNED_IN,
          Permission.WRITE_OWN,
          Permission.PUBLISH,
          Permission.EDIT_ALL,
          Permission.MODERATE,
          Permission.NEWSLETTERS,
          Permission.TAXONOMY,
          Permission.MEDIA)),
  AUTHOR(
      EnumSet.of(Permission.SIGNED_IN, Permission.WRITE_OWN, Permission.PUBLISH, Permission.MEDIA)),
  CONTRIBUTOR(EnumSet.of(Permission.SIGNED_IN, Permission.WRITE_OWN, Permission.MEDIA));

  /** One kind of action in the newsroom; every admin route names the one it needs. */
  public enum Permission implements io.javalin.security.RouteRole {
    /** Any signed-in member: the dashboard, one's own account. */
    SIGNED_IN,
    /** Write and edit one's own articles (drafts; contributors send them for review). */
    WRITE_OWN,
    /** Publish, schedule and unpublish (one's own, or all with {@link #EDIT_ALL}). */
    PUBLISH,
    /** Edit every article, whoever wrote it. */
    EDIT_ALL,
    /** Moderate comments and edit blocklists. */
    MODERATE,
    /** Newsletters and subscribers. */
    NEWSLETTERS,
    /** Sections, tags and author profiles. */
    TAXONOMY,
    /** Upload images to the media library. */
    MEDIA,
    /** Invite people, change roles, deactivate. */
    USERS,
    /** Site settings and the audit log. */
    SETTINGS
  }

  private final Set<Permission> permissions;

  Role(Set<Permission> permissions) {
    this.permissions = permissions;
  }

  public boolean can(Permission permission) {
    return permissions.contains(permission);
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String label() {
    return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
  }

  /** The role with this id ({@code admin}, {@code editor}…), or null. */
  public static Role parse(String id) {
    for (Role role : values()) {
      if (role.id().equals(id)) {
        return role;
      }
    }
    return null;
  }
}
