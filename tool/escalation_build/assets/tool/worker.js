// The decision tool's Python, in a module worker so the page never freezes.
// Protocol: the page sends {id, type, payload}; the worker answers {id, result} or
// {id, error}. While Python loads it also sends {progress: {arrived, expected, phase}}
// and, if loading cannot go on, {failed: reason}. Pyodide, the engine and the data come
// from this site only.

let python = null;

// --- how much has arrived ----------------------------------------------------------------

// Every file Pyodide fetches passes here: a copy of its body is counted as it arrives
// (the original goes on untouched, so the browser still streams and caches the
// WebAssembly); a file that fails stops the start at once instead of leaving Pyodide
// waiting for ever (it logs a failed WebAssembly load and never settles).
const networkFetch = self.fetch.bind(self);
const counted = { arrived: 0, expected: 0, sent: 0 };

function progress(phase) {
  self.postMessage({ progress: { phase, arrived: counted.arrived, expected: counted.expected } });
}

function failed(reason) {
  self.postMessage({ failed: String(reason) });
}

async function count(body) {
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    counted.arrived += value.byteLength;
    const now = performance.now();
    if (now - counted.sent > 100) { // a tenth of a second is smooth enough
      counted.sent = now;
      progress("download");
    }
  }
}

self.fetch = async (input, init) => {
  let response;
  try {
    response = await networkFetch(input, init);
  } catch (error) {
    failed(`${input}: ${error.message || error}`);
    throw error;
  }
  if (!response.ok) {
    failed(`${response.url}: ${response.status}`);
  } else if (response.body) {
    count(response.clone().body).catch((error) => failed(`${response.url}: ${error}`));
  }
  return response;
};

// Pyodide swallows a failed WebAssembly start (it only logs it): say so instead.
const instantiateStreaming = WebAssembly.instantiateStreaming.bind(WebAssembly);
WebAssembly.instantiateStreaming = (source, imports) =>
  instantiateStreaming(source, imports).catch((error) => {
    failed(`WebAssembly: ${error.message || error}`);
    throw error;
  });

// --- starting Python -----------------------------------------------------------------------

// Python as the build left it (tool/escalation_build/pyodide_prepare.mjs). The memory
// snapshot (Python with the engine imported and the data loaded) restores in a fraction
// of a second but is 5 MiB more to download than starting Python from its standard
// library, which on a first visit over a real line takes longer than the start it
// saves. So it is used only when it is on this device already (kept by the service
// worker, or by the browser's cache after an earlier visit), and fetched for next time
// once the tool is ready.
async function startPython({ base, pyodide: folder, stdlib, snapshot, sizes }) {
  const indexURL = new URL(folder, base).href;
  const snapshotURL = new URL(snapshot, indexURL);
  const kept = await onThisDevice(snapshotURL, sizes[snapshot]);
  counted.expected = ["pyodide.asm.wasm", "pyodide-lock.json", stdlib]
    .concat(kept ? [] : ["escalation.zip", "bundle.json"])
    .reduce((sum, name) => sum + (sizes[name] || 0), kept ? kept.size : 0);
  progress("download");
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  const options = { indexURL, stdLibURL: new URL(stdlib, indexURL).href };
  if (kept) {
    try {
      counted.arrived += kept.size;
      const pyodide = await loadPyodide({ ...options, _loadSnapshot: gunzip(kept.response) });
      progress("start");
      return pyodide.pyimport("escalation.web");
    } catch (error) {
      // From another Pyodide build, or damaged: Pyodide refuses it; start the long way.
      console.warn("Starting Python without its snapshot:", error);
      counted.expected += (sizes["escalation.zip"] || 0) + (sizes["bundle.json"] || 0);
    }
  }
  const [pyodide, engine, bundle] = await Promise.all([
    loadPyodide(options),
    fetch(new URL("escalation.zip", base)).then((r) => r.arrayBuffer()),
    fetch(new URL("bundle.json", base)).then((r) => r.text()),
  ]);
  progress("start");
  pyodide.unpackArchive(engine, "zip", { extractDir: "/home/pyodide" });
  const web = pyodide.pyimport("escalation.web");
  web.start(bundle);
  return web;
}

// The snapshot if this device has it, without asking the network for it.
async function onThisDevice(url, size) {
  try {
    const response = await networkFetch(url, { cache: "only-if-cached", mode: "same-origin" });
    if (!response.ok) return null;
    return { response, size: size || 0 };
  } catch {
    return null; // not kept: the browser refuses rather than fetching
  }
}

async function gunzip(response) {
  const body = response.body.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(body).arrayBuffer());
}

async function init(where) {
  const web = await startPython(where);
  python = { view: web.view, download: web.download, open: web.open_case_file };
  return true;
}

// Once ready: the snapshot into the browser's cache, for a faster start next time (when
// the site has no service worker to keep it).
async function keep({ base, pyodide: folder, snapshot }) {
  const response = await networkFetch(new URL(snapshot, new URL(folder, base)));
  await response.arrayBuffer();
  return response.ok;
}

function answered(json) {
  const { result, error } = JSON.parse(json);
  if (error) throw new Error(error);
  return result;
}

const handlers = {
  init,
  keep,
  view: ({ state, now }) => JSON.parse(python.view(JSON.stringify(state), now)),
  download: ({ state, now, utc, what }) =>
    answered(python.download(JSON.stringify(state), now, utc, what)),
  open: ({ text }) => answered(python.open(text)),
};

self.onmessage = async ({ data: { id, type, payload } }) => {
  try {
    self.postMessage({ id, result: await handlers[type](payload) });
  } catch (error) {
    self.postMessage({ id, error: String((error && error.message) || error) });
  }
};
