// The decision tool's Python, in a module worker so the page never freezes.
// Protocol: the page sends {id, type, payload}; the worker answers {id, result} or
// {id, error}. Pyodide, the engine and the data come from this site only.

let view = null;

async function init({ base }) {
  const { loadPyodide } = await import(new URL("pyodide/pyodide.mjs", base).href);
  const pyodide = await loadPyodide({ indexURL: new URL("pyodide/", base).href });
  const [engine, bundle] = await Promise.all([
    fetch(new URL("escalation.zip", base)).then((r) => r.arrayBuffer()),
    fetch(new URL("bundle.json", base)).then((r) => r.text()),
  ]);
  pyodide.unpackArchive(engine, "zip", { extractDir: "/home/pyodide" });
  pyodide.globals.set("bundle_text", bundle);
  pyodide.runPython(`
import json
from escalation.bundle import load_bundle
from escalation.journey import view as _view

BUNDLE = load_bundle(bundle_text)
del bundle_text

def view(state_json, now):
    return json.dumps(_view(BUNDLE, json.loads(state_json), now))
`);
  view = pyodide.globals.get("view");
  return true;
}

const handlers = {
  init,
  view: ({ state, now }) => JSON.parse(view(JSON.stringify(state), now)),
};

self.onmessage = async ({ data: { id, type, payload } }) => {
  try {
    self.postMessage({ id, result: await handlers[type](payload) });
  } catch (error) {
    self.postMessage({ id, error: String((error && error.message) || error) });
  }
};
