// The visual editor: the story's Markdown shown and edited as formatted text (Quill), and written
// back as Markdown (Turndown) on every change, so what is stored and sanitized stays the format the
// site renders. Switching is lossless or refused: a text the visual editor would change (a table,
// raw HTML) stays in Markdown, with a message saying so. Without this script, Markdown works alone.
(function () {
  const form = document.querySelector("form.editor");
  const body = form && form.querySelector("#field-body");
  if (!body || !window.Quill || !window.marked || !window.TurndownService) {
    return;
  }
  const switcher = form.querySelector(".editor-mode");
  const panes = form.querySelector(".md-panes");
  const mdToolbar = form.querySelector(".md-toolbar");
  const holder = form.querySelector("#visual-editor");
  const message = form.querySelector(".editor-mode-message");
  const modeKey = "broadsheet-editor-mode";

  // Pictures keep their alt text and caption (Markdown's title); a horizontal rule is a block.
  const Image = Quill.import("formats/image");
  class Picture extends Image {
    static formats(node) {
      const formats = super.formats(node);
      if (node.hasAttribute("title")) {
        formats.title = node.getAttribute("title");
      }
      return formats;
    }

    format(name, value) {
      if (name === "title") {
        if (value) {
          this.domNode.setAttribute("title", value);
        } else {
          this.domNode.removeAttribute("title");
        }
      } else {
        super.format(name, value);
      }
    }
  }
  Picture.blotName = "image";
  Picture.tagName = "IMG";
  Quill.register(Picture, true);
  // A pull quote: a quotation set large, stored as "> [!pull]" before the quoted lines.
  const Blockquote = Quill.import("formats/blockquote");
  class PullQuote extends Blockquote {}
  PullQuote.blotName = "pullquote";
  PullQuote.tagName = "BLOCKQUOTE";
  PullQuote.className = "pull-quote";
  Quill.register(PullQuote, true);
  const BlockEmbed = Quill.import("blots/block/embed");
  class Divider extends BlockEmbed {}
  Divider.blotName = "divider";
  Divider.tagName = "HR";
  Quill.register(Divider, true);

  const turndown = new TurndownService({
    headingStyle: "atx",
    bulletListMarker: "-",
    emDelimiter: "_",
    strongDelimiter: "**",
    hr: "---",
    codeBlockStyle: "fenced",
  });
  turndown.addRule("picture", {
    filter: "img",
    replacement: (content, node) => {
      const alt = (node.getAttribute("alt") || "").replace(/[\[\]\n]/g, " ").trim();
      const title = node.getAttribute("title");
      return "![" + alt + "](" + node.getAttribute("src") + (title ? ' "' + title.replace(/"/g, "'") + '"' : "") + ")";
    },
  });

  // List items as people write them ("- item", "1. item"), not Turndown's wider default.
  turndown.addRule("listItem", {
    filter: "li",
    replacement: (content, node, options) => {
      const parent = node.parentNode;
      let prefix = options.bulletListMarker + " ";
      if (parent.nodeName === "OL") {
        const start = Number(parent.getAttribute("start") || 1);
        prefix = start + Array.prototype.indexOf.call(parent.children, node) + ". ";
      }
      const text = content.replace(/^\n+/, "").replace(/\n+$/, "\n").replace(/\n/gm, "\n" + " ".repeat(prefix.length));
      return prefix + text + (node.nextSibling && !/\n$/.test(text) ? "\n" : "");
    },
  });

  turndown.addRule("pullQuote", {
    filter: (node) => node.nodeName === "BLOCKQUOTE" && node.classList.contains("pull-quote"),
    replacement: (content) =>
      "\n\n> [!pull]\n" + content.replace(/^\n+|\n+$/g, "").replace(/^/gm, "> ") + "\n\n",
  });

  function toMarkdown(html) {
    const markdown = turndown.turndown(html).replace(/\u00a0/g, " ").trim();
    return markdown ? markdown + "\n" : "";
  }

  // Markdown to HTML as the site renders it, pull quotes included.
  function toHtml(markdown) {
    const holder = document.createElement("template");
    holder.innerHTML = marked.parse(markdown || "", { gfm: true });
    holder.content.querySelectorAll("blockquote").forEach((quote) => {
      const first = quote.querySelector(":scope > p");
      const lead = first && first.firstChild;
      if (lead && lead.nodeType === Node.TEXT_NODE && lead.textContent.trimStart().startsWith("[!pull]")) {
        lead.textContent = lead.textContent.trimStart().slice("[!pull]".length).trimStart();
        if (!first.textContent.trim() && !first.children.length) {
          first.remove();
        }
        quote.classList.add("pull-quote");
      }
    });
    return holder.innerHTML;
  }

  // Two Markdown texts that render the same (spelling of emphasis or list markers aside).
  function sameStory(a, b) {
    const norm = (markdown) => toHtml(markdown).replace(/\u00a0/g, " ").replace(/\s+/g, " ").replace(/> </g, "><").trim();
    return norm(a) === norm(b);
  }

  let quill = null;
  let syncing = false;

  function create() {
    quill = new Quill(holder, {
      theme: "snow",
      formats: ["header", "bold", "italic", "link", "code", "blockquote", "pullquote", "list", "code-block", "image", "divider"],
      placeholder: "Write the story…",
      modules: {
        toolbar: [
          [{ header: 2 }, { header: 3 }],
          ["bold", "italic", "link"],
          [{ list: "bullet" }, { list: "ordered" }],
          ["blockquote", "pullquote", "divider"],
          ["image"],
          ["clean"],
        ],
        uploader: {
          // Dropped or pasted pictures go through the library (alt text required), never inline.
          handler: (range, files) => {
            if (files.length && window.BroadsheetEditor) {
              window.BroadsheetEditor.offerUpload(files[0]);
            }
          },
        },
        keyboard: {
          bindings: {
            link: {
              key: "k",
              shortKey: true,
              handler: () => {
                askLink();
                return false;
              },
            },
          },
        },
      },
    });
    const toolbar = quill.getModule("toolbar");
    toolbar.addHandler("image", () => form.querySelector("[data-pick=body]").click());
    toolbar.addHandler("divider", () => {
      const range = quill.getSelection(true);
      quill.insertEmbed(range.index, "divider", true, "user");
      quill.setSelection(range.index + 1, 0, "user");
    });
    toolbar.addHandler("link", () => askLink());
    toolbar.addHandler("pullquote", () => {
      const range = quill.getSelection(true);
      quill.format("pullquote", !quill.getFormat(range).pullquote, "user");
    });
    const names = {
      "ql-header[value='2']": "Subheading",
      "ql-header[value='3']": "Smaller subheading",
      "ql-bold": "Bold (Ctrl+B)",
      "ql-italic": "Italic (Ctrl+I)",
      "ql-link": "Link (Ctrl+K)",
      "ql-list[value='bullet']": "Bulleted list",
      "ql-list[value='ordered']": "Numbered list",
      "ql-blockquote": "Quote",
      "ql-divider": "Horizontal rule",
      "ql-pullquote": "Pull quote",
      "ql-image": "Picture from the media library",
      "ql-clean": "Remove formatting",
    };
    for (const [selector, label] of Object.entries(names)) {
      const button = holder.parentElement.querySelector("button." + selector.replace(/\[/, "["));
      if (button) {
        button.setAttribute("aria-label", label);
        button.title = label;
      }
    }
    const divider = holder.parentElement.querySelector("button.ql-divider");
    if (divider) {
      divider.textContent = "—";
    }
    const pull = holder.parentElement.querySelector("button.ql-pullquote");
    if (pull) {
      pull.textContent = "❝";
    }
    const editable = holder.querySelector(".ql-editor");
    editable.setAttribute("aria-labelledby", "body-label");
    editable.setAttribute("aria-multiline", "true");
    editable.setAttribute("role", "textbox");
    editable.classList.add("story-body");
    quill.on("text-change", () => {
      if (syncing) {
        return;
      }
      body.value = toMarkdown(quill.getSemanticHTML());
      body.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  // Ctrl+K and the link button: a small dialog for the address (http, https or mailto only).
  const linkDialog = form.querySelector("#link-dialog");
  const linkAddress = linkDialog.querySelector("#link-dialog-address");
  const linkError = linkDialog.querySelector(".link-dialog-error");
  let linkRange = null;
  function askLink() {
    linkRange = quill.getSelection(true);
    linkAddress.value = quill.getFormat(linkRange).link || "";
    linkError.textContent = "";
    linkDialog.showModal();
    linkAddress.focus();
  }
  function applyLink(address) {
    linkDialog.close();
    quill.setSelection(linkRange, "silent");
    if (!address) {
      quill.formatText(linkRange.index, linkRange.length, "link", false, "user");
    } else if (linkRange.length === 0) {
      quill.insertText(linkRange.index, address, { link: address }, "user");
      quill.setSelection(linkRange.index + address.length, 0, "user");
    } else {
      quill.formatText(linkRange.index, linkRange.length, "link", address, "user");
      quill.setSelection(linkRange.index + linkRange.length, 0, "user");
    }
    quill.focus();
  }
  linkDialog.querySelector("[data-link=apply]").addEventListener("click", () => {
    const address = linkAddress.value.trim();
    if (!/^(https?:\/\/|mailto:)\S+$/i.test(address)) {
      linkError.textContent = "Give a full address that starts with https:// (or mailto: for email).";
      linkAddress.focus();
      return;
    }
    applyLink(address);
  });
  linkDialog.querySelector("[data-link=remove]").addEventListener("click", () => applyLink(""));
  linkAddress.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      linkDialog.querySelector("[data-link=apply]").click();
    }
  });

  function show(visual) {
    holder.hidden = !visual;
    holder.previousElementSibling && holder.previousElementSibling.classList.contains("ql-toolbar")
      && (holder.previousElementSibling.hidden = !visual);
    panes.hidden = visual;
    mdToolbar.hidden = visual;
    form.querySelectorAll(".md-only").forEach((el) => { el.hidden = visual; });
    switcher.querySelectorAll("[data-mode]").forEach((button) => {
      button.setAttribute("aria-pressed", String((button.dataset.mode === "visual") === visual));
    });
  }

  // Visual editing of the current Markdown, if it survives the trip unchanged.
  function toVisual() {
    if (!quill) {
      create();
    }
    const markdown = body.value;
    syncing = true;
    quill.setContents(quill.clipboard.convert({ html: toHtml(markdown) }), "silent");
    syncing = false;
    if (markdown.trim() && !sameStory(markdown, toMarkdown(quill.getSemanticHTML()))) {
      message.textContent = "This text has something the visual editor cannot show as it is (a table or a piece of HTML), so it stays in Markdown and nothing changes.";
      show(false);
      return false;
    }
    message.textContent = "";
    show(true);
    localStorage.setItem(modeKey, "visual");
    return true;
  }

  function toMarkdownMode() {
    message.textContent = "";
    show(false);
    localStorage.setItem(modeKey, "markdown");
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  switcher.hidden = false;
  switcher.addEventListener("click", (event) => {
    const button = event.target.closest("[data-mode]");
    if (!button) {
      return;
    }
    if (button.dataset.mode === "visual") {
      if (toVisual()) {
        quill.focus();
      }
    } else {
      toMarkdownMode();
      body.focus();
    }
  });

  // A picture chosen or uploaded goes where the cursor is in the visual editor.
  window.BroadsheetVisual = {
    active: () => quill !== null && !holder.hidden,
    insertPicture: (url, alt, caption) => {
      const range = quill.getSelection(true);
      quill.insertEmbed(range.index, "image", url, "user");
      quill.formatText(range.index, 1, { alt: alt, title: caption || false }, "user");
      quill.insertText(range.index + 1, "\n", "user");
      quill.setSelection(range.index + 2, 0, "user");
    },
  };

  // Reporters who chose the visual editor get it again (the default for someone new).
  if (localStorage.getItem(modeKey) !== "markdown") {
    toVisual();
  }
})();
