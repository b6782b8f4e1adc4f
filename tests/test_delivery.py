"""How the site reaches the browser: compressed copies and the server that sends them,
the trimmed standard library every pack's journeys run on, progress and failure while
the tool loads, and the service worker that keeps the site for offline use."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import socket
import subprocess
import time
import urllib.request
import zipfile
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import brotli
import pytest
from playwright.sync_api import expect

import packs
from conftest import FIXTURE_DATA, ROOT
from escalation.chooser import paths
from escalation_build import compress, offline, tool_assets
from escalation_build.bundle import make_bundle
from escalation_build.journeys import DOWNLOADS
from escalation_build.serve import accepted_encodings
from escalation_build.sources import load_data_dir

PACKS = [pack.data_dir for pack in packs.PACKS]
READY_MS = 90_000
START = "Date of the disagreement or concern arising"


def get(base: str, path: str, encoding: str | None = None, method: str = "GET"):
    request = urllib.request.Request(base + path, method=method)
    if encoding is not None:
        request.add_header("Accept-Encoding", encoding)
    with urllib.request.urlopen(request) as response:
        return response.status, response.headers, response.read()


# --- compressed copies, and escalation serve ---------------------------------------------

def test_the_build_writes_brotli_and_gzip_beside_every_file_that_compresses(built_site):
    wasm = next(built_site.glob("tool/pyodide/*/pyodide.asm.wasm"))
    for path in (wasm, built_site / "tool" / "index.html", built_site / "assets" / "tool" / "page.js",
                 built_site / "tool" / "bundle.json"):
        assert brotli.decompress((path.parent / (path.name + ".br")).read_bytes()) == path.read_bytes()
        assert gzip.decompress((path.parent / (path.name + ".gz")).read_bytes()) == path.read_bytes()
    # Compressed already: no copies.
    assert not list(built_site.glob("tool/pyodide/*/*.zip.br"))
    assert not list(built_site.glob("tool/pyodide/*/*.snapshot.gz.br"))
    assert wasm.with_name(wasm.name + ".br").stat().st_size < 0.35 * wasm.stat().st_size


def test_serve_sends_brotli_or_gzip_when_asked_and_the_plain_file_when_not(served):
    base, _ = served
    plain = (ROOT / "tool" / "escalation_build" / "assets" / "tool" / "worker.js").read_bytes()
    status, headers, body = get(base, "/assets/tool/worker.js", "gzip, deflate, br")
    assert (status, headers["Content-Encoding"], headers["Vary"]) == (200, "br", "Accept-Encoding")
    assert headers["Content-Type"] == "text/javascript"
    assert brotli.decompress(body) == plain
    status, headers, body = get(base, "/assets/tool/worker.js", "gzip")
    assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body) == plain
    status, headers, body = get(base, "/assets/tool/worker.js", "br;q=0, gzip;q=0")
    assert headers["Content-Encoding"] is None and body == plain
    status, headers, body = get(base, "/assets/tool/worker.js")
    assert headers["Content-Encoding"] is None and body == plain
    assert headers["Vary"] == "Accept-Encoding"
    # A folder's page, and HEAD: the same choice, with the security headers still sent.
    status, headers, body = get(base, "/tool/", "br", method="HEAD")
    assert (headers["Content-Encoding"], body) == ("br", b"")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    status, headers, body = get(base, "/tool/", "br")
    assert b"data-boot=" in brotli.decompress(body)


@pytest.mark.parametrize("header, accepted", [
    ("gzip, deflate, br, zstd", {"gzip", "deflate", "br", "zstd"}),
    ("br;q=0.5, gzip;q=0", {"br"}),
    ("*", {"br", "gzip"}),
    ("*;q=0.1, br;q=0", {"gzip"}),
    ("", set()),
    ("gzip;q=nonsense", set()),
])
def test_accept_encoding_is_read_with_its_q_values(header, accepted):
    assert accepted_encodings(header) == accepted


@contextmanager
def serve_logged(site: Path):
    import threading

    from escalation_build.serve import site_server

    server = site_server(site, quiet=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def raw(port: int, request: bytes) -> bytes:
    """One request sent as bytes to 127.0.0.1, and what came back (bounded in time)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize("request_line, status", [
    (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n", b"414"),
    (b"GET / HTTP/9.9\r\n", b"505"),
    (b"GET / NOT-HTTP\r\n", b"400"),
    (b"NONSENSE\r\n", b"400"),
    (b"GET / HTTP/1.1 extra words\r\n", b"400"),
])
def test_serve_answers_a_malformed_request_with_its_status_and_one_log_line(
        built_site, capsys, request_line, status):
    with serve_logged(built_site) as port:
        answer = raw(port, request_line + b"\r\n")
        time.sleep(0.2)  # the log line is written after the answer
    assert answer.split(b"\r\n", 1)[0].split(b" ")[1] == status
    assert b"Content-Security-Policy" in answer
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and f" {status.decode()} " in lines[0], lines
    assert len(lines[0]) < 400


# --- the trimmed standard library --------------------------------------------------------

def prepared(data_dir: Path) -> tuple[Path, Path, Path, str]:
    pyodide = tool_assets._node_modules(ROOT)
    bundle = make_bundle(data_dir, date.today())
    stdlib, snapshot, engine = tool_assets._prepared(pyodide, bundle)
    return stdlib, engine, pyodide, bundle


def run_journeys(tmp_path: Path, pyodide: Path, stdlib: Path, engine: Path, bundle: str):
    (tmp_path / "bundle.json").write_text(bundle, encoding="utf-8")
    return subprocess.run(
        ["node", str(tool_assets.PREPARE), "trace", str(pyodide), str(stdlib), str(engine),
         str(tool_assets.JOURNEYS), str(tmp_path / "bundle.json"), str(tmp_path / "modules.txt")],
        capture_output=True, text=True, timeout=600)


def zip_modules(stdlib: Path) -> set[str]:
    with zipfile.ZipFile(stdlib) as archive:
        return {tool_assets._module_of(n) for n in archive.namelist()} - {None}


@pytest.mark.parametrize("data_dir", PACKS, ids=packs.pack_ids())
def test_every_packs_journeys_run_on_the_trimmed_standard_library(tmp_path, data_dir):
    stdlib, engine, pyodide, bundle = prepared(data_dir)
    with zipfile.ZipFile(pyodide / "python_stdlib.zip") as whole:
        assert len(zip_modules(stdlib)) < 0.4 * len([n for n in whole.namelist() if n.endswith(".py")])
    result = run_journeys(tmp_path, pyodide, stdlib, engine, bundle)
    assert result.returncode == 0, result.stderr[-3000:]
    calls = int(re.match(r"(\d+) calls", result.stdout).group(1))
    # At least a view for each route with dates wrong and right, and every download.
    data, _ = load_data_dir(data_dir)
    routes = len(paths(data.chooser)) if data.chooser else 1
    assert calls >= routes * 3 + len(DOWNLOADS), calls
    imported = set((tmp_path / "modules.txt").read_text().split())
    # Every module imported from a file came from the trimmed zip (the rest are built in
    # or the engine's own).
    with zipfile.ZipFile(pyodide / "python_stdlib.zip") as whole:
        from_stdlib = {n[:-3].replace("/", ".").removesuffix(".__init__")
                       for n in whole.namelist() if n.endswith(".py")}
    assert imported & from_stdlib <= zip_modules(stdlib)


def test_a_journey_fails_if_a_module_it_imports_is_left_out(tmp_path):
    stdlib, engine, pyodide, bundle = prepared(FIXTURE_DATA)
    # The .eml files need email.generator, which nothing imports before a download.
    assert "email/generator.pyc" in zipfile.ZipFile(stdlib).namelist()
    short = tmp_path / "short.zip"
    with zipfile.ZipFile(stdlib) as source, zipfile.ZipFile(short, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "email/generator.pyc":
                out.writestr(info, source.read(info))
    result = run_journeys(tmp_path, pyodide, short, engine, bundle)
    assert result.returncode != 0
    assert "No module named 'email.generator'" in result.stderr


# --- loading: progress, a stall, a page script that never runs ---------------------------

@pytest.fixture
def page(served):
    base, browser = served
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.base = base
    page.on("dialog", lambda d: d.accept())
    yield page
    context.close()


def test_while_python_loads_continue_says_the_answer_is_kept_and_a_stall_gives_up(page):
    # The WebAssembly never arrives: no progress, so loading gives up after 20 s.
    page.route("**/pyodide.asm.wasm", lambda route: None)
    began = time.monotonic()
    page.goto(f"{page.base}/tool/")
    expect(page.get_by_role("progressbar", name="How much of the calculator has arrived")).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text("Getting the calculator ready")
    group = page.get_by_role("group", name=re.compile("^Is a child in immediate danger"))
    group.get_by_label("No", exact=True).check()
    group.get_by_role("button", name="Continue").click()
    expect(group).to_contain_text("Your answer is kept. The calculator is still getting ready")
    expect(page.locator("#tool")).to_have_attribute("data-tool-status", "failed", timeout=40_000)
    waited = time.monotonic() - began
    assert 19 < waited < 35
    expect(page.locator("#tool-status")).to_contain_text("could not be loaded")
    expect(page.get_by_role("progressbar")).to_have_count(0)
    expect(page.get_by_role("link", name="FaST Resolution Process").first).to_be_visible()


def test_a_file_that_fails_to_load_fails_the_tool_at_once(page):
    page.route("**/python_stdlib-*.zip", lambda route: route.fulfill(status=404, body="gone"))
    began = time.monotonic()
    page.goto(f"{page.base}/tool/")
    expect(page.locator("#tool")).to_have_attribute("data-tool-status", "failed", timeout=READY_MS)
    assert time.monotonic() - began < 15
    expect(page.locator("#tool-status")).to_contain_text("could not be loaded")


def test_a_blocked_page_script_ends_in_the_failed_state_with_guidance(page):
    page.route("**/assets/tool/page.js", lambda route: route.abort())
    page.goto(f"{page.base}/tool/")
    expect(page.locator("#tool")).to_have_attribute("data-tool-status", "failed", timeout=10_000)
    expect(page.get_by_role("status").first).to_contain_text(
        "The calculator could not be loaded in this browser")
    expect(page.get_by_role("status").first).to_contain_text(
        "the procedure and its timescales are in its chapters")
    expect(page.get_by_role("group", name="What is your concern about?")).to_be_attached()


def test_progress_reaches_everything_and_the_bar_goes_once_ready(page):
    seen: list[float] = []
    page.goto(f"{page.base}/tool/")
    bar = page.get_by_role("progressbar")
    while page.locator("#tool").get_attribute("data-tool-status") == "loading":
        value = page.evaluate("document.querySelector('#tool progress')?.value ?? null")
        if value is not None:
            seen.append(float(value))
        page.wait_for_timeout(20)
    expect(page.locator("#tool")).to_have_attribute("data-tool-status", "ready")
    expect(page.locator("#tool-status")).to_have_text("The calculator is ready.")
    expect(bar).to_have_count(0)
    assert seen == sorted(seen) and max(seen) <= 1


# --- the service worker ------------------------------------------------------------------

def controlled(page) -> bool:
    """Wait until a service worker of this site controls the page and has kept it whole."""
    for _ in range(600):
        if page.evaluate("""async () => {
            if (!navigator.serviceWorker.controller) return false;
            const names = await caches.keys();
            for (const name of names) {
              const cache = await caches.open(name);
              if (await cache.match(new URL("/service-worker-files.json", location.href))) return true;
            }
            return false;
        }"""):
            return True
        page.wait_for_timeout(100)
    return False


def kept_urls(page) -> list[str]:
    return page.evaluate("""async () => {
        const urls = [];
        for (const name of await caches.keys()) {
          for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
        }
        return urls;
    }""")


@pytest.fixture
def own_site(built_site, tmp_path):
    """A copy of the built site to change between visits, served on 127.0.0.1."""
    from browser import serve

    site = Path(shutil.copytree(built_site, tmp_path / "site"))
    with serve(site) as base:
        yield site, base


def choose_fast_and_plan(page):
    from test_tool_e2e import choose_fast

    choose_fast(page)
    page.get_by_label(START, exact=True).fill("24/12/2026")


def test_after_one_visit_the_tool_and_the_pages_work_offline_and_nothing_typed_is_kept(
        served, own_site):
    site, base = own_site
    _, browser = served
    context = browser.new_context()
    try:
        page = context.new_page()
        page.clock.set_fixed_time(datetime(2026, 12, 24, 10, 0))
        page.goto(f"{base}/tool/")
        expect(page.locator("#tool")).to_have_attribute("data-tool-status", "ready", timeout=READY_MS)
        assert controlled(page)
        choose_fast_and_plan(page)
        expect(page.locator("#latest-end")).to_have_text(
            "The whole process ends no later than Tuesday 12 January 2027.")

        context.set_offline(True)
        again = context.new_page()
        again.clock.set_fixed_time(datetime(2026, 12, 24, 10, 0))
        again.goto(f"{base}/tool/")
        expect(again.locator("#tool")).to_have_attribute("data-tool-status", "ready", timeout=READY_MS)
        choose_fast_and_plan(again)
        expect(again.locator("#latest-end")).to_have_text(
            "The whole process ends no later than Tuesday 12 January 2027.")
        again.goto(f"{base}/fast-resolution-process/")
        expect(again.get_by_role("heading", level=1)).to_be_visible()
        again.goto(f"{base}/no-such-page/")
        expect(again.locator("body")).to_contain_text("404")

        # Only the site's own files, each once, none with a query or anything typed.
        urls = kept_urls(again)
        listed = set(offline.kept_files(site))
        assert {u[len(base) + 1:] for u in urls} == listed | {"service-worker-files.json"}
        assert not [u for u in urls if "?" in u]
    finally:
        context.close()


def rebuild_with(site: Path, page_path: str, old: str, new: str) -> None:
    """The site as a new build would leave it with one page changed: new copies and a new
    service worker."""
    path = site / page_path
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    offline.write_service_worker(site)
    compress.compress_site(site)  # last, as the build does: the worker's copies too


def title_of(page, url: str) -> str:
    page.goto(url)
    return page.title()


def test_a_new_build_is_announced_and_used_only_after_a_reload_never_mixed(served, own_site):
    site, base = own_site
    _, browser = served
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}/tool/")
        expect(page.locator("#tool")).to_have_attribute("data-tool-status", "ready", timeout=READY_MS)
        assert controlled(page)
        reader = context.new_page()
        before = title_of(reader, f"{base}/glossary/")

        rebuild_with(site, "glossary/index.html", f"<title>{before}<", "<title>Glossary, new edition<")
        # Still the version the pages started with, even after the new one is on the host.
        assert title_of(reader, f"{base}/glossary/") == before
        page.reload()
        expect(page.locator("#tool")).to_have_attribute("data-tool-status", "ready", timeout=READY_MS)
        notice = page.locator("#tool-new-version")
        expect(notice).to_contain_text("A new version of this site is ready", timeout=60_000)
        assert title_of(reader, f"{base}/glossary/") == before  # fetched, not yet used

        notice.get_by_role("button", name="Reload").click()
        expect(page.locator("#tool")).to_have_attribute("data-tool-status", "ready", timeout=READY_MS)
        expect(page.locator("#tool-new-version")).to_have_count(0)
        assert title_of(reader, f"{base}/glossary/") == "Glossary, new edition"
        # The old version is gone: one version kept, whole.
        names = page.evaluate("caches.keys()")
        assert len(names) == 1
    finally:
        context.close()


def test_a_version_that_does_not_match_its_list_is_dropped_not_half_used(served, own_site):
    site, base = own_site
    _, browser = served
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}/tool/")
        expect(page.locator("#tool")).to_have_attribute("data-tool-status", "ready", timeout=READY_MS)
        assert controlled(page)
        first = page.evaluate("caches.keys()")
        reader = context.new_page()
        before = title_of(reader, f"{base}/glossary/")
        # A host half-way through a deploy: the new list, but a changed file that is not
        # yet the one it lists (files that did not change are copied, not fetched).
        rebuild_with(site, "glossary/index.html", f"<title>{before}<", "<title>Glossary, new edition<")
        (site / "glossary" / "index.html").write_text("half-deployed", encoding="utf-8")
        for copy in (site / "glossary").glob("index.html.*"):
            copy.unlink()
        page.reload()
        expect(page.locator("#tool")).to_have_attribute("data-tool-status", "ready", timeout=READY_MS)
        page.wait_for_timeout(5000)
        expect(page.locator("#tool-new-version")).to_have_count(0)
        assert page.evaluate("caches.keys()") == first
        assert title_of(reader, f"{base}/glossary/") == before
        assert "half-deployed" not in reader.content()
    finally:
        context.close()


