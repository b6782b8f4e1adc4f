"""`escalation serve`: a built site on this machine, with the headers it is published with.

The headers come from the site's own `_headers` file, written by the build, so what the
browser tests and `scripts/serve` see is what Netlify or Cloudflare Pages would send.
Standard library only; for one person's browser or the tests, not for the internet.
"""

from __future__ import annotations

import functools
import http.server
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .csp import CONTENT_TYPES, HeaderRule, headers_for, read_headers_file

HOST = "127.0.0.1"  # never reachable from another machine


class SiteServer(http.server.ThreadingHTTPServer):
    """A threading server that knows the site's header rules."""

    def __init__(self, address, handler, rules: Sequence[HeaderRule], quiet: bool):
        self.rules = tuple(rules)
        self.quiet = quiet
        super().__init__(address, handler)

    def handle_error(self, request, client_address) -> None:
        # A browser that stops a download it no longer needs is not an error.
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    server: SiteServer
    # Module scripts are refused under a wrong MIME type, and nosniff makes the browser
    # hold us to it; the standard library's guesses vary with the machine's mime.types.
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **CONTENT_TYPES}

    def end_headers(self) -> None:
        path = unquote(urlsplit(self.path).path)
        for name, value in headers_for(path, self.server.rules):
            self.send_header(name, value)
        super().end_headers()

    def list_directory(self, path):
        # Hosts do not list folders without an index.html; neither do we.
        self.send_error(404, "File not found")
        return None

    def log_message(self, format: str, *args) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)


def site_server(site: Path, port: int = 0, *, quiet: bool = False) -> SiteServer:
    """A server for a built site on 127.0.0.1 (port 0: any free port), not yet started."""
    headers = Path(site) / "_headers"
    if not headers.is_file():
        raise FileNotFoundError(f"{headers} is missing: build the site first "
                                "(mkdocs build --strict) so that it has its headers")
    rules = read_headers_file(headers.read_text(encoding="utf-8"))
    handler = functools.partial(SiteHandler, directory=str(site))
    return SiteServer((HOST, port), handler, rules, quiet)


def base_url(server: SiteServer) -> str:
    return f"http://{HOST}:{server.server_address[1]}"
