// The decision tool's Python, in a module worker so the page never freezes.
// Protocol: the page sends {id, type, payload}; the worker answers {id, result} or
// {id, error}. Pyodide, the engine and the data come from this site only.

let python = null;

// Python as the build left it (tool/escalation_build/pyodide_prepare.mjs): restored from
// a memory snapshot with the engine imported and the data loaded; else started from
// scratch, which takes seconds longer.
async function startPython({ base, pyodide: folder, stdlib, snapshot }) {
  const indexURL = new URL(folder, base).href;
  const memory = gunzip(new URL(snapshot, indexURL));
  memory.catch(() => {}); // reported below, once loadPyodide has waited for it
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  const options = { indexURL, stdLibURL: new URL(stdlib, indexURL).href };
  try {
    const pyodide = await loadPyodide({ ...options, _loadSnapshot: memory });
    return pyodide.pyimport("escalation.web");
  } catch (error) {
    console.warn("Starting Python without its snapshot:", error);
  }
  const [pyodide, engine, bundle] = await Promise.all([
    loadPyodide(options),
    fetch(new URL("escalation.zip", base)).then((r) => r.arrayBuffer()),
    fetch(new URL("bundle.json", base)).then((r) => r.text()),
  ]);
  pyodide.unpackArchive(engine, "zip", { extractDir: "/home/pyodide" });
  const web = pyodide.pyimport("escalation.web");
  web.start(bundle);
  return web;
}

async function gunzip(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  const body = response.body.pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(body).arrayBuffer());
}

async function init(where) {
  const web = await startPython(where);
  python = { view: web.view, download: web.download, open: web.open_case_file };
  return true;
}

function answered(json) {
  const { result, error } = JSON.parse(json);
  if (error) throw new Error(error);
  return result;
}

const handlers = {
  init,
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
