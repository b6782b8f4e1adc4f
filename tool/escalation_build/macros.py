"""mkdocs-macros module: each macro hands the partnership's data to a pure renderer.

No rules and no wording live here, so that the renderers outlive the site engine.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from mkdocs.exceptions import PluginError

from escalation.problems import DataError
from escalation_build import pages
from escalation_build.bank_holidays import calendar_for
from escalation_build.sources import load_data_dir

log = logging.getLogger("mkdocs.plugins.escalation")


def _data_dir(env) -> Path:
    config_dir = Path(env.conf["config_file_path"]).parent
    return config_dir / env.conf["extra"].get("data_dir", "data")


def define_env(env):
    data_dir = _data_dir(env)
    try:
        data, warnings = load_data_dir(data_dir, today=date.today())
    except DataError as error:
        # Stops `mkdocs build`: a wrong fact must never be published.
        raise PluginError(str(error)) from None
    if warnings:
        # Info, not a MkDocs warning: a stale contact must not fail a --strict build.
        log.info(f"{len(warnings)} data warning(s), such as contacts not verified for over "
                 f"a year: run `escalation check {data_dir}` to list them")

    docs_dir = Path(env.conf["docs_dir"])
    for record in data.pages.pages if data.pages else ():
        if not (docs_dir / record.page).is_file():
            raise PluginError(f"{data_dir / 'pages.yaml'}: pages[{record.page}].page: there is "
                              f"no page '{record.page}' in {docs_dir}")

    calendar = calendar_for(data.partnership, date.today())
    log.info(f"bank holidays known from {calendar.first_year} to {calendar.last_year}")

    env.variables["partnership"] = data.partnership
    env.variables["data"] = data

    macros = {
        "emergency_box": lambda: pages.emergency_box(data),
        "options_at_a_glance": lambda: pages.options_at_a_glance(data),
        "stages_table": lambda procedure=None: pages.stages_table(data, procedure),
        "key_contacts_table": lambda: pages.key_contacts_table(data),
        "contacts_directory": lambda: pages.contacts_directory(data),
        "email_templates": lambda: pages.email_templates(data),
        "fast_form": lambda: pages.fast_form(data),
        "glossary": lambda: pages.glossary(data),
        "email": lambda contact: pages.mailto(data.email_of(contact)),
        "phone": lambda contact: pages.tel(data.phone_of(contact)),
        "contact_name": lambda contact: data.contact(contact).name,
        "when": lambda stage, procedure=None: pages.when(data, stage, procedure),
        "stage_count": lambda procedure=None: len(data.procedure(procedure).stages),
        "working_days_note": lambda: pages.working_days_note(data, calendar),
        "tool_page": lambda: pages.tool_page(data, env.conf["extra"]),
        "flowchart": lambda procedure=None, id_prefix=None: pages.flowchart(
            data, procedure, id_prefix),
        "poster": lambda size="a4", procedure=None: pages.poster(data, size, procedure),
        "chooser_tree": lambda: pages.chooser_tree(data),
    }
    for name, function in macros.items():
        env.macro(function, name)


def on_post_page_macros(env):
    """Every page gets the glossary's abbreviations, so each term has its tooltip, and a
    page with a record in pages.yaml its review dates and amendments under its title."""
    data = env.variables["data"]
    record = pages.page_record(data, env.page.file.src_uri, date.today())
    env.markdown = pages.after_title(env.markdown, record)
    env.markdown += "\n\n" + pages.abbreviations(data) + "\n"
