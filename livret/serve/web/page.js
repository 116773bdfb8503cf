// livret serve: wait for the next version of the site, then swap in the new <main>.
"use strict";

async function follow() {
  for (;;) {
    const version = document.querySelector("main").dataset.version;
    try {
      const response = await fetch(`/api/state?after=${version}`, { cache: "no-store" });
      const state = await response.json();
      if (String(state.version) !== version) {
        const page = await fetch("/", { cache: "no-store" });
        const fresh = new DOMParser().parseFromString(await page.text(), "text/html");
        document.querySelector("main").replaceWith(fresh.querySelector("main"));
      }
    } catch (error) {
      await new Promise((resolve) => setTimeout(resolve, 2000));  // the server is restarting
    }
  }
}

follow();