def test_a_host_can_switch_offline_use_off(tmp_path):
    files = {"index.html": "0" * 64}
    text, _ = offline.service_worker(files, offline=False)
    assert "const OFFLINE = false" in text
    text, version = offline.service_worker(files)
    assert "const OFFLINE = true" in text and json.dumps(files, sort_keys=True) in text
    assert offline.service_worker({"index.html": "1" * 64})[1] != version


def test_switched_off_the_service_worker_forgets_what_it_kept_and_removes_itself(served, own_site):
    site, base = own_site
    _, browser = served
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}/tool/")
        expect(page.locator("#tool")).to_have_attribute("data-tool-status", "ready", timeout=READY_MS)
        assert controlled(page)
        # What the build writes with extra.offline false; the next visit picks it up.
        offline.write_service_worker(site, offline=False)
        compress.compress_site(site)
        reader = context.new_page()
        reader.goto(f"{base}/glossary/")
        for _ in range(300):
            left = reader.evaluate("""async () => [
                (await caches.keys()).length,
                (await navigator.serviceWorker.getRegistrations()).length]""")
            if left == [0, 0]:
                break
            reader.wait_for_timeout(100)
        assert left == [0, 0]
        reader.goto(f"{base}/glossary/")  # from the network again
        assert reader.title().startswith("Glossary")
    finally:
        context.close()


@pytest.mark.parametrize("extra, kept", [({}, True), ({"offline": True}, True),
                                         ({"offline": False}, False)])
def test_offline_use_is_on_unless_the_host_sets_it_false(extra, kept):
    assert tool_assets.offline_enabled({"extra": extra}) is kept
