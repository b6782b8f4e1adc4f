// Prepares Python for the decision tool at build time, with Pyodide itself under Node
// (the same interpreter the browser runs, so its bytecode and memory fit exactly).
// Run by tool_assets.py (the escalation MkDocs plugin); the results are cached, so most builds never start Node.
//
//   node pyodide_prepare.mjs stdlib <pyodide dir> <out.zip>
//     Pyodide's standard library with every module compiled to bytecode (.pyc only):
//     the browser then never compiles the standard library from source, which was most
//     of the tool's start-up time.
//   node pyodide_prepare.mjs engine <pyodide dir> <engine.zip> <out.zip>
//     The engine's zip (tool/escalation) compiled the same way, so that the worker,
//     when it starts Python without the snapshot, imports bytecode instead of compiling
//     the engine's source (most of a second in the browser).
//   node pyodide_prepare.mjs trace <pyodide dir> <stdlib.zip> <engine.zip> <journeys.py> <bundle> <out.txt>
//     Python started as the worker starts it the long way (the engine unpacked from its
//     zip, escalation.web started on the bundle), then every journey of the tool
//     (escalation_build/journeys.py): the names of every module imported, one a line.
//     The site's standard library holds those modules and no others; run on that trimmed
//     library, the same command proves it is enough (the tests do).
//   node pyodide_prepare.mjs snapshot <pyodide dir> <stdlib.zip> <engine dir> <bundle> <out.gz>
//     A memory snapshot (gzip) of the interpreter started on that standard library, with
//     every module of the engine imported and escalation.web started on the bundle: the
//     worker restores it instead of starting Python, importing and loading the data.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import zlib from "node:zlib";

// A Python error's message is its traceback: print that, not Pyodide's minified source.
for (const event of ["uncaughtException", "unhandledRejection"]) {
  process.on(event, (error) => {
    console.error((error && error.message) || error);
    process.exit(1);
  });
}

const [command, pyodideDir, ...rest] = process.argv.slice(2);
const indexURL = path.resolve(pyodideDir) + path.sep; // Node wants a path here, not a URL
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);

// Bytecode that never checks for a source (there is none) and a zip whose bytes depend
// on its contents only: the same inputs give the same file on every machine.
const COMPILE = `
import importlib._bootstrap_external as _external
import importlib.util
import zipfile

def compile_zip(source_zip, out_zip, prefix, strip=True):
    with zipfile.ZipFile(source_zip) as source, zipfile.ZipFile(out_zip, "w") as out:
        for info in sorted(source.infolist(), key=lambda i: i.filename):
            name, data = info.filename, source.read(info)
            if name.endswith(".py"):
                # Without docstrings or asserts (python -OO), which only take room here;
                # but Pyodide's own packages read their docstrings.
                level = 2 if strip and not name.startswith(("pyodide/", "_pyodide/")) else 0
                code = compile(data, prefix + name, "exec", dont_inherit=True,
                               optimize=level)
                data = bytes(_external._code_to_hash_pyc(
                    code, importlib.util.source_hash(data), checked=False))
                name = name[:-3] + ".pyc"
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            directory = name.endswith("/")
            entry.compress_type = zipfile.ZIP_STORED if directory else zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            out.writestr(entry, data)
`;

if (command === "stdlib") {
  const [out] = rest;
  const pyodide = await loadPyodide({ indexURL });
  const source = fs.readFileSync(path.join(pyodideDir, "python_stdlib.zip"));
  pyodide.FS.writeFile("/tmp/source.zip", source);
  pyodide.runPython(COMPILE);
  // Named for tracebacks as where the browser mounts the standard library.
  pyodide.runPython(`
import sys
major, minor = sys.version_info[:2]
compile_zip("/tmp/source.zip", "/tmp/out.zip", f"/lib/python{major}{minor}.zip/")
`);
  fs.writeFileSync(out, pyodide.FS.readFile("/tmp/out.zip"));
} else if (command === "engine") {
  const [engineZip, out] = rest;
  const pyodide = await loadPyodide({ indexURL });
  pyodide.FS.writeFile("/tmp/source.zip", fs.readFileSync(engineZip));
  pyodide.runPython(COMPILE);
  // Named for tracebacks as where the worker unpacks it; docstrings and asserts kept.
  pyodide.runPython(`compile_zip("/tmp/source.zip", "/tmp/out.zip", "/home/pyodide/", strip=False)`);
  fs.writeFileSync(out, pyodide.FS.readFile("/tmp/out.zip"));
} else if (command === "trace") {
  const [stdlib, engineZip, journeys, bundle, out] = rest;
  const pyodide = await loadPyodide({ indexURL, stdLibURL: path.resolve(stdlib) });
  // As worker.js does when it has no snapshot; then as the snapshot is made.
  pyodide.unpackArchive(new Uint8Array(fs.readFileSync(engineZip)), "zip",
    { extractDir: "/home/pyodide" });
  pyodide.FS.writeFile("/home/pyodide/escalation_journeys.py", fs.readFileSync(journeys));
  const text = fs.readFileSync(bundle, "utf8");
  pyodide.globals.set("bundle_text", text);
  const calls = pyodide.runPython(`
import importlib, pkgutil, sys
import escalation
for module in pkgutil.iter_modules(escalation.__path__):
    importlib.import_module(f"escalation.{module.name}")
from escalation import web
web.start(bundle_text)
import escalation_journeys
escalation_journeys.run_every_journey(web, bundle_text)
`);
  const modules = pyodide.runPython("import sys; sorted(sys.modules)").toJs();
  fs.writeFileSync(out, modules.join("\n") + "\n");
  console.log(`${calls} calls; ${modules.length} modules`);
} else if (command === "snapshot") {
  const [stdlib, engineDir, bundle, out] = rest;
  const pyodide = await loadPyodide({
    indexURL, stdLibURL: path.resolve(stdlib), _makeSnapshot: true,
  });
  const home = "/home/pyodide/escalation";
  pyodide.FS.mkdirTree(home);
  for (const name of fs.readdirSync(engineDir).filter((n) => n.endsWith(".py")).sort()) {
    pyodide.FS.writeFile(`${home}/${name}`, fs.readFileSync(path.join(engineDir, name)));
  }
  // Every module of the engine, so that nothing is imported from files after a restore.
  pyodide.runPython(`
import importlib, pkgutil
import escalation
for module in pkgutil.iter_modules(escalation.__path__):
    importlib.import_module(f"escalation.{module.name}")
`);
  pyodide.pyimport("escalation.web").start(fs.readFileSync(bundle, "utf8"));
  fs.writeFileSync(out, zlib.gzipSync(pyodide.makeMemorySnapshot(), { level: 6 }));
} else {
  console.error("usage: node pyodide_prepare.mjs stdlib|engine|trace|snapshot ...");
  process.exit(2);
}
