// The decision tool's Python, in a module worker so the page never freezes.
// Protocol: the page sends {id, type, payload}; the worker answers {id, result} or
// {id, error}. Pyodide, the engine and the data come from this site only.

let python = null;

async function init({ base, pyodide: folder }) {
  const indexURL = new URL(folder, base).href;
  const { loadPyodide } = await import(new URL("pyodide.mjs", indexURL).href);
  const pyodide = await loadPyodide({ indexURL });
  const [engine, bundle] = await Promise.all([
    fetch(new URL("escalation.zip", base)).then((r) => r.arrayBuffer()),
    fetch(new URL("bundle.json", base)).then((r) => r.text()),
  ]);
  pyodide.unpackArchive(engine, "zip", { extractDir: "/home/pyodide" });
  pyodide.globals.set("bundle_text", bundle);
  pyodide.runPython(`
import json
from escalation.bundle import load_bundle
from escalation.journey import download as _download, open_case_file as _open_case_file, view as _view

BUNDLE = load_bundle(bundle_text)
del bundle_text

def view(state_json, now):
    return json.dumps(_view(BUNDLE, json.loads(state_json), now))

# A ValueError carries a message for the person; it goes back without a traceback.
def answer(make, *args):
    try:
        return json.dumps({"result": make(BUNDLE, *args)})
    except ValueError as error:
        return json.dumps({"error": str(error)})

def download(state_json, now, utc, what):
    return answer(_download, json.loads(state_json), now, utc, what)

def open_case_file(text):
    return answer(_open_case_file, text)
`);
  python = {
    view: pyodide.globals.get("view"),
    download: pyodide.globals.get("download"),
    open: pyodide.globals.get("open_case_file"),
  };
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
