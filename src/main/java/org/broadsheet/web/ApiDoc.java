package org.broadsheet.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a field of an API record means, for the OpenAPI document: a description, an example value
 * (as JSON text, or a plain string) and whether a client must send or can always expect it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE})
public @interface ApiDoc {
  String value();

  /** An example: JSON (a number, {@code true}, an array, a quoted string) or plain text. */
  String example() default "";

  /** Always present in answers; must be sent in requests. Primitive fields always are. */
  boolean required() default false;

  /** The allowed values of a text field, if it is a closed set. */
  String[] allowed() default {};
}
