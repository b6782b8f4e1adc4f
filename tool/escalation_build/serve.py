"""`escalation serve`: a built site on this machine, with the headers it is published with.

The headers come from the site's own `_headers` file, written by the build, so what the
browser tests and `scripts/serve` see is what Netlify or Cloudflare Pages would send.
A file with a Brotli (x.br) or gzip (x.gz) copy beside it, as the build writes, is sent
as that copy with `Content-Encoding` when the browser says it accepts it, as nginx's
brotli_static and gzip_static do; else as it is. A request it cannot read (a bad request
line, an address too long) gets its 4xx status and one line in the log.
Standard library only; for one person's browser or the tests, not for the internet.
"""

from __future__ import annotations

import functools
import http
import http.server
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .csp import CONTENT_TYPES, HeaderRule, headers_for, read_headers_file

HOST = "127.0.0.1"  # never reachable from another machine
# The copies the build writes beside a file, in the order preferred.
VARIANTS = (("br", ".br"), ("gzip", ".gz"))
_LOGGED_REQUEST = 200  # characters of a request line worth a log line


def accepted_encodings(header: str | None) -> set[str]:
    """The content codings an Accept-Encoding header accepts (q=0 refuses one)."""
    accepted, refused, star = set(), set(), False
    for item in (header or "").split(","):
        name, _, params = item.strip().partition(";")
        name = name.strip().lower()
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if not name:
            continue
        if name == "*":
            star = q > 0
        elif q > 0:
            accepted.add(name)
        else:
            refused.add(name)
    if star:
        accepted |= {coding for coding, _ in VARIANTS} - refused
    return accepted - refused


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

    # A request line it cannot read is answered as HTTP/1.0 (the standard library's
    # default, 0.9, sends no status line at all, so the client cannot tell what failed).
    default_request_version = "HTTP/1.0"
    _vary = False
    _error = ""

    def end_headers(self) -> None:
        # A request line that could not be read has no path: the site-wide headers apply.
        path = unquote(urlsplit(self.path).path) if hasattr(self, "path") else "/"
        for name, value in headers_for(path, self.server.rules):
            self.send_header(name, value)
        if self._vary:
            self.send_header("Vary", "Accept-Encoding")
        super().end_headers()

    def _file(self) -> str | None:
        """The file a GET or HEAD would send, if it is a plain file."""
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not urlsplit(self.path).path.endswith("/"):
                return None  # the standard handler redirects to the folder
            path = os.path.join(path, "index.html")
        return path if os.path.isfile(path) else None

    def send_head(self):
        path = self._file()
        copies = [(coding, path + suffix) for coding, suffix in VARIANTS
                  if path and os.path.isfile(path + suffix)]
        self._vary = bool(copies)
        accepted = accepted_encodings(self.headers.get("Accept-Encoding"))
        chosen = next(((c, p) for c, p in copies if c in accepted), None)
        if chosen is None:
            return super().send_head()
        coding, variant = chosen
        try:
            body = open(variant, "rb")
        except OSError:
            return super().send_head()
        stat = os.fstat(body.fileno())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", coding)
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        return body

    def send_error(self, code, message=None, explain=None) -> None:
        self._error = message or ""
        super().send_error(code, message, explain)

    def log_error(self, format: str, *args) -> None:
        # send_error logs the status line itself (log_request), with the reason: one line.
        pass

    def log_request(self, code="-", size="-") -> None:
        if isinstance(code, http.HTTPStatus):
            code = code.value
        line = getattr(self, "requestline", "")
        if len(line) > _LOGGED_REQUEST:
            line = line[:_LOGGED_REQUEST] + "..."
        reason = f" ({self._error})" if self._error else ""
        self.log_message('"%s" %s %s%s', line, str(code), str(size), reason)

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
