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
