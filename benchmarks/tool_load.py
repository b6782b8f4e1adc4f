"""Print how fast the decision tool loads and answers in Debian's Chromium (headless),
each figure the median of several runs with its min and max, beside its target.

Usage:
    .venv/bin/python benchmarks/tool_load.py [--runs 5]
        builds the site into a temporary folder and serves it on 127.0.0.1 with the
        headers it is published with (tests/browser.py's serve)
    .venv/bin/python benchmarks/tool_load.py --base http://127.0.0.1:8000 [--runs 5]
        measures a site that is already served (scripts/serve, or a copy on a server)

Other work on the machine inflates every time: the first line says how busy the CPUs
were just before the runs. Figures over a throttled network depend less on the CPU.

How each figure is measured (all times are milliseconds since the navigation started,
read inside the page, so Playwright's own polling and round trips are not counted):

- first question answerable: an init script checks, on every animation frame, whether
  the first chooser question's first radio is visible (checkVisibility) and enabled, and
  records performance.now() at the first frame where it is (so to within a frame);
  Playwright then confirms the radio is visible and enabled.
- ready: the startTime of the performance mark "tool-ready" that page.js sets when the
  Python worker has answered its init message; the benchmark waits for
  #tool[data-tool-status="ready"] first. Each run launches Chromium on a new, empty
  profile (a persistent browser context in a temporary folder). Cold: the first visit.
  Warm: a second visit in a new tab of the same context, after the first was ready. A
  persistent profile, not an incognito context, because only on disk does Chromium keep
  V8's compiled WebAssembly (its code cache) between visits, as a real browser does: an
  incognito context's second visit is barely faster than its first.
- bytes: the body and header sizes of every response of a cold visit (the worker's
  requests included), for the tool page until ready and for a content page (in a new
  incognito context) until the network is idle; the content page must request nothing
  under /tool/pyodide/.
- recompute: the durations of the performance measures "tool-recompute" that page.js
  records around each round trip to Python and the re-render, after filling the date
  field "Date of the disagreement or concern arising" with different dates.
- warm waits, after the cold visit, until the service worker has kept the site (as it
  has on any later day); offline: then the network is switched off
  (context.set_offline) and the tool opened in a new tab.
- throttled: a cold visit on a new profile with Chromium's own network throttling
  (DevTools Network.emulateNetworkConditions, which also holds the worker's downloads)
  at 10 Mbit/s down with 40 ms latency, and 1.6 Mbit/s with 150 ms.
- per file: the bytes on the wire (body as sent, with its Content-Encoding) of each file
  of the first cold visit, as `escalation serve` sends them; and what the service worker
  fetches afterwards for the offline copy, computed from the site's files (Brotli copy
  where there is one).

Never wait_for_function with a string here: the site's Content-Security-Policy forbids
the eval it needs. Locators, wait_for_selector and page.evaluate are enough.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM, CHROMIUM_FLAGS, serve  # noqa: E402

TOOL = "/tool/"
CONTENT = "/fast-resolution-process/"
PYODIDE = "/tool/pyodide/"
READY = '#tool[data-tool-status="ready"]'
START_LABEL = "Date of the disagreement or concern arising"
DATES = ("2026-01-05", "2026-02-16", "2026-03-30", "2026-05-22", "2026-07-01", "2026-08-24",
         "2026-10-12", "2026-12-24")
TIMEOUT_MS = 120_000

TARGETS_MS = {"first": 300, "cold": 3000, "warm": 1000, "recompute": 50, "offline": 1500,
              "10 Mbit/s": 8000}
TARGET_TOOL_MIB = 6
# name: (download bits per second, latency in ms)
NETWORKS = {"10 Mbit/s": (10_000_000, 40), "1.6 Mbit/s": (1_600_000, 150)}

# Runs in every document before its own scripts: the first animation frame at which the
# first question's first radio can be answered (shown and enabled).
FIRST_ANSWERABLE = """
(() => {
  const check = () => {
    const radio = document.querySelector("#tool fieldset.tool-question input[type=radio]");
    const shown = radio && radio.checkVisibility({ visibilityProperty: true });
    if (shown && !radio.matches(":disabled")) {
      window.__firstAnswerable = performance.now();
      return;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();
"""


def build_site(out: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)],
                            cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode:
        sys.exit(f"the site did not build:\n{result.stderr}")


def new_page(context, log: list | None = None):
    page = context.new_page()
    if log is not None:
        page.on("requestfinished", lambda request: log.append(request))
    return page


def ms_since_navigation(page) -> float:
    return page.evaluate("performance.now()")


def visit_tool(page, base: str) -> dict:
    """Open the tool and wait until it is ready; the in-page times of both milestones."""
    from playwright.sync_api import expect

    page.goto(base + TOOL)
    radio = page.locator("#tool fieldset.tool-question").first.locator("input[type=radio]").first
    expect(radio).to_be_visible(timeout=TIMEOUT_MS)
    expect(radio).to_be_enabled(timeout=TIMEOUT_MS)
    first = page.evaluate("window.__firstAnswerable ?? null")
    if first is None:  # the frame callback has not run yet: read the clock now
        first = ms_since_navigation(page)
    page.wait_for_selector(READY, timeout=TIMEOUT_MS)
    fallback = ms_since_navigation(page)
    ready = page.evaluate(
        "performance.getEntriesByName('tool-ready', 'mark').map((m) => m.startTime)[0] ?? null")
    return {"first": first, "ready": ready if ready is not None else fallback,
            "marked": ready is not None}


def recomputes(page, dates=DATES) -> list[float]:
    """Fill the start date with each date in turn; the duration of each recompute."""
    def durations() -> list[float]:
        return page.evaluate(
            "performance.getEntriesByName('tool-recompute').map((m) => m.duration)")

    def wait_for(count: int) -> list[float]:
        deadline = time.monotonic() + 30
        while len(seen := durations()) < count:
            if time.monotonic() > deadline:
                raise TimeoutError("no tool-recompute measure: does page.js record it?")
            page.wait_for_timeout(5)
        return seen

    before = len(wait_for(1))  # the refresh page.js runs as soon as it is ready
    field = page.get_by_label(START_LABEL, exact=True)
    for i, day in enumerate(dates, start=1):
        field.fill(day)
        wait_for(before + i)
    return durations()[before:]


def transfer(requests) -> int:
    total = 0
    for request in requests:
        sizes = request.sizes()
        total += max(sizes["responseBodySize"], 0) + max(sizes["responseHeadersSize"], 0)
    return total


def kept_offline(page, timeout_s: float = 120) -> bool:
    """Whether the service worker has kept this version of the site whole."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if page.evaluate("""async () => {
            if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return false;
            for (const name of await caches.keys()) {
              const cache = await caches.open(name);
              if (await cache.match(new URL("/service-worker-files.json", location.href))) return true;
            }
            return false;
        }"""):
            return True
        page.wait_for_timeout(200)
    return False


def throttled(playwright, base: str, network: str) -> dict:
    bits, latency = NETWORKS[network]
    with tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            context.add_init_script(FIRST_ANSWERABLE)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", {
                "offline": False, "latency": latency, "downloadThroughput": bits / 8,
                "uploadThroughput": bits / 8})
            return visit_tool(page, base)
        finally:
            context.close()


def per_file(requests, base: str) -> list[tuple[str, int, str]]:
    rows = []
    for request in requests:
        response = request.response()
        encoding = (response.headers.get("content-encoding") if response else None) or "-"
        rows.append((request.url.removeprefix(base), max(request.sizes()["responseBodySize"], 0),
                     encoding))
    return rows


def offline_copy_bytes(site: Path | None) -> int | None:
    """What the service worker fetches for the whole site, computed from the files."""
    if site is None:
        return None
    sys.path.insert(0, str(ROOT / "tool"))
    from escalation_build.offline import kept_files

    total = 0
    for name in kept_files(site):
        path = site / name
        copy = path.with_name(path.name + ".br")
        total += (copy if copy.exists() else path).stat().st_size
    return total


def measure(playwright, browser, base: str, runs: int) -> dict[str, list]:
    results: dict[str, list] = {k: [] for k in (
        "first_cold", "cold", "first_warm", "warm", "recompute", "tool_bytes", "content_bytes",
        "content_pyodide", "unmarked", "offline", "files", *NETWORKS)}
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as profile:
            context = playwright.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            context.add_init_script(FIRST_ANSWERABLE)
            # Cold: an empty profile. Its requests give the tool page's bytes.
            requests: list = []
            page = new_page(context, requests)
            cold = visit_tool(page, base)
            results["first_cold"].append(cold["first"])
            results["cold"].append(cold["ready"])
            results["unmarked"].append(not cold["marked"])
            results["tool_bytes"].append(transfer(requests))
            if not results["files"]:
                results["files"] = per_file(requests, base)
            results["recompute"].extend(recomputes(page))
            if not kept_offline(page):
                sys.exit("the service worker did not keep the site within 2 minutes")
            page.close()
            # Warm: the same profile, so the same HTTP cache, code cache and service
            # worker; a new tab.
            page = new_page(context)
            warm = visit_tool(page, base)
            results["first_warm"].append(warm["first"])
            results["warm"].append(warm["ready"])
            results["unmarked"].append(not warm["marked"])
            page.close()
            # Offline: no network at all, a new tab.
            context.set_offline(True)
            page = new_page(context)
            results["offline"].append(visit_tool(page, base)["ready"])
            context.close()
        for network in NETWORKS:
            results[network].append(throttled(playwright, base, network)["ready"])

        # A content page, in its own cold context: what it downloads, and no Pyodide.
        context = browser.new_context()
        requests = []
        page = new_page(context, requests)
        page.goto(base + CONTENT, wait_until="networkidle")
        results["content_bytes"].append(transfer(requests))
        results["content_pyodide"].append(sum(1 for r in requests if PYODIDE in r.url))
        context.close()
    return results


def cpu_busy(seconds: float = 1.0) -> float:
    """The share of this machine's CPU time that was busy over the next few moments
    (Linux only; 0 elsewhere): other work skews every figure here."""
    def sample() -> tuple[int, int]:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return sum(fields), fields[3] + fields[4]
    try:
        total1, idle1 = sample()
        time.sleep(seconds)
        total2, idle2 = sample()
    except OSError:
        return 0.0
    return 1 - (idle2 - idle1) / max(1, total2 - total1)


def summary(values: list[float], unit: str = "ms") -> str:
    if unit == "s":
        values = [v / 1000 for v in values]
        fmt = "{:.2f} s"
    elif unit == "MiB":
        values = [v / 1024 / 1024 for v in values]
        fmt = "{:.2f} MiB"
    elif unit == "KiB":
        values = [v / 1024 for v in values]
        fmt = "{:.0f} KiB"
    else:
        fmt = "{:.1f} ms"
    median = fmt.format(statistics.median(values))
    return f"median {median} (min {fmt.format(min(values))}, max {fmt.format(max(values))})"


def verdict(values: list[float], target_ms: float | None) -> str:
    if target_ms is None:
        return ""
    median = statistics.median(values)
    shown = f"{target_ms:.0f} ms" if target_ms < 1000 else f"{target_ms / 1000:g} s"
    return f"target <= {shown}: {'met' if median <= target_ms else 'MISSED'}"


def report(r: dict[str, list], runs: int, base: str, busy: float, version: str,
           offline_bytes: int | None = None) -> None:
    print(f"decision tool, headless Chromium {version}, {base}, {runs} runs each; "
          f"{os.cpu_count()} CPUs, {busy:.0%} busy with other work just before")
    rows = [
        ("first question answerable, cold", r["first_cold"], "s", TARGETS_MS["first"]),
        ("first question answerable, warm", r["first_warm"], "s", TARGETS_MS["first"]),
        ("ready, cold cache", r["cold"], "s", TARGETS_MS["cold"]),
        *((f"ready, cold, {n} ({NETWORKS[n][1]} ms)", r[n], "s", TARGETS_MS.get(n))
          for n in NETWORKS),
        ("ready, warm (second visit)", r["warm"], "s", TARGETS_MS["warm"]),
        ("ready, offline (network off)", r["offline"], "s", TARGETS_MS["offline"]),
        (f"one recompute ({len(r['recompute'])} in all)", r["recompute"], "ms",
         TARGETS_MS["recompute"]),
    ]
    for name, values, unit, target in rows:
        print(f"  {name:34} {summary(values, unit):44} {verdict(values, target)}")
    mib = statistics.median(r["tool_bytes"]) / 2**20
    print(f"  {'tool page downloads (cold)':34} {summary(r['tool_bytes'], 'MiB'):44} "
          f"target <= {TARGET_TOOL_MIB} MiB: {'met' if mib <= TARGET_TOOL_MIB else 'MISSED'}")
    print("  per file, on the wire (first cold visit, until ready):")
    for path, size, encoding in sorted(r["files"], key=lambda f: -f[1]):
        print(f"    {size / 1024:10.1f} KiB  {encoding:5} {path}")
    if offline_bytes is not None:
        print(f"  {'then, in the background':34} {offline_bytes / 2**20:.2f} MiB for the "
              "service worker's offline copy of the whole site (from the files; what the "
              "tool page fetched already comes from the browser's cache)")
    print(f"  {'content page downloads (cold)':34} {summary(r['content_bytes'], 'KiB')}  "
          f"({CONTENT})")
    pyodide = max(r["content_pyodide"])
    print(f"  {'content page requests of Pyodide':34} {pyodide} under {PYODIDE} "
          f"(expected 0: {'ok' if pyodide == 0 else 'WRONG'})")
    if busy > 0.2:
        print("  note: the machine was busy with other work: these times are inflated")
    if any(r["unmarked"]):
        print("  note: page.js set no 'tool-ready' mark; ready was read with performance.now() "
              "after the wait, so it includes Playwright's polling")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--base", help="measure the site served at this URL instead of "
                        "building one (e.g. http://127.0.0.1:8000)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with ExitStack() as stack:
        site = None
        if args.base:
            base = args.base.rstrip("/")
        else:
            site = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "site"
            build_site(site)
            base = stack.enter_context(serve(site))
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        stack.callback(browser.close)
        version = browser.version
        busy = cpu_busy()
        results = measure(playwright, browser, base, args.runs)
        busy_after = cpu_busy()
        offline_bytes = offline_copy_bytes(site)
    report(results, args.runs, base, busy, version, offline_bytes)
    print(f"  the CPUs were {busy_after:.0%} busy with other work just after the runs")


if __name__ == "__main__":
    main()
