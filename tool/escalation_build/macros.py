"""mkdocs-macros module: each macro hands the partnership's data to a pure renderer.

No rules and no wording live here, so that the renderers outlive the site engine.
"""

from __future__ import annotations

import logging
import re
import sys
from datetime import date
from pathlib import Path
from types import FrameType

import jinja2
import jinja2.meta
from mkdocs.exceptions import PluginError

from escalation.problems import DataError
from escalation_build import pages
from escalation_build.bank_holidays import calendar_for
from escalation_build.markdown_text import DataView, text
from escalation_build.reference import data_reference
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

    env.escalation_macro_problems = []

    # Pages read the data as text: {{ s.name }} shows what the admin wrote, never markup.
    def wrong_field(message: str) -> None:
        _note(env, f"{_page_line(env)}: {message}")

    # A value a page template asks for that is not there (a field of a stage with no
    # timescale, summed over every stage) is noted with the page and line and stops the
    # build after the page, where mkdocs-macros would print a Python traceback.
    class Reported(jinja2.ChainableUndefined):
        def _fail_with_undefined_error(self, *args, **kwargs):
            wrong_field(f"{self._undefined_message} (is it there for every entry?)")
            return self

        __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = \
            __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pos__ = \
            __neg__ = __lt__ = __le__ = __gt__ = __ge__ = __call__ = __getitem__ = \
            _fail_with_undefined_error

        def __str__(self) -> str:
            self._fail_with_undefined_error()
            return ""

        def __iter__(self):
            self._fail_with_undefined_error()
            return iter(())

        def __bool__(self) -> bool:
            self._fail_with_undefined_error()
            return False

        def __len__(self) -> int:
            self._fail_with_undefined_error()
            return 0

        def __contains__(self, item) -> bool:
            self._fail_with_undefined_error()
            return False

    env.escalation_undefined = Reported  # set on the Jinja environment once it exists
    env.variables["partnership"] = DataView(data.partnership, wrong_field)
    env.variables["data"] = DataView(data, wrong_field)
    env.escalation_data = data  # the data itself, for the hook below; not for pages

    macros = {
        "emergency_box": lambda: pages.emergency_box(data),
        "options_at_a_glance": lambda: pages.options_at_a_glance(data),
        "stages_table": lambda procedure=None: pages.stages_table(data, procedure),
        "key_contacts_table": lambda: pages.key_contacts_table(data),
        "contacts_directory": lambda: pages.contacts_directory(data),
        "email_templates": lambda: pages.email_templates(data),
        "blank_form": lambda: pages.blank_form(data),
        "glossary": lambda: pages.glossary(data),
        "email": lambda contact: pages.mailto(data.email_of(contact)),
        "phone": lambda contact: pages.tel(data.phone_of(contact)),
        "contact_name": lambda contact: text(data.contact(contact).name),
        "when": lambda stage, procedure=None: pages.when(data, stage, procedure),
        "stage_count": lambda procedure=None: len(data.procedure(procedure).stages),
        "working_days_note": lambda: pages.working_days_note(data, calendar),
        "tool_page": lambda: pages.tool_page(data, env.conf["extra"]),
        "flowchart": lambda procedure=None, id_prefix=None: pages.flowchart(
            data, procedure, id_prefix),
        "poster": lambda size="a4", procedure=None: pages.poster(data, size, procedure),
        "chooser_tree": lambda: pages.chooser_tree(data),
        "data_reference": lambda: data_reference(data),
    }
    for name, function in macros.items():
        env.macro(_reported(env, name, function), name)


def _reported(env, name: str, function):
    """The macro, with a wrong call (an id that is not in the data, a stage that does not
    exist, a wrong number of arguments) noted for the page rather than raised: a raise
    would end the build with a traceback, where the admin needs the page and the line."""

    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (LookupError, ValueError, TypeError, AttributeError) as error:
            shown = ", ".join([repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()])
            message = str(error) if not isinstance(error, TypeError) else (
                "the macro was called with the wrong arguments: " + re.sub(
                    r"^[\w.<>]*?(<lambda>|\w+)\(\)", name + "()", str(error)))
            _note(env, f"{_page_line(env)}: {{{{ {name}({shown}) }}}}: {message}")
            return ""

    return call


def _note(env, problem: str) -> None:
    if problem not in env.escalation_macro_problems:
        env.escalation_macro_problems.append(problem)


def _source_of(page) -> str:
    """The page's file as the admin knows it: relative to here when it is below here."""
    path = Path(page.abs_src_path) if page.abs_src_path else None
    if path is not None and path.is_relative_to(Path.cwd()):
        return str(path.relative_to(Path.cwd()))
    return str(path or page.src_uri)


def _page_line(env) -> str:
    """'content/page.md, line N' for the macro call being rendered now."""
    page = env.page.file
    where = _source_of(page)
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            line = template.get_corresponding_lineno(frame.f_lineno)
            return f"{where}, line {line + env.escalation_offset}"
        frame = frame.f_back
    return where


def _front_matter_lines(page, markdown: str) -> int:
    """Lines above the Markdown that the macros render: the YAML front matter and the
    blank lines MkDocs takes off after it."""
    source = page.content_string
    return source[:len(source) - len(markdown)].count("\n") if source.endswith(markdown) else 0


def on_pre_page_macros(env):
    """A page whose macros cannot even be read (a misspelt macro name, a missing bracket)
    stops the build here, with the page, the line and what is wrong: mkdocs-macros would
    print a Python traceback instead."""
    env.env.undefined = env.escalation_undefined
    where = _source_of(env.page.file)
    offset = env.escalation_offset = _front_matter_lines(env.page.file, env.markdown)
    try:
        tree = env.env.parse(env.markdown)
        env.env.from_string(env.markdown)  # compiling finds unknown filters and tests
    except jinja2.TemplateSyntaxError as error:
        line = (error.lineno or 0) + offset
        raise PluginError(f"{where}, line {line}: a macro is written wrongly: {error.message}. "
                          "Macros look like {{ stages_table() }}; the page for admins lists "
                          "them") from None
    known = (set(env.env.globals) | set(env.variables) | set(env.macros) | {"page"}
             | set(env.page.meta or {}))
    unknown = sorted(jinja2.meta.find_undeclared_variables(tree) - known)
    if unknown:
        lines = env.markdown.split("\n")
        found = []
        for name in unknown:
            line = next((i + 1 for i, written in enumerate(lines)
                         if re.search(r"\{[{%].*\b" + re.escape(name) + r"\b", written)), 0)
            found.append(f"{where}, line {line + offset}: '{name}' is not a macro or a "
                         "value pages can use")
        raise PluginError("A page names something the site does not have:\n"
                          + "\n".join(f"  {f}" for f in found)
                          + "\n(the page for admins, Adding your partnership, lists the macros)")


def on_post_page_macros(env):
    """Every page gets the glossary's abbreviations, so each term has its tooltip, and a
    page with a record in pages.yaml its review dates and amendments under its title.
    A wrong macro call in the page stops the build here, with the page and the line."""
    if env.escalation_macro_problems:
        problems, env.escalation_macro_problems = env.escalation_macro_problems, []
        raise PluginError("A macro in a page cannot be filled in:\n"
                          + "\n".join(f"  {p}" for p in problems))
    data = env.escalation_data
    record = pages.page_record(data, env.page.file.src_uri, date.today())
    env.markdown = pages.after_title(env.markdown, record)
    env.markdown += "\n\n" + pages.abbreviations(data) + "\n"
