"""The `escalation` MkDocs plugin: what every partnership's site needs from the engine.

One plugin rather than hook files, so that a partnership pack's mkdocs.yml, which
inherits the shared configuration (`INHERIT: ../../mkdocs.yml`), has no path to repeat:
MkDocs resolves paths against the pack's own file. It

- adds the shared browser files (stylesheet, print footer, the tool's glue) from
  escalation_build/assets to every site;
- puts the decision tool's files into the built site (tool_assets);
- writes the Content-Security-Policy on every page and the host headers (csp_pages);
- writes the service worker that keeps the site for offline use (offline);
- writes a Brotli and a gzip copy beside every file that compresses (compress), last,
  so that every file is final when it is compressed.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from escalation_build import compress, csp_pages, offline, tool_assets

log = logging.getLogger("mkdocs.plugins.escalation")

ASSETS = Path(__file__).parent / "assets"


class EscalationPlugin(BasePlugin):
    def on_config(self, config):
        return tool_assets.on_config(config)

    def on_files(self, files: Files, config) -> Files:
        for path in sorted(ASSETS.rglob("*")):
            if path.is_file():
                uri = "assets/" + path.relative_to(ASSETS).as_posix()
                if files.get_file_from_path(uri) is None:  # a pack may override one
                    files.append(File.generated(config, uri, abs_src_path=str(path)))
        return files

    # Hashed from the final HTML, after every other plugin: a script changed after
    # hashing would be refused.
    @event_priority(-100)
    def on_post_page(self, output: str, page, config) -> str:
        return csp_pages.on_post_page(output, page, config)

    @event_priority(-100)
    def on_post_template(self, output_content: str, template_name: str, config) -> str:
        return csp_pages.on_post_template(output_content, template_name, config)

    def on_post_build(self, config) -> None:
        tool_assets.on_post_build(config)
        csp_pages.on_post_build(config)
        offline.on_post_build(config)
        counts = compress.compress_site(Path(config["site_dir"]))
        log.info("compressed: %d files, %.1f MiB as %.1f MiB of Brotli (gzip beside it)",
                 counts["files"], counts["bytes"] / 2**20, counts["br"] / 2**20)
