"""Build step: the Content-Security-Policy on every page, and the headers for hosts.

Each page gets a <meta> policy allowing exactly its own inline scripts by hash (Material's
differ from page to page by the base path they carry), once page_scripts.py has found
each of them to be one the theme writes. After the build, the site gets
`_headers` (Netlify, Cloudflare Pages) and `_nginx.conf` with the policy every page needs
as a header. The rules themselves are in tool/escalation_build/csp.py.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from escalation_build.csp import add_meta, header_rules, headers_file, nginx_conf, page_hashes, page_policy
from escalation_build.page_scripts import known_scripts, unknown_markup

log = logging.getLogger("mkdocs.plugins.escalation.csp")


def _with_policy(html: str, name: str, config) -> str:
    problems = unknown_markup(html, known_scripts(config.theme.dirs))
    if problems:
        raise PluginError(f"{name}: the page holds markup that would run a script, which no "
                          "page of this site may: " + "; ".join(problems) + ". Has a data "
                          "field or a page been given HTML? Data text is shown as written.")
    try:
        return add_meta(html, page_policy(page_hashes(html)))
    except ValueError as error:
        raise PluginError(f"{name}: cannot add the Content-Security-Policy: {error}") from None


# Hashed from the final HTML: after every other plugin has had its say, since a script
# changed after hashing would be refused.
@event_priority(-100)
def on_post_page(output: str, page, config) -> str:
    return _with_policy(output, page.file.src_uri, config)


@event_priority(-100)
def on_post_template(output_content: str, template_name: str, config) -> str:
    # Material's 404.html is a template, not a page; sitemap.xml is not HTML at all.
    if not template_name.endswith(".html"):
        return output_content
    return _with_policy(output_content, template_name, config)


def on_post_build(config) -> None:
    site = Path(config["site_dir"])
    hashes = {h for page in site.rglob("*.html")
              for h in page_hashes(page.read_text(encoding="utf-8"))}
    rules = header_rules(hashes)
    (site / "_headers").write_text(headers_file(rules), encoding="utf-8")
    base = urlsplit(config.get("site_url") or "/").path or "/"
    (site / "_nginx.conf").write_text(nginx_conf(rules, base), encoding="utf-8")
    log.info("Content-Security-Policy: %d inline script hashes; _headers and _nginx.conf "
             "written", len(hashes))
