// The newsroom's small helpers, all optional: the pages work without them.
// - Markdown toolbar and live preview (rendered by the server exactly as readers get it).
// - Drafts kept in this browser while typing, offered back if the page is reloaded or the session
//   ended before saving, so nothing typed is lost.
// - Buttons with data-confirm ask before a destructive action.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});

// - A file larger than its field allows (data-max-bytes) is refused before it is uploaded, with the
//   reason next to the field, instead of after minutes of uploading.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.maxBytes) {
    return;
  }
  const file = input.files && input.files[0];
  const tooLarge = file && file.size > Number(input.dataset.maxBytes);
  input.setCustomValidity(
    tooLarge
      ? "This file is " + Math.round(file.size / 1048576) + " MB; the most is " +
        Math.round(Number(input.dataset.maxBytes) / 1048576) + " MB. Make it smaller first."
      : "");
  if (tooLarge) {
    input.reportValidity();
  }
});

// On a phone the navigation folds behind a Menu button (without this script it stays open).
(function () {
  const nav = document.getElementById("admin-nav");
  if (!nav || !window.matchMedia("(max-width: 40rem)").matches) {
    return;
  }
  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "admin-menu-toggle";
  toggle.textContent = "Menu";
  toggle.setAttribute("aria-expanded", "false");
  toggle.setAttribute("aria-controls", "admin-nav");
  nav.hidden = true;
  toggle.addEventListener("click", () => {
    nav.hidden = !nav.hidden;
    toggle.setAttribute("aria-expanded", String(!nav.hidden));
  });
  nav.before(toggle);
})();

// Moderation: each comment's own buttons act in one request and the queue moves on to the next;
// keys j and k move between comments, a approves, s marks as spam, t trashes.
(function () {
  const queue = document.querySelector(".moderation");
  if (!queue) {
    return;
  }
  const csrf = document.querySelector("input[name=_csrf]").value;
  const live = document.createElement("p");
  live.className = "notice";
  live.setAttribute("role", "status");
  live.hidden = true;
  queue.before(live);
  queue.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-one]");
    if (!button) {
      return;
    }
    event.preventDefault();
    const item = button.closest(".moderation-item");
    button.disabled = true;
    try {
      const response = await fetch(button.formAction, {
        method: "POST",
        headers: { Accept: "application/json" },
        body: new URLSearchParams({ _csrf: csrf }),
      });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      const answer = await response.json();
      live.hidden = false;
      live.textContent = answer.message;
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      if (next) {
        next.focus();
      }
    } catch (e) {
      button.disabled = false;
      live.hidden = false;
      live.textContent = "That did not reach the server, so nothing changed. Try again.";
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest("input, textarea, select, [contenteditable]")) {
      return;
    }
    const items = [...queue.querySelectorAll(".moderation-item")];
    if (!items.length) {
      return;
    }
    const current = document.activeElement && document.activeElement.closest(".moderation-item");
    const index = current ? items.indexOf(current) : -1;
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      const to = Math.min(items.length - 1, Math.max(0, index + (event.key === "j" ? 1 : -1)));
      items[to].focus();
      return;
    }
    const action = { a: "approve", s: "spam", t: "trash" }[event.key];
    const button = action && current && current.querySelector('button[data-one="' + action + '"]');
    if (button) {
      event.preventDefault();
      button.click();
    }
  });
})();

// Tables become one card per row on a phone: each cell carries its column's name.
document.querySelectorAll("table.admin-table").forEach((table) => {
  const names = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  table.querySelectorAll("tbody tr").forEach((row) => {
    [...row.children].forEach((cell, i) => {
      if (names[i] && !cell.hasAttribute("data-label")) {
        cell.setAttribute("data-label", names[i]);
      }
    });
  });
});

