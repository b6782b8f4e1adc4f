"""Build-time side of the project: YAML sources, bank holidays, the site's pages and the
`escalation` command. May use third-party packages; the browser never imports it."""
