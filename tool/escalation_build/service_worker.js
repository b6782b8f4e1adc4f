// The site's service worker: keeps one version of the whole site on this device, so the
// decision tool and every page work with no network after one visit.
// Written into the site's root by the build (tool/escalation_build/offline.py), which
// fills in VERSION (a hash of every file's contents) and FILES (each file and the
// SHA-256 of its contents), so a new build is a new service worker.
//
// - A version is kept whole or not at all: each file is checked against its hash as it
//   is fetched, and one that fails drops the whole version (a host half-way through a
//   deploy, a cache in between serving an old file); the browser tries again later.
// - A new version is fetched in the background beside the one in use. Pages go on being
//   served from the version they started with until the person chooses to reload (the
//   tool page offers it) or every tab of the site is closed: never a mix of the two.
// - Only the site's own files are kept, each exactly as built, and only GET requests
//   are answered: nothing typed (the tool keeps it in the tab's sessionStorage) and no
//   request with a query is ever stored.
// - OFFLINE false (the host switched it off, extra.offline in mkdocs.yml): this worker
//   deletes what an earlier one kept and unregisters itself.
const VERSION = "@VERSION@";
const OFFLINE = "@OFFLINE@" === "true";
const FILES = JSON.parse("@FILES@");
const IMMUTABLE = "tool/pyodide/"; // named after Pyodide's version: the browser's cache is right
const SCOPE = self.registration.scope;
const PREFIX = `escalation ${SCOPE} `; // another site on the same host keeps its own caches
const CACHE = PREFIX + VERSION;
const COMPLETE = new URL("service-worker-files.json", SCOPE).href; // put last: the version is whole

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

// Files of an earlier complete version that have not changed: copied, not downloaded.
async function earlierCopies() {
  const found = new Map();
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    const cache = await caches.open(name);
    const listed = await cache.match(COMPLETE);
    if (!listed) continue;
    for (const [path, hash] of Object.entries(await listed.json())) {
      if (FILES[path] === hash) found.set(path, cache);
    }
  }
  return found;
}

async function keepFile(cache, path, earlier) {
  const url = new URL(path, SCOPE).href;
  if (await cache.match(url)) return; // checked already, by an install that was cut short
  const copy = earlier.has(path) && await earlier.get(path).match(url);
  if (copy) {
    await cache.put(url, copy);
    return;
  }
  const response = await fetch(url, { cache: path.startsWith(IMMUTABLE) ? "default" : "no-cache" });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  const body = await response.arrayBuffer();
  if (hex(await crypto.subtle.digest("SHA-256", body)) !== FILES[path]) {
    throw new Error(`${path} is not the file of this version`);
  }
  // The body is kept decoded: it must not claim to be compressed.
  const headers = new Headers(response.headers);
  headers.delete("Content-Encoding");
  headers.delete("Content-Length");
  await cache.put(url, new Response(body, { status: 200, headers }));
}

async function install() {
  const cache = await caches.open(CACHE);
  try {
    const earlier = await earlierCopies();
    const paths = Object.keys(FILES);
    let next = 0;
    const fetcher = async () => {
      while (next < paths.length) await keepFile(cache, paths[next++], earlier);
    };
    await Promise.all([fetcher(), fetcher(), fetcher(), fetcher()]);
    await cache.put(COMPLETE, new Response(JSON.stringify(FILES),
      { headers: { "Content-Type": "application/json" } }));
  } catch (error) {
    await caches.delete(CACHE); // never half-used
    throw error;
  }
}

async function forgetAllBut(keep) {
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX) && name !== keep) await caches.delete(name);
  }
}

self.addEventListener("install", (event) => {
  if (!OFFLINE) {
    event.waitUntil(self.skipWaiting());
    return;
  }
  event.waitUntil(install());
});

self.addEventListener("activate", (event) => {
  if (!OFFLINE) {
    event.waitUntil(forgetAllBut(null).then(() => self.registration.unregister()));
    return;
  }
  // The first version takes charge of the page that registered it at once (there is
  // nothing to mix with); a later one only when asked (below) or with no tab open.
  event.waitUntil(forgetAllBut(CACHE).then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "use-this-version") self.skipWaiting();
});

// The file of this version a request asks for, or null: a page's address ends in "/".
function pathOf(request) {
  const url = new URL(request.url);
  const root = new URL(SCOPE);
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return null;
  if (url.search && request.mode !== "navigate") return null;
  let path = decodeURIComponent(url.pathname.slice(root.pathname.length));
  if (path === "" || path.endsWith("/")) path += "index.html";
  return path;
}

async function answer(request, path) {
  const cache = await caches.open(CACHE);
  if (path in FILES) {
    const kept = await cache.match(new URL(path, SCOPE).href);
    if (kept) return kept;
  } else if (`${path}/index.html` in FILES) {
    return Response.redirect(new URL(`${path}/`, SCOPE).href, 301);
  }
  try {
    return await fetch(request);
  } catch (error) {
    // No network and not a page of this site: the site's own "not found" page.
    const missing = request.mode === "navigate" && await cache.match(new URL("404.html", SCOPE).href);
    if (missing) return new Response(missing.body, { status: 404, headers: missing.headers });
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  if (!OFFLINE || event.request.method !== "GET" || event.request.headers.has("Range")) return;
  const path = pathOf(event.request);
  if (path === null) return;
  event.respondWith(answer(event.request, path));
});