(function () {
  const form = document.querySelector("form.editor");
  if (!form) {
    return;
  }
  const body = form.querySelector("#field-body");
  const preview = document.getElementById(body.dataset.preview);
  const csrf = form.querySelector("input[name=_csrf]").value;
  const status = form.querySelector(".autosave-status");
  const key = "broadsheet-draft-" + form.dataset.autosave;
  const toolbar = form.querySelector(".md-toolbar");
  toolbar.hidden = false;

  toolbar.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-md]");
    if (!button) {
      return;
    }
    const mark = button.dataset.md;
    const start = body.selectionStart;
    const end = body.selectionEnd;
    const selected = body.value.slice(start, end);
    let replacement;
    if (mark === "link") {
      replacement = "[" + (selected || "link text") + "](https://)";
    } else if (button.dataset.line) {
      replacement = (selected || "text").split("\n").map((l) => mark + l).join("\n");
    } else {
      replacement = mark + (selected || "text") + mark;
    }
    body.setRangeText(replacement, start, end, "select");
    body.focus();
    body.dispatchEvent(new Event("input"));
  });

  let timer = 0;
  async function refreshPreview() {
    const data = new URLSearchParams({ body: body.value, _csrf: csrf });
    try {
      const response = await fetch("/admin/api/markdown", { method: "POST", body: data });
      if (response.ok) {
        preview.innerHTML = await response.text(); // sanitised by the server
      }
    } catch (e) {
      // Offline: the preview waits; typing is unaffected.
    }
  }

  // Every field the editor has (bylines included), so any change can be offered back.
  function fields() {
    const values = {};
    for (const el of form.elements) {
      if (!el.name || el.name === "_csrf" || el.type === "submit" || el.type === "button") {
        continue;
      }
      if (el.type === "checkbox") {
        values[el.name + ":" + el.value] = el.checked ? "on" : "";
      } else {
        values[el.name] = el.value;
      }
    }
    return values;
  }

  function sameAsForm(values) {
    const now = fields();
    return Object.keys({ ...now, ...values }).every((name) => (now[name] || "") === (values[name] || ""));
  }

  function restoreFields(values) {
    for (const el of form.elements) {
      if (!el.name || el.name === "_csrf" || el.type === "submit" || el.type === "button") {
        continue;
      }
      if (el.type === "checkbox") {
        const value = values[el.name + ":" + el.value];
        if (value !== undefined) {
          el.checked = value === "on";
        }
      } else if (values[el.name] !== undefined) {
        el.value = values[el.name];
      }
    }
  }

  const saved = localStorage.getItem(key);
  if (saved) {
    try {
      const draft = JSON.parse(saved);
      if (draft.values && !sameAsForm(draft.values)) {
        const offer = document.createElement("p");
        offer.className = "notice";
        offer.textContent = "This browser kept text you typed here on " + new Date(draft.at).toLocaleString() + " that was not saved. ";
        const restore = document.createElement("button");
        restore.type = "button";
        restore.className = "secondary";
        restore.textContent = "Bring it back";
        restore.addEventListener("click", () => {
          restoreFields(draft.values);
          offer.remove();
          refreshPreview();
        });
        offer.append(restore);
        form.prepend(offer);
      }
    } catch (e) {
      localStorage.removeItem(key);
    }
  }

  form.addEventListener("input", () => {
    localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: fields() }));
    status.textContent = "Kept in this browser until you save.";
    clearTimeout(timer);
    timer = setTimeout(refreshPreview, 300);
  });
  // Drafts are also kept on the server every 20 seconds while someone types.
  let dirty = false;
  form.addEventListener("input", () => { dirty = true; });
  if (/^\d+$/.test(form.dataset.autosave)) {
    setInterval(async () => {
      if (!dirty) {
        return;
      }
      dirty = false;
      // Every field: a live story's changes are kept whole on the server.
      const data = new URLSearchParams(new FormData(form));
      data.delete("action");
      try {
        const response = await fetch("/admin/articles/" + form.dataset.autosave + "/autosave", { method: "POST", body: data });
        const answer = await response.json();
        status.textContent = answer.message + " " + new Date().toLocaleTimeString();
      } catch (e) {
        dirty = true; // try again next time; the browser copy is safe meanwhile
      }
    }, 20000);
  }
  form.addEventListener("submit", () => {
    // Cleared only once the server has the text: the next page load has no error summary.
    sessionStorage.setItem("broadsheet-submitted", key);
  });
  if (sessionStorage.getItem("broadsheet-submitted") && !document.querySelector(".error-summary")) {
    localStorage.removeItem(sessionStorage.getItem("broadsheet-submitted"));
    localStorage.removeItem(key);
    sessionStorage.removeItem("broadsheet-submitted");
  }
  refreshPreview();

  // Words and reading time, whichever way the body is edited.
  const stats = form.querySelector(".body-stats");
  function countWords() {
    const text = body.value
      .replace(/!\[[^\]]*\]\([^)]*\)/g, " ")
      .replace(/\]\([^)]*\)/g, " ")
      .replace(/[#>*_`\[\]|~-]/g, " ");
    const words = text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
    const minutes = Math.max(1, Math.round(words / 230));
    stats.textContent = words === 0 ? "" : words + (words === 1 ? " word" : " words") + " · about " + minutes + " min to read";
  }
  body.addEventListener("input", countWords);
  countWords();

  // Keyboard: Ctrl+S saves (a live story's changes are kept, not published); in the Markdown
  // text, Ctrl+B, Ctrl+I and Ctrl+K format the selection as the toolbar does.
  form.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) {
      return;
    }
    const key = event.key.toLowerCase();
    if (key === "s") {
      event.preventDefault();
      const save = form.querySelector("button[name=action][value=save]");
      if (save) {
        save.click();
      }
      return;
    }
    if (event.target === body) {
      const mark = { b: "**", i: "_", k: "link" }[key];
      if (mark) {
        event.preventDefault();
        toolbar.querySelector('button[data-md="' + mark + '"]').click();
      }
    }
  });

  // Tags: the site's tags are suggested for the one being typed after the last comma.
  const tagInput = form.querySelector("#field-tags");
  const known = document.getElementById(tagInput.dataset.tags);
  if (known) {
    const names = [...known.content.querySelectorAll("option")].map((o) => o.value);
    const list = document.getElementById("tag-suggestions");
    tagInput.addEventListener("input", () => {
      const parts = tagInput.value.split(",");
      const typed = parts.pop().trim().toLowerCase();
      const before = parts.map((p) => p.trim()).filter(Boolean);
      const chosen = new Set(before.map((p) => p.toLowerCase()));
      const prefix = before.length ? before.join(", ") + ", " : "";
      const matches = typed
        ? names.filter((n) => n.toLowerCase().includes(typed) && !chosen.has(n.toLowerCase())).slice(0, 8)
        : [];
      list.replaceChildren(...matches.map((n) => {
        const option = document.createElement("option");
        option.value = prefix + n;
        return option;
      }));
    });
  }

  // The social card: how the link will look when shared, as the fields are typed.
  const card = form.querySelector(".social-card");
  function refreshCard() {
    const value = (name) => (form.elements[name] ? form.elements[name].value.trim() : "");
    card.querySelector(".social-card-title").textContent =
      value("socialTitle") || value("seoTitle") || value("headline") || "Headline";
    card.querySelector(".social-card-description").textContent =
      value("socialDescription") || value("seoDescription") || value("deck");
    const image = value("socialImage") || value("imageUrl");
    const img = card.querySelector("img");
    if (/^\/media\/[0-9a-f]+(-[0-9]+w)?\.(jpg|png)$/.test(image)) {
      img.src = image;
      img.hidden = false;
    } else {
      img.hidden = true;
      img.removeAttribute("src");
    }
  }
  if (card) {
    form.addEventListener("input", refreshCard);
    refreshCard();
  }

  // A change readers would see at once waits for confirmation: bring the question into view.
  const confirm = document.getElementById("confirm");
  if (confirm) {
    confirm.scrollIntoView({ block: "center" });
    confirm.focus();
  }

  // Pictures: choose from the media library (for the body or the featured image), or drop/paste a
  // file into the text to upload it, with its alt text, caption and credit, and insert it.
  const picker = document.getElementById("media-picker");
  const uploader = document.getElementById("media-upload");
  const grid = picker.querySelector(".media-picker-grid");
  const search = picker.querySelector("#media-picker-search");
  let target = "body";
  function insertPicture(url, alt, caption) {
    if (window.BroadsheetVisual && window.BroadsheetVisual.active()) {
      window.BroadsheetVisual.insertPicture(url, alt, caption);
      return;
    }
    const clean = (text) => text.replace(/[\[\]"\n]/g, " ").trim();
    const title = caption ? ' "' + clean(caption) + '"' : "";
    const markdown = "\n\n![" + clean(alt) + "](" + url + title + ")\n\n";
    body.setRangeText(markdown, body.selectionStart, body.selectionEnd, "end");
    body.focus();
    body.dispatchEvent(new Event("input"));
  }
  async function loadPictures() {
    const response = await fetch("/admin/api/media?q=" + encodeURIComponent(search.value));
    const answer = await response.json();
    grid.replaceChildren(...answer.media.map((m) => {
      const item = document.createElement("button");
      item.type = "button";
      item.setAttribute("role", "listitem");
      item.className = "media-picker-item";
      const img = document.createElement("img");
      img.src = m.thumb;
      img.alt = "";
      img.width = 160;
      img.height = Math.round(160 * m.height / m.width);
      const text = document.createElement("span");
      text.textContent = m.alt;
      item.append(img, text);
      item.addEventListener("click", () => {
        if (target === "social") {
          form.querySelector("#field-socialImage").value = m.url;
          form.dispatchEvent(new Event("input"));
        } else if (target === "featured") {
          form.querySelector("#field-imageUrl").value = m.url;
          form.querySelector("#field-imageAlt").value = m.alt;
          form.querySelector("#field-imageCredit").value = m.credit;
          form.dispatchEvent(new Event("input"));
        } else {
          insertPicture(m.url, m.alt, "");
        }
        picker.close();
      });
      return item;
    }));
  }
  let searchTimer = 0;
  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(loadPictures, 200);
  });
  form.querySelectorAll("[data-pick]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      target = button.dataset.pick;
      picker.showModal();
      loadPictures();
    });
  });
  document.querySelectorAll("dialog [data-close]").forEach((button) => {
    button.addEventListener("click", () => button.closest("dialog").close());
  });
  let pending = null;
  window.BroadsheetEditor = { offerUpload: (file) => offerUpload(file) };
  function offerUpload(file) {
    pending = file;
    uploader.querySelector(".media-upload-name").textContent = file.name || "pasted picture";
    uploader.querySelector(".media-upload-error").textContent = "";
    uploader.querySelector(".media-upload-progress").hidden = true;
    uploader.showModal();
    uploader.querySelector("#media-upload-alt").focus();
  }
  uploader.querySelector("#media-upload-alt").addEventListener("input", () => {
    uploader.querySelector(".media-upload-error").textContent = "";
  });
  uploader.querySelector("[data-upload]").addEventListener("click", () => {
    const alt = uploader.querySelector("#media-upload-alt");
    const error = uploader.querySelector(".media-upload-error");
    if (!alt.value.trim()) {
      error.textContent = "Describe what the picture shows (alt text) first.";
      alt.focus();
      return;
    }
    const data = new FormData();
    data.append("_csrf", csrf);
    data.append("file", pending, pending.name || "pasted.png");
    data.append("alt", alt.value);
    data.append("credit", uploader.querySelector("#media-upload-credit").value);
    const progress = uploader.querySelector(".media-upload-progress");
    progress.hidden = false;
    progress.value = 0;
    const request = new XMLHttpRequest();
    request.open("POST", "/admin/api/media");
    request.setRequestHeader("X-CSRF-Token", csrf);
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) {
        progress.value = Math.round(100 * event.loaded / event.total);
      }
    });
    request.addEventListener("load", () => {
      let answer = {};
      try {
        answer = JSON.parse(request.responseText);
      } catch (e) {
        answer = {};
      }
      if (request.status === 201) {
        insertPicture(answer.url, answer.alt, uploader.querySelector("#media-upload-caption").value);
        uploader.close();
        alt.value = "";
        uploader.querySelector("#media-upload-caption").value = "";
        uploader.querySelector("#media-upload-credit").value = "";
      } else {
        const errors = answer.errors ? Object.values(answer.errors).join(" ") : "";
        error.textContent = errors || "The upload failed (" + request.status + "). The text you wrote is unchanged; try again.";
      }
    });
    request.addEventListener("error", () => {
      error.textContent = "The upload did not reach the server. The text you wrote is unchanged; try again.";
    });
    request.send(data);
  });
  body.addEventListener("dragover", (event) => {
    if ([...event.dataTransfer.types].includes("Files")) {
      event.preventDefault();
    }
  });
  body.addEventListener("drop", (event) => {
    const file = [...event.dataTransfer.files].find((f) => f.type.startsWith("image/"));
    if (file) {
      event.preventDefault();
      offerUpload(file);
    }
  });
  body.addEventListener("paste", (event) => {
    const file = [...(event.clipboardData ? event.clipboardData.files : [])].find((f) => f.type.startsWith("image/"));
    if (file) {
      event.preventDefault();
      offerUpload(file);
    }
  });
})();
