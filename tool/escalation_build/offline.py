"""Build step: the service worker that keeps the site on the device for offline use.

It is written into the site's root (its scope is the whole site) with the list of every
file it keeps and the SHA-256 of each, so that a new build is a new worker, installed in
the background beside the old one (escalation_build/service_worker.js says how it
behaves). The tool page registers it once the calculator is ready.
`extra: {offline: false}` in mkdocs.yml writes a worker that removes itself and what an
earlier one kept, and the tool page no longer registers one (content/admin/publishing.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from escalation_build.tool_assets import offline_enabled

log = logging.getLogger("mkdocs.plugins.escalation.offline")

TEMPLATE = Path(__file__).parent / "service_worker.js"
NAME = "service-worker.js"
# For hosts and the server, never for the browser's offline copy.
NOT_KEPT = {"_headers", "_nginx.conf", NAME, "sitemap.xml", "sitemap.xml.gz"}
COPIES = (".br", ".gz")


def kept_files(site: Path) -> dict[str, str]:
    """Every file the browser may need offline, by its path in the site, with the SHA-256
    of its contents: all but the hosts' files and the compressed copies of other files."""
    files = {}
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if not path.is_file() or name in NOT_KEPT:
            continue
        if path.suffix in COPIES and path.with_suffix("").is_file():
            continue  # x.br or x.gz beside x: the same file, compressed for the wire
        files[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def service_worker(files: dict[str, str], offline: bool = True) -> tuple[str, str]:
    """The service worker's text for these files, and its version."""
    version = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    text = TEMPLATE.read_text(encoding="utf-8")
    for placeholder, value in (('"@VERSION@"', json.dumps(version)),
                               ('"@OFFLINE@" === "true"', json.dumps(offline)),
                               ('JSON.parse("@FILES@")', json.dumps(files, sort_keys=True))):
        if placeholder not in text:
            raise ValueError(f"{TEMPLATE.name} has lost its {placeholder}")
        text = text.replace(placeholder, value)
    return text, version


def write_service_worker(site: Path, offline: bool = True) -> str:
    """Write service-worker.js for the site as it is now; its version."""
    text, version = service_worker(kept_files(site) if offline else {}, offline)
    (site / NAME).write_text(text, encoding="utf-8")
    return version


def on_post_build(config) -> None:
    site = Path(config["site_dir"])
    offline = offline_enabled(config)
    version = write_service_worker(site, offline)
    log.info("service worker %s: %s", version,
             "keeps the site for offline use" if offline else "switched off (extra.offline)")
