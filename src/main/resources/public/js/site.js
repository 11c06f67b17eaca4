// Progressive enhancement only: every page works without this script.
document.documentElement.classList.add("js");

// Search box suggestions: headlines that match what has been typed so far, offered through the
// input's own <datalist>; choosing one opens the article.
(function () {
  const input = document.querySelector("input[data-suggest]");
  if (!input || !input.list || !window.fetch) {
    return;
  }
  const list = input.list;
  let urls = new Map();
  let timer = 0;
  let controller = null;
  input.addEventListener("input", () => {
    const typed = input.value;
    if (urls.has(typed)) {
      window.location.assign(urls.get(typed));
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (typed.trim().length < 2) {
        list.replaceChildren();
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      try {
        const response = await fetch(
          input.dataset.suggest + "?q=" + encodeURIComponent(typed),
          { signal: controller.signal, headers: { Accept: "application/json" } });
        if (!response.ok) {
          return;
        }
        const items = await response.json();
        urls = new Map(items.map((item) => [item.headline, item.url]));
        list.replaceChildren(...items.map((item) => {
          const option = document.createElement("option");
          option.value = item.headline;
          return option;
        }));
      } catch (e) {
        // Offline or superseded by newer typing: the plain search still works.
      }
    }, 150);
  });
})();

// Embeds: the card stays until the reader asks for the frame; only then does the browser contact
// the provider (the page's Content-Security-Policy allows that provider's frames and no others).
(function () {
  // Buttons are shown only where this script runs; cards added later (a live story's updates) are
  // handled by the same listener.
  document.querySelectorAll("figure.embed[data-embed] .embed-load").forEach((b) => { b.hidden = false; });
  document.addEventListener("click", (event) => {
    const button = event.target.closest("figure.embed[data-embed] .embed-load");
    if (!button) {
      return;
    }
    const figure = button.closest("figure.embed");
    const frame = document.createElement("iframe");
    const src = new URL(figure.dataset.embed);
    if (src.hostname === "www.youtube-nocookie.com" || src.hostname === "player.vimeo.com") {
      src.searchParams.set("autoplay", "1");
    }
    frame.src = src.toString();
    frame.title = figure.dataset.embedTitle || "Embedded content";
    frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture; clipboard-write";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.setAttribute(
      "sandbox",
      "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation allow-forms"
    );
    figure.querySelector(".embed-card").replaceWith(frame);
    figure.classList.add("embed-loaded");
    frame.focus();
  });
})();
