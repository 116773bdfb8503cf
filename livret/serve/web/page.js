// livret serve: wait for the next version of the site, then swap in the new <main>.
// On a page view, the arrow keys go to the previous and the next page.
"use strict";

async function follow() {
  for (;;) {
    const version = document.querySelector("main").dataset.version;
    try {
      const response = await fetch(`/api/state?after=${version}`, { cache: "no-store" });
      const state = await response.json();
      if (String(state.version) !== version) {
        const page = await fetch(location.pathname + location.search, { cache: "no-store" });
        if (!page.ok) {  // the page shown no longer exists (e.g. the document got shorter)
          location.assign("/");
          return;
        }
        const fresh = new DOMParser().parseFromString(await page.text(), "text/html");
        document.querySelector("main").replaceWith(fresh.querySelector("main"));
      }
    } catch (error) {
      await new Promise((resolve) => setTimeout(resolve, 2000));  // the server is restarting
    }
  }
}

document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
  const rel = { ArrowLeft: "prev", ArrowRight: "next" }[event.key];
  const link = rel && document.querySelector(`.pager a[rel=${rel}]`);
  if (link) location.assign(link.href);
});

follow();
