package org.broadsheet.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;

/**
 * Renders the precompiled jte templates (built by Maven from {@code src/main/jte}) to UTF-8 bytes.
 * Templates escape every value by default. Thread-safe.
 */
public final class Templates {

  private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

  /** Renders the template with its single page-model parameter. */
  public byte[] render(String template, Object page) {
    Utf8ByteOutput output = new Utf8ByteOutput(16 * 1024);
    engine.render(template, page, output);
    return output.toByteArray();
  }

  /** Renders a template that takes several named parameters (a page fragment). */
  public String renderWith(String template, java.util.Map<String, Object> params) {
    gg.jte.output.StringOutput output = new gg.jte.output.StringOutput(8 * 1024);
    engine.render(template, params, output);
    return output.toString();
  }

  /** Renders to a string (mail bodies, which the mail library encodes itself). */
  public String renderString(String template, Object model) {
    gg.jte.output.StringOutput output = new gg.jte.output.StringOutput(8 * 1024);
    engine.render(template, model, output);
    return output.toString();
  }
}
