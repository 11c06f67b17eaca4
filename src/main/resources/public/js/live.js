// Live coverage: one Server-Sent Events connection brings each change to the stream into this
// page in place. New updates appear at the top; a reader who has scrolled down into the stream is
// not moved: a button says how many are waiting. The browser reconnects by itself (Last-Event-ID)
// and gets the stream as it is then. Without this script a reload shows the latest.
(function () {
  const section = document.getElementById("live");
  if (!section || !window.EventSource) {
    return;
  }
  const waiting = document.createElement("button");
  waiting.type = "button";
  waiting.className = "live-waiting";
  waiting.hidden = true;
  let held = [];

  function list() {
    return section.querySelector("ol.live-updates");
  }

  function readerIsInStream() {
    const top = list() ? list().getBoundingClientRect().top : 0;
    return top < 0;
  }

  function showHeld() {
    const ol = list();
    held.reverse().forEach((li) => ol.prepend(li));
    held = [];
    waiting.hidden = true;
    ol.scrollIntoView({ block: "start" });
  }
  waiting.addEventListener("click", showHeld);

  function apply(html) {
    const fresh = document.createElement("template");
    fresh.innerHTML = html;
    const freshList = fresh.content.querySelector("ol.live-updates");
    // Everything but the list is small: headline, key events, pinned updates are replaced whole.
    const currentList = list();
    [...section.children].forEach((child) => {
      if (child !== currentList && child !== waiting && child !== flip) {
        child.remove();
      }
    });
    [...fresh.content.children].forEach((child) => {
      if (child !== freshList) {
        section.insertBefore(child, flip);
      }
    });
    if (!currentList || !freshList) {
      return;
    }
    const wanted = new Map([...freshList.children].map((li) => [li.firstElementChild.id, li]));
    // Deleted updates go; edited ones are replaced where they are.
    [...currentList.children].forEach((li) => {
      const id = li.firstElementChild && li.firstElementChild.id;
      if (!wanted.has(id)) {
        li.remove();
      } else if (wanted.get(id).innerHTML !== li.innerHTML) {
        li.innerHTML = wanted.get(id).innerHTML;
      }
    });
    held = held.filter((li) => wanted.has(li.firstElementChild.id));
    // New ones: on top, or held back while the reader is further down.
    const known = new Set([...currentList.children, ...held].map((li) => li.firstElementChild.id));
    const added = [...freshList.children].filter((li) => !known.has(li.firstElementChild.id));
    if (!added.length) {
      return;
    }
    if (oldestFirst) {
      // Read from the start: new ones come at the end, where they belong.
      added.reverse().forEach((li) => currentList.append(li));
    } else if (readerIsInStream()) {
      held = added.concat(held);
      waiting.textContent = held.length === 1 ? "1 new update" : held.length + " new updates";
      waiting.hidden = false;
    } else {
      added.reverse().forEach((li) => currentList.prepend(li));
    }
  }

  // Newest first by default; a reader may read from the start instead (remembered).
  const orderKey = "broadsheet-live-order";
  let oldestFirst = localStorage.getItem(orderKey) === "oldest";
  const flip = document.createElement("button");
  flip.type = "button";
  flip.className = "live-order";
  function setOrder(oldest) {
    const ol = list();
    if (ol && oldest !== (ol.dataset.order === "oldest")) {
      [...ol.children].reverse().forEach((li) => ol.append(li));
    }
    if (ol) {
      ol.dataset.order = oldest ? "oldest" : "newest";
    }
    flip.textContent = oldest ? "Show newest first" : "Show oldest first";
    flip.setAttribute("aria-pressed", String(oldest));
  }
  flip.addEventListener("click", () => {
    oldestFirst = !oldestFirst;
    localStorage.setItem(orderKey, oldestFirst ? "oldest" : "newest");
    setOrder(oldestFirst);
  });
  section.insertBefore(flip, list());
  setOrder(oldestFirst);
  section.insertBefore(waiting, list());
  const source = new EventSource("/live/" + section.dataset.live + "/events");
  source.addEventListener("stream", (event) => {
    const data = JSON.parse(event.data);
    apply(data.html);
    section.querySelectorAll("figure.embed .embed-load[hidden]").forEach((b) => { b.hidden = false; });
    section.dataset.connected = "true";
    if (!data.running) {
      source.close();
    }
  });
})();
