"""The Content-Security-Policy: on every page as a <meta> tag, as headers for hosts that
can send them, sent by our own server, and holding in real Chromium without breaking
Material's pages or the decision tool's Pyodide worker."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect
from test_site import PAGES

from browser import serve
from conftest import ROOT
from escalation_build import csp

# Pyodide sits in a folder named after the version package-lock.json pins.
PYODIDE_VERSION = json.loads((ROOT / "node_modules" / "pyodide" / "package.json")
                             .read_text(encoding="utf-8"))["version"]

READY_MS = 90_000
META = {"http-equiv": "Content-Security-Policy"}
# Types under which a <script> runs; anything else is a data block the browser skips.
RUNNABLE = {None, "", "module", "text/javascript", "application/javascript"}


def parse(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        assert name not in directives, f"{name} given twice"
        directives[name] = sources
    return directives


def meta_policy(soup: BeautifulSoup) -> str:
    tags = soup.find_all("meta", attrs=META)
    assert len(tags) == 1, f"{len(tags)} policy tags"
    return tags[0]["content"]


def own_hash(text: str) -> str:
    # Worked out here, not with escalation_build.csp, so that a mistake there shows.
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def headers_file_policy(site: Path) -> str:
    text = (site / "_headers").read_text(encoding="utf-8")
    return re.search(r"^\s+Content-Security-Policy: (.+)$", text, re.MULTILINE).group(1)


# The pure functions ---------------------------------------------------------------------

def test_a_script_hash_is_the_one_the_csp_specification_gives():
    # The example in MDN's and the CSP specification's pages on hashes.
    assert csp.script_hash("alert('Hello, world.');") == \
        "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
    # The browser sees CR LF as LF before hashing.
    assert csp.script_hash("a();\r\nb();") == csp.script_hash("a();\nb();")


def test_only_scripts_the_browser_would_run_are_hashed():
    html = ('<script>one()</script><script src="x.js"></script>'
            '<script id="__config" type="application/json">{"a": 1}</script>'
            "<script type='module'>two()</script><SCRIPT type=text/javascript>three()</SCRIPT>")
    assert csp.inline_scripts(html) == ["one()", "two()", "three()"]


def test_the_meta_tag_goes_right_after_the_charset_and_needs_one():
    page = '<html><head><meta charset="utf-8"><title>x</title><script>a()</script></head>'
    out = csp.add_meta(page, csp.page_policy(csp.page_hashes(page)))
    assert out.index('<meta charset="utf-8">') < out.index("Content-Security-Policy") \
        < out.index("<title>")
    with pytest.raises(ValueError):
        csp.add_meta("<html><head><script>a()</script><meta charset=utf-8>", "default-src 'self'")
    with pytest.raises(ValueError):
        csp.add_meta("<html><head><title>no charset</title>", "default-src 'self'")


def test_the_headers_file_reads_back_as_written_and_rules_add_up():
    rules = csp.header_rules(["'sha256-AAAA'"])
    assert csp.read_headers_file(csp.headers_file(rules)) == rules
    page = dict(csp.headers_for("/tool/", rules))
    pyodide = dict(csp.headers_for("/tool/pyodide/pyodide.asm.wasm", rules))
    assert "Cache-Control" not in page
    assert pyodide["Cache-Control"] == csp.PYODIDE_CACHE
    assert pyodide["Content-Security-Policy"] == page["Content-Security-Policy"]


def test_the_nginx_snippet_repeats_every_header_in_each_location():
    rules = csp.header_rules(["'sha256-AAAA'"])
    conf = csp.nginx_conf(rules, "/escalation/")
    blocks = dict(re.findall(r"location (\S+) \{(.*?)\n\}", conf, re.DOTALL))
    assert set(blocks) == {"/escalation/", "/escalation/tool/pyodide/"}
    for location, body in blocks.items():
        sent = re.findall(r'add_header (\S+) "([^"]*)" always;', body)
        path = location.removeprefix("/escalation")
        assert sent == csp.headers_for(path, rules)
    assert "application/wasm wasm;" in blocks["/escalation/tool/pyodide/"]


# The built site -------------------------------------------------------------------------

def html_pages(site: Path) -> list[Path]:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= len(PAGES)
    return pages


def test_every_page_has_its_policy_straight_after_the_charset_before_any_script(built_site):
    for page in html_pages(built_site):
        text = page.read_text(encoding="utf-8")
        head = BeautifulSoup(text, "html.parser").head
        first = head.find_all(["meta", "link", "script", "style", "title", "base"])[:2]
        assert first[0].has_attr("charset"), page
        assert first[1].get("http-equiv") == META["http-equiv"], page
        assert text.index(META["http-equiv"]) < text.index("<script"), page


def test_no_policy_anywhere_allows_inline_code_or_eval(built_site):
    policies = [meta_policy(BeautifulSoup(p.read_text("utf-8"), "html.parser"))
                for p in html_pages(built_site)]
    policies += [(built_site / "_headers").read_text("utf-8"),
                 (built_site / "_nginx.conf").read_text("utf-8")]
    for text in policies:
        for forbidden in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", " * ",
                          "http:", "https:", "blob:"):
            assert forbidden not in text


def test_every_inline_script_is_allowed_by_a_hash_in_its_own_page(built_site):
    every_hash = set()
    checked = 0
    for page in html_pages(built_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        allowed = parse(meta_policy(soup))["script-src"]
        for script in soup.find_all("script", src=False):
            if script.get("type") in RUNNABLE:
                assert own_hash(script.string or "") in allowed, f"{page}: {script}"
                checked += 1
        every_hash |= {s for s in allowed if s.startswith("'sha256-")}
    assert checked >= 2 * len(PAGES)  # Material puts two in every page
    header = parse(headers_file_policy(built_site))
    assert {s for s in header["script-src"] if s.startswith("'sha256-")} == every_hash


def test_the_page_policy_and_the_header_policy_say_what_the_admin_page_says(built_site):
    page = parse(meta_policy(BeautifulSoup((built_site / "index.html").read_text("utf-8"),
                                           "html.parser")))
    assert page["default-src"] == ["'self'"]
    assert page["style-src"] == ["'self'"]
    assert page["img-src"] == ["'self'", "data:"]
    assert page["object-src"] == ["'none'"]
    assert page["base-uri"] == ["'self'"]
    assert page["form-action"] == ["'none'"]
    # A meta tag cannot carry frame-ancestors (Chromium complains), and the pages
    # themselves compile no WebAssembly.
    assert "frame-ancestors" not in page and "'wasm-unsafe-eval'" not in page["script-src"]
    header = parse(headers_file_policy(built_site))
    assert header["frame-ancestors"] == ["'none'"]
    assert "'wasm-unsafe-eval'" in header["script-src"]
    assert {k: v for k, v in header.items() if k not in ("script-src", "frame-ancestors")} == \
        {k: v for k, v in page.items() if k != "script-src"}


def test_no_form_on_the_site_sends_anything(built_site):
    # form-action 'none' holds only while the one form is Material's search box, which
    # Material's own script answers in the page.
    for page in html_pages(built_site):
        for form in BeautifulSoup(page.read_text("utf-8"), "html.parser").find_all("form"):
            assert form.get("class") == ["md-search__form"] and not form.get("action"), page


def test_nginx_and_the_headers_file_send_the_same_headers(built_site):
    rules = csp.read_headers_file((built_site / "_headers").read_text("utf-8"))
    conf = (built_site / "_nginx.conf").read_text("utf-8")
    blocks = re.findall(r"location (\S+) \{(.*?)\n\}", conf, re.DOTALL)
    assert len(blocks) == len(rules)
    for rule, (location, body) in zip(rules, blocks, strict=True):
        folder = rule.pattern.removesuffix("*")
        assert location.endswith(folder)  # under the path of site_url
        assert re.findall(r'add_header (\S+) "([^"]*)" always;', body) == \
            csp.headers_for(folder, rules)


# Our own server -------------------------------------------------------------------------

def fetch(url: str):
    try:
        return urllib.request.urlopen(url)
    except urllib.error.HTTPError as error:  # a 404 carries its headers too
        return error


def test_the_server_sends_the_headers_of_the_headers_file(built_site):
    policy = headers_file_policy(built_site)
    with serve(built_site) as base:
        for path in ("/", "/tool/", "/assets/tool/worker.js",
                     f"/tool/pyodide/{PYODIDE_VERSION}/pyodide.mjs",
                     "/no-such-page/"):
            response = fetch(base + path)
            assert response.headers["Content-Security-Policy"] == policy, path
            assert response.headers["X-Content-Type-Options"] == "nosniff", path
            assert response.headers["Referrer-Policy"] == "no-referrer", path
        assert fetch(base + "/").headers["Cache-Control"] is None
        assert fetch(base + "/assets/tool/worker.js").headers["Content-Type"] == "text/javascript"
        wasm = fetch(base + f"/tool/pyodide/{PYODIDE_VERSION}/pyodide.asm.wasm")
        assert wasm.headers["Content-Type"] == "application/wasm"
        assert wasm.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        module = fetch(base + f"/tool/pyodide/{PYODIDE_VERSION}/pyodide.mjs")
        assert module.headers["Content-Type"] == "text/javascript"
        assert "immutable" in module.headers["Cache-Control"]
        lock = fetch(base + f"/tool/pyodide/{PYODIDE_VERSION}/pyodide-lock.json")
        assert lock.headers["Content-Type"] == "application/json"
        assert fetch(base + f"/tool/pyodide/{PYODIDE_VERSION}/").status == 404  # no listings


def test_escalation_serve_refuses_a_site_without_its_headers(tmp_path):
    (tmp_path / "index.html").write_text("<p>not built by mkdocs</p>")
    result = subprocess.run([sys.executable, "-m", "escalation_build.cli", "serve",
                             str(tmp_path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "_headers is missing" in result.stderr


def test_escalation_serve_sends_the_headers(built_site):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "escalation_build.cli", "serve",
                               str(built_site), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              cwd=ROOT)
    try:
        for _ in range(100):
            try:
                response = urllib.request.urlopen(f"http://127.0.0.1:{port}/tool/")
                break
            except urllib.error.URLError:
                time.sleep(0.1)
        else:
            pytest.fail("escalation serve did not answer")
        assert response.headers["Content-Security-Policy"] == headers_file_policy(built_site)
    finally:
        server.terminate()
        server.wait(timeout=10)


# Real Chromium --------------------------------------------------------------------------

# Runs before the page's own scripts, through the DevTools protocol, so the policy does
# not stop it; it hands every violation the page reports to the test, across navigations.
RECORD_VIOLATIONS = """
document.addEventListener("securitypolicyviolation",
  (e) => window.reportViolation(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.fixture
def page(served):
    base, browser = served
    context = browser.new_context()
    found: list[str] = []
    context.expose_function("reportViolation", lambda text: found.append(text))
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()

    def listen(message):
        text = message.text.lower()
        if "content security policy" in text or "content-security-policy" in text:
            found.append(message.text)

    page.on("console", listen)
    page.on("worker", lambda worker: worker.on("console", listen))
    page.base, page.violations = base, found
    yield page
    context.close()


def violations(page) -> list[str]:
    page.wait_for_timeout(100)  # reports arrive a moment after what caused them
    return page.violations


def worker(page, name: str):
    found = [w for w in page.workers if w.url.endswith(name)]
    assert found, f"no worker {name} among {[w.url for w in page.workers]}"
    return found[0]


@pytest.mark.parametrize("path", PAGES)
def test_the_page_works_under_the_policy_without_a_single_violation(page, path):
    page.goto(f"{page.base}/{path.removesuffix('index.html')}")
    if path == "tool/index.html":
        expect(page.locator("#tool")).to_have_attribute("data-tool-status", "ready",
                                                        timeout=READY_MS)
    # Material's search runs in its own worker from the site.
    page.locator("input.md-search__input").click()
    page.keyboard.type("surrey")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    page.keyboard.press("Enter")  # follows a result; the form itself is never sent
    expect(page).to_have_url(re.compile(r"\?h="))  # Material's own link to the result
    assert violations(page) == []


def test_the_tools_worker_is_under_the_header_policy_and_may_compile_webassembly(page):
    page.goto(f"{page.base}/tool/")
    expect(page.locator("#tool")).to_have_attribute("data-tool-status", "ready",
                                                    timeout=READY_MS)
    tool_worker = worker(page, "/assets/tool/worker.js")
    # connect-src falls back to default-src 'self', which a data: URL is not.
    assert tool_worker.evaluate(
        "() => fetch('data:text/plain,x').then(() => 'fetched', () => 'refused')") == "refused"
    assert tool_worker.evaluate(
        "() => WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])) && "
        "new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])) !== null")
    # The page itself compiles no WebAssembly and may not.
    assert page.evaluate("""() => { try { new WebAssembly.Module(
        new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); return 'compiled' }
        catch (e) { return 'refused' } }""") == "refused"
    assert violations(page) != []  # that refusal is reported, so the listener works


def test_without_the_header_the_worker_would_be_unguarded(page):
    # The test above can fail: strip the header from worker.js and the worker may fetch.
    def without_policy(route):
        response = route.fetch()
        headers = {k: v for k, v in response.headers.items()
                   if k.lower() != "content-security-policy"}
        route.fulfill(response=response, headers=headers)

    page.route("**/assets/tool/worker.js", without_policy)
    page.goto(f"{page.base}/tool/")
    expect(page.locator("#tool")).to_have_attribute("data-tool-status", "ready",
                                                    timeout=READY_MS)
    assert worker(page, "/assets/tool/worker.js").evaluate(
        "() => fetch('data:text/plain,x').then(() => 'fetched', () => 'refused')") == "fetched"


INJECTED = '<script>document.documentElement.dataset.injected = "ran"</script>'


@pytest.mark.parametrize("delivery", ["meta tag alone, as on GitHub Pages", "header alone"])
def test_an_injected_inline_script_is_refused_and_reported(page, delivery):
    def inject(route):
        response = route.fetch()
        html = response.text().replace("</body>", INJECTED + "</body>")
        headers = dict(response.headers)
        if delivery.startswith("meta"):
            headers = {k: v for k, v in headers.items()
                       if k.lower() != "content-security-policy"}
        else:
            html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
        route.fulfill(response=response, body=html, headers=headers)

    page.route(f"{page.base}/", inject)
    page.goto(f"{page.base}/")
    expect(page.locator("input.md-search__input")).to_be_visible()
    assert page.locator("html").get_attribute("data-injected") is None
    # Material's own inline scripts, allowed by their hashes, did run.
    assert page.evaluate("() => typeof __md_scope") == "object"
    assert any("script-src" in v for v in violations(page))
