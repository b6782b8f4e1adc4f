"""Real Chromium (Debian's) driven by Playwright, against a site served on 127.0.0.1."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

from escalation_build.serve import base_url, site_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def serve(directory: Path):
    """Serve a built site on 127.0.0.1 (a free port) for the length of the block, with the
    headers in its _headers file: the same server as `escalation serve`, so every browser
    test runs under the Content-Security-Policy the site is published with."""
    server = site_server(directory, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base_url(server)
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()
