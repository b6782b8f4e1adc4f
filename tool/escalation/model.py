"""The partnership's facts as frozen dataclasses.

These classes are the schema of the data files: `reading.read_file` builds them from
plain data (YAML at build time, JSON in the browser) and reports what does not fit,
field by field. Field metadata says what each field holds (shown to admins), how it
is checked, and what it refers to.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Unit = Literal["working days", "calendar days", "hours"]
# A template addressed to whichever agency the practitioner picks from the directory.
CHOSEN_AGENCY = "chosen agency"

_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
# One rule for every id in the data (contacts, stages, questions, form fields, template
# placeholders...): ids go into web addresses, page attributes and the tool's state, so
# they are plain lower-case words joined by single hyphens or underscores, and never a
# name JavaScript objects already have.
ID_PATTERN = r"[a-z0-9]+(?:[-_][a-z0-9]+)*"
_ID = re.compile(ID_PATTERN)
_RESERVED_IDS = {"constructor", "prototype"}
MAX_ID_LENGTH = 60
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
# Numbers a UK practitioner may be told to ring that are not eleven digits long.
_SHORT_NUMBERS = {"999", "112", "111", "101"}

# What each check allows, said again as JSON Schema keywords, for the schemas that let an
# admin's editor check a data file as it is typed (escalation_build.schemas). The two are
# written side by side; tests/test_schemas.py holds that they agree.
CHECK_SCHEMAS: dict[Callable[..., str | None], dict[str, Any]] = {}


def schema(says: str, **keywords: Any):
    """Record the JSON Schema keywords that mean what the check decorated allows; `says`
    is the editor's message when a value does not fit."""
    def record(check):
        CHECK_SCHEMAS[check] = {**keywords, "patternErrorMessage": says[0].upper() + says[1:]}
        return check
    return record


def _any_case(word: str) -> str:
    """A regular expression for the word in any mix of cases (JSON Schema has no flags)."""
    return "".join(f"[{c.upper()}{c}]" if c.isalpha() else c for c in word)


# A UK number in digits and spaces (the same as check_uk_phone, for the schemas).
_PHONE = r" *(?:0(?: *[0-9]){10}|9 *9 *9|1 *1 *[12]|1 *0 *1) *"


@schema("not a complete email address: a name, an '@' and a domain with a dot, such as "
        "team@example.gov.uk", pattern=_EMAIL.pattern)
def check_email(value: str) -> str | None:
    if "@" not in value:
        return (
            f"'{value}' is not an email address: it has no '@' and no domain "
            "(an address looks like team@example.gov.uk)"
        )
    if not _EMAIL.fullmatch(value):
        return (
            f"'{value}' is not a complete email address: it needs a name, an '@' "
            "and a domain with a dot, such as team@example.gov.uk"
        )
    return None


@schema("not a UK phone number: 11 digits starting with 0, in quotes, such as "
        "\"0300 470 9100\", or an emergency number such as 999", pattern=f"^{_PHONE}$")
def check_uk_phone(value: str) -> str | None:
    if not re.fullmatch(r"[0-9 ]+", value):
        return f"'{value}' is not a UK phone number: use only digits and spaces"
    digits = value.replace(" ", "")
    if digits in _SHORT_NUMBERS:
        return None
    if len(digits) == 11 and digits.startswith("0"):
        return None
    return (
        f"'{value}' is not a UK phone number: expected 11 digits starting with 0 "
        "(such as 0300 470 9100) or an emergency number such as 999"
    )


@schema("not a usable id: lower-case letters and digits, with single hyphens or "
        "underscores between words, such as 'east-surrey-hospital'",
        pattern=f"^{ID_PATTERN}$", maxLength=MAX_ID_LENGTH,
        **{"not": {"enum": sorted(_RESERVED_IDS)}})
def check_id(value: str) -> str | None:
    if value in _RESERVED_IDS:
        return f"'{value}' is a word the browser reserves: choose another id"
    if len(value) > MAX_ID_LENGTH:
        return f"an id of {len(value)} characters is too long: use {MAX_ID_LENGTH} or fewer"
    if _ID.fullmatch(value):
        return None
    return (
        f"'{value}' is not a usable id: use lower-case letters and digits, with single "
        "hyphens or underscores between words, such as 'east-surrey-hospital'"
    )


_TERM = re.compile(r"[A-Za-z0-9][A-Za-z0-9 &'./()+-]*")


@schema("not a term the glossary can mark: an abbreviation or short phrase of letters, "
        "digits, spaces and & ' . / ( ) + -", pattern=f"^{_TERM.pattern}$", maxLength=60)
def check_term(value: str) -> str | None:
    if _TERM.fullmatch(value) and len(value) <= 60:
        return None
    return (f"'{value}' is not a term the glossary can mark in the text: a term is an "
            "abbreviation or a short phrase of letters, digits, spaces and & ' . / ( ) + -")


@dataclass(frozen=True)
class within_range:  # lower case: used as a check function, like the others
    """A check for a whole number that must lie between low and high (the schemas read
    the bounds)."""

    low: int
    high: int
    what: str

    def __post_init__(self):
        CHECK_SCHEMAS[self] = {"minimum": self.low, "maximum": self.high}

    def __call__(self, value: int) -> str | None:
        if self.low <= value <= self.high:
            return None
        return f"{value} is not a sensible {self.what}: use {self.low} to {self.high}"


@schema("not a time of day: HH:MM in quotes, such as \"09:00\"", pattern=_TIME.pattern)
def check_time(value: str) -> str | None:
    if _TIME.fullmatch(value):
        return None
    return f"'{value}' is not a time of day: write it as HH:MM in quotes, such as \"09:00\""


_STAGE_WORD = re.compile(r"[a-z]+")


@schema("not a word for the procedure's stages: one lower-case word of letters, in the "
        "singular, such as 'stage' or 'step'", pattern=f"^{_STAGE_WORD.pattern}$", maxLength=30)
def check_stage_word(value: str) -> str | None:
    if _STAGE_WORD.fullmatch(value) and len(value) <= 30:
        return None
    return (f"'{value}' is not a word for the procedure's stages: write one lower-case word "
            "of letters, in the singular, such as 'stage' or 'step' (the site adds an 's' "
            "for more than one and a capital where a sentence begins)")


def is_required(f: dataclasses.Field) -> bool:
    """Whether a data file must give the field: it has no default (see `required`)."""
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def required(doc: str, **kwargs):
    return field(metadata={"doc": doc, "check": kwargs.get("check"), "ref": kwargs.get("ref")})


def optional(doc: str, default=None, **kwargs):
    return field(
        default=default,
        metadata={"doc": doc, "check": kwargs.get("check"), "ref": kwargs.get("ref")},
    )


# --- partnership.yaml -------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    country: str = required("Country code for bank holidays, such as GB.")
    subdivision: str = required(
        "Part of the country whose bank holidays apply: ENG (England), WLS (Wales), "
        "SCT (Scotland) or NIR (Northern Ireland)."
    )


@dataclass(frozen=True)
class ClosureDay:
    date: date = required("A local closure day that is not a working day (YYYY-MM-DD).")
    name: str = required("What the day is, such as 'County council closure day'.")


@dataclass(frozen=True)
class Emergency:
    police: str = required("Police emergency contact (999).", ref="contact")
    in_hours: str | None = optional(
        "Contact to ring in its opening hours, such as the children's front door. Leave "
        "out when the procedure gives no number: the box then shows the note.", ref="contact")
    out_of_hours: str | None = optional("Contact to ring out of hours.", ref="contact")
    note: str | None = optional(
        "What else to do straight away, in a sentence, shown in the emergency box (such "
        "as whom to refer to when the procedure gives no phone number).")


@dataclass(frozen=True)
class Partnership:
    """The partnership itself: who it is, where its bank holidays come from, and whom to
    ring when a child is at immediate risk."""

    id: str = required("Short id of the partnership, such as 'surrey'.", check=check_id)
    name: str = required("Full name, such as 'Surrey Safeguarding Children Partnership'.")
    short_name: str = required("Abbreviation used in the text, such as 'SSCP'.")
    area: str = required("The area covered, such as 'Surrey'.")
    region: Region = required("Where bank holidays are taken from.")
    holiday_years_before: int = required(
        "How many years before this year the bank holiday list covers.",
        check=within_range(1, 10, "number of years before"),
    )
    holiday_years_after: int = required(
        "How many years after this year the bank holiday list covers.",
        check=within_range(5, 30, "number of years ahead"),
    )
    emergency: Emergency = required("Who to ring when a child is at immediate risk.")
    main_procedure: str = required("The procedure the tool plans by default.", ref="procedure")
    closure_days: tuple[ClosureDay, ...] = optional(
        "Local closure days that are not working days.", default=()
    )
    about: str = optional(
        "Whom the procedure is about, as a noun: 'child' (the default), or for a procedure "
        "shared with adults' services, such as 'child, young person or adult'. The site says "
        "'If a child is in immediate danger' with it.", default="child")


# --- contacts.yaml ----------------------------------------------------------------


_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_WORDS = {"weekdays": range(5), "weekends": range(5, 7), "every day": range(7)}


def days_of(value: str) -> frozenset[int] | None:
    """The weekdays (Monday 0) that 'weekdays', 'weekends', 'every day', 'friday',
    'monday to thursday' or 'saturday and sunday' name; None if it names none."""
    found: set[int] = set()
    for part in re.split(r"\s*(?:,|\band\b)\s*", value.strip().lower()):
        if part in _DAY_WORDS:
            found.update(_DAY_WORDS[part])
        elif part in _DAY_NAMES:
            found.add(_DAY_NAMES.index(part))
        elif (m := re.fullmatch(r"(\w+) to (\w+)", part)) and {m[1], m[2]} <= set(_DAY_NAMES):
            first, last = _DAY_NAMES.index(m[1]), _DAY_NAMES.index(m[2])
            if first > last:
                return None
            found.update(range(first, last + 1))
        else:
            return None
    return frozenset(found) or None


def _days_pattern() -> str:
    """days_of's grammar as one regular expression: words, days and ranges that run
    forwards, joined by commas or 'and', in any case."""
    ranges = [f"{a} to {b}" for i, a in enumerate(_DAY_NAMES) for b in _DAY_NAMES[i:]]
    part = "(?:" + "|".join(_any_case(w) for w in (*_DAY_WORDS, *ranges, *_DAY_NAMES)) + ")"
    return rf"^\s*{part}(?:\s*(?:,|\b{_any_case('and')}\b)\s*{part})*\s*$"


@schema("not a set of days: 'weekdays', 'weekends', 'every day', a day such as 'friday', "
        "a range such as 'monday to thursday', or days joined by 'and'",
        pattern=_days_pattern())
def check_days(value: str) -> str | None:
    if days_of(value) is not None:
        return None
    return (f"'{value}' is not a set of days: write 'weekdays', 'weekends', 'every day', a "
            "day such as 'friday', a range such as 'monday to thursday', or days joined by "
            "'and'")


# (Written without a backslash before the quotes, so that JavaScript reads it too.)
_WEB_ADDRESS = re.compile(r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/[^\s<>" "\"'" r"]*)?")


@schema("not a web address: write it in full, starting with https://",
        pattern=f"^{_WEB_ADDRESS.pattern}$")
def check_web_address(value: str) -> str | None:
    if _WEB_ADDRESS.fullmatch(value):
        return None
    return f"'{value}' is not a web address: write it in full, starting with https://"


@schema("not a textphone number: a UK number in quotes, or one through Relay UK such as "
        "\"18001 0151 496 0000\"", pattern=f"^(?:1800[01] {_PHONE}|{_PHONE})$")
def check_textphone(value: str) -> str | None:
    """A textphone number, or one dialled through Relay UK (18001 or 18000 first)."""
    relay = re.fullmatch(r"1800[01] (.+)", value)
    return check_uk_phone(relay.group(1) if relay else value)


@dataclass(frozen=True)
class Hours:
    days: str = required(
        "Which days these hours are for: 'weekdays', 'weekends', 'every day', a day such as "
        "'friday', or a range such as 'monday to thursday'.", check=check_days)
    opens: str = required("Opening time, HH:MM in quotes.", check=check_time)
    closes: str = required("Closing time, HH:MM in quotes.", check=check_time)
    closed_on_bank_holidays: bool = optional(
        "Whether the line is closed on bank holidays and closure days.", default=True
    )


@dataclass(frozen=True)
class ContactGroup:
    id: str = required("Short id of the group.", check=check_id)
    name: str = required("Heading shown in the directory.")
    description: str | None = optional("What the group is for and whom to ask.")
    partner: str | None = optional(
        "The partner the group belongs to, when several groups share one (such as Health)."
    )
    key_contact: bool = optional(
        "Whether the group is listed in the procedure's key contacts table.", default=True
    )


@dataclass(frozen=True)
class Contact:
    id: str = required("Short id of the contact, used by other files.", check=check_id)
    group: str = required("Directory group the contact is listed under.", ref="group")
    name: str = required("Organisation or service, as practitioners know it.")
    verified: date = required("The date someone last checked these details (YYYY-MM-DD).")
    team: str | None = optional("Team or role to ask for.")
    note: str | None = optional(
        "When to use this contact, in a sentence; for a role with no email or phone, how to "
        "reach it.")
    email: str | None = optional("Email address.", check=check_email)
    phone: str | None = optional("Phone number, in quotes, such as \"0300 470 9100\".",
                                 check=check_uk_phone)
    phone_note: str | None = optional("When the phone line is staffed, in words.")
    hours: tuple[Hours, ...] = optional(
        "When the phone line is open, for the emergency box: one entry per set of days "
        "(Sefton's front door: monday to thursday until 17:30, friday until 16:00).",
        default=())
    textphone: str | None = optional("Textphone (minicom) number, in quotes, or one through "
                                     "Relay UK such as \"18001 0151 496 0000\".",
                                     check=check_textphone)
    address: str | None = optional("Postal address, on one line with commas, when the "
                                   "procedure gives it.")
    web: str | None = optional(
        "A web page to reach the contact through, in full (https://...), when the procedure "
        "gives one, such as a directory search for the agency's liaison officer.",
        check=check_web_address)
    same_as: str | None = optional(
        "Another contact whose email and phone this one uses (one fact, one place).",
        ref="contact",
    )
    role: str | None = optional("The role this contact holds for its agency (an id from "
                                "'roles'), such as 'spoc'.", check=check_id)


@dataclass(frozen=True)
class Role:
    id: str = required("Short id of the role, such as 'spoc'.", check=check_id)
    name: str = required("The role as the procedure names it, such as 'single point of "
                         "contact'.")


@dataclass(frozen=True)
class Contacts:
    """The contacts directory: every page, the poster, the emails and the tool read
    contacts from here."""

    groups: tuple[ContactGroup, ...] = required("Directory groups, in the order shown.")
    contacts: tuple[Contact, ...] = required("Every contact, in the order shown.")
    roles: tuple[Role, ...] = optional(
        "Roles each agency has its own holder of (Cheshire East's single points of contact "
        "per agency): a contact says which it holds, and a stage which to contact in the "
        "other agency.", default=())


# --- stages.yaml ------------------------------------------------------------------


# What a timescale may be counted from, besides the id of a step in the same procedure.
# "start": the day (and, for hours, the time) the process began; "previous stage": the day
# the stage before was completed (stages only); "stage start": the day the step's own stage
# began; "previous step": the day the step before in the same stage was done.
COUNTED_FROM = ("start", "previous stage", "stage start", "previous step")


@schema("not something a timescale can be counted from: "
        + ", ".join(f"'{w}'" for w in COUNTED_FROM) + " or the id of a step",
        pattern=f"^(?:{'|'.join(COUNTED_FROM)}|{ID_PATTERN})$")
def check_counted_from(value: str) -> str | None:
    if value in COUNTED_FROM or _ID.fullmatch(value):
        return None
    return (f"'{value}' is not something a timescale can be counted from: use "
            + ", ".join(f"'{w}'" for w in COUNTED_FROM) + " or the id of a step")


@dataclass(frozen=True)
class PriorityTimescale:
    priority: str = required("The priority it is for (an id from the procedure's "
                             "'priorities').", check=check_id)
    within: int = required("How many units, at that priority.")
    unit: Unit = required("'working days', 'calendar days' or 'hours'.")


@dataclass(frozen=True)
class Measure:
    within: int = required("How many units, such as 2.")
    unit: Unit = required("'working days', 'calendar days' or 'hours'.")


@dataclass(frozen=True)
class Timescale:
    within: int = required("How many units it may take, such as 2.")
    unit: Unit = required("'working days', 'calendar days' or 'hours'.")
    counted_from: str = required(
        "What it is counted from: 'start' (the day the process began), 'previous stage' "
        "(the day the stage before was completed; for a stage), 'stage start' or "
        "'previous step' (for a step), or the id of a step whose date the practitioner "
        "records, such as 'meeting'.", check=check_counted_from
    )
    also: Measure | None = optional(
        "The same timescale in a second unit, when the procedure gives both at once "
        "(such as 'within 48 hours (two working days)'): it is said as the procedure "
        "says it, and the tool shows the date each gives. The earlier date is the one the "
        "plan keeps: the status, the reminder and what is counted from it.")
    caveat: str | None = optional(
        "A condition shown beside every date, such as 'or a timescale that protects "
        "the child, whichever is less'."
    )
    by_priority: tuple[PriorityTimescale, ...] = optional(
        "Other timescales for some priorities (Cheshire East: the stage 2 response time "
        "depends on how urgent the issue is); 'within' and 'unit' above are for the rest. "
        "The tool asks the priority, and until it is given uses the shortest.", default=())


@dataclass(frozen=True)
class Step:
    id: str = required("Short id of the step, unique in its procedure, such as 'meeting'. "
                       "Another step's timescale may be counted from it.", check=check_id)
    name: str = required("What is done, such as 'Meeting between the managers'.")
    who: str | None = optional("Who acts, when not the stage's 'who'.")
    what: str | None = optional("What happens, in a sentence or two, when the name is not "
                                "enough.")
    when: str | None = optional(
        "The condition for this step, in the procedure's words, such as 'if agreed' or "
        "'if not agreed': the step happens only then, and its date is shown with these "
        "words.")
    timescale: Timescale | None = optional("How long the step may take.")
    no_timescale: str | None = optional(
        "When the procedure sets no timescale for the step, what it says instead, in a "
        "few words such as 'without delay'.")


@dataclass(frozen=True)
class Stage:
    number: int = required("Stage number, 1, 2, 3 and so on.")
    name: str = required("Short name, such as 'Inter-agency discussion'.")
    who: str = required("Who acts at this stage.")
    what: str = required("What happens at this stage, in plain text.")
    timescale: Timescale | None = optional(
        "How long the stage may take. Leave out when the procedure sets none (then say "
        "what it says in 'no_timescale'), or when the stage's steps carry the timescales.")
    no_timescale: str | None = optional(
        "When the procedure sets no timescale for the stage, what it says instead, in a few "
        "words such as 'act without delay' or 'refer it urgently': shown as 'No fixed "
        "timescale: act without delay'. A stage with neither a timescale, steps nor this "
        "reads 'See the procedure for its timescale'.")
    steps: tuple[Step, ...] = optional(
        "The timed steps inside the stage, in order, when the procedure sets more than one "
        "clock in it (such as 'speak to the agency within 3 working days; the agency "
        "replies within a further 2').", default=())
    when: str | None = optional(
        "The words on the arrow into this stage, when not 'Not resolved' (such as 'If "
        "the meeting does not resolve it').")
    duties: tuple[str, ...] = optional(
        "What else to do at this stage that is not the next contact, each in a sentence, "
        "such as 'Tell the other organisation that you intend to escalate'.", default=())
    forms: tuple[str, ...] = optional(
        "The named forms to complete at this stage (ids from the procedure's 'forms').",
        default=(), check=check_id)
    contact: str | None = optional("Who the stage goes to, when fixed.", ref="contact")
    contact_role: str | None = optional(
        "When the stage goes to 'your equivalent in the other agency': the role (an id "
        "from contacts.yaml's 'roles'); each agency's holder is listed.", check=check_id)
    copy_to: tuple[str, ...] = optional(
        "Contacts copied into every email at this stage.", default=(), ref="contact"
    )


_MOMENT = re.compile(r"start|resolution|stage [1-9][0-9]?")


@schema("not a time to notify: 'start', 'resolution' or 'stage N'",
        pattern=f"^(?:{_MOMENT.pattern})$")
def check_moment(value: str) -> str | None:
    if _MOMENT.fullmatch(value):
        return None
    return f"'{value}' is not a time to notify: use 'start', 'resolution' or 'stage N'"


@dataclass(frozen=True)
class NamedForm:
    id: str = required("Short id of the form, such as 'stage-3-monitoring'.", check=check_id)
    title: str = required("The form's title exactly as published, such as 'Stage 3 "
                          "Monitoring Information Form'.")
    get_it: str = required("Where to get it, in words, such as 'the partnership's "
                           "procedures website'.")
    reference: str | None = optional("How the procedure refers to it, such as 'Appendix 1'.")
    address: str | None = optional("Its web address, when the procedure gives one (https://…).",
                                   check=check_web_address)
    send_to: str | None = optional("Who the completed form goes to.", ref="contact")


@dataclass(frozen=True)
class Notification:
    at: str = required(
        "When: 'start' (when the procedure is used), 'resolution' (when it is resolved), or "
        "'stage N' (when stage N begins), such as 'stage 3'.",
        check=check_moment)
    to: str = required("Whom to tell.", ref="contact")
    what: str = required("What to tell them, in a sentence, such as 'that senior officers "
                         "are involved in a dispute about a child'.")
    form: str | None = optional("The named form that carries it, if any (an id from 'forms').",
                               check=check_id)


@dataclass(frozen=True)
class Priority:
    id: str = required("Short id of the priority, such as 'urgent'.", check=check_id)
    name: str = required("The priority as the procedure names it, such as 'Urgent'.")
    hint: str | None = optional("What makes an issue this priority, in a sentence.")


@dataclass(frozen=True)
class Limit:
    first_stage: int = required("The first stage the limit covers.")
    last_stage: int = required("The last stage the limit covers.")
    within: int = required("How many units the stages may take in all, such as 15.")
    unit: Unit = required("'working days', 'calendar days' or 'hours'.")


@dataclass(frozen=True)
class Drift:
    first_stage: int = required("First stage the drift rule watches.")
    last_stage: int = required("Last stage the drift rule watches.")
    gap_calendar_days: int = required(
        "A gap of this many calendar days or more between watched stages is drift.",
        check=within_range(1, 366, "number of days"),
    )
    restart_at: int = required("The stage to start again from after drift.")


@dataclass(frozen=True)
class Procedure:
    id: str = required("Short id of the procedure.", check=check_id)
    name: str = required("Name, such as 'FaST Resolution Process'.")
    start_event: str = required(
        "What the start date is, such as 'the disagreement or concern arising'."
    )
    stages: tuple[Stage, ...] = required("The stages, in order.")
    drift: Drift | None = optional("When a gap between stages means starting again.")
    limits: tuple[Limit, ...] = optional(
        "The longest a group of stages may take in all, counted from the start of the first "
        "of them (such as stages 1 to 3 within 15 working days): no stage's date in the "
        "group is later than this, even when a stage before ran late.", default=())
    forms: tuple[NamedForm, ...] = optional(
        "Forms the procedure uses that the site names but does not reproduce: title, where "
        "to get it, who it goes to. A stage lists the ones it uses.", default=())
    notifications: tuple[Notification, ...] = optional(
        "Whom to tell, such as the partnership, at the start, at a stage, or at the "
        "resolution.", default=())
    duties: tuple[str, ...] = optional(
        "What to do at every stage, each in a sentence, such as 'Record each discussion and "
        "its outcome on the child's file'.", default=())
    priorities: tuple[Priority, ...] = optional(
        "The priority levels the procedure's timescales depend on, most urgent first; the "
        "tool asks which applies.", default=())
    priority_question: str = optional(
        "The question the tool asks about the priority.", default="How urgent is the issue?")
    indicative: bool = optional(
        "True when the procedure says its timescales are indicative, not binding: every "
        "date is shown as a guide.", default=False)
    stage_word: str = optional(
        "The procedure's own word for its stages, lower-case and singular, such as 'step' "
        "(for a protocol of 'step 1' to 'step 4'): the site, the tool, the poster and every "
        "file they make say 'Step 1' and 'steps' instead of 'Stage 1' and 'stages'. The "
        "plural adds an 's'.", default="stage", check=check_stage_word)


@dataclass(frozen=True)
class Procedures:
    """The staged procedures: each stage's who, what and timescale, and the steps, forms
    and notifications in them."""

    procedures: tuple[Procedure, ...] = required("The partnership's procedures.")


# --- options.yaml -----------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    id: str = required("Short id of the option.", check=check_id)
    number: int = required("Option number as the guidance gives it.",
                           check=within_range(1, 99, "option number"))
    title: str = required("Title, such as 'Make a referral to C-SPA'.")
    summary: str = required("One or two sentences on when to use it.")
    page: str = required("Page (and anchor) that explains it, such as 'raising-concerns.md#option-1'.")
    contacts: tuple[str, ...] = optional("Contacts for this option.", default=(), ref="contact")
    procedure: str | None = optional("The staged procedure this option starts.", ref="procedure")


@dataclass(frozen=True)
class Options:
    """The options for raising a concern that the guidance sets out, each with the page
    that explains it."""

    options: tuple[Option, ...] = required("The options, in order.")


# --- chooser.yaml -----------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    label: str = required("The answer as the practitioner sees it.")
    next: str = required("The id of the next question or of the outcome.", ref="node")


@dataclass(frozen=True)
class Question:
    id: str = required("Short id of the question.", check=check_id)
    text: str = required("The question, one idea only.")
    answers: tuple[Answer, ...] = required("Two or more answers.")
    hint: str | None = optional("A sentence that helps answer it.")


@dataclass(frozen=True)
class Outcome:
    id: str = required("Short id of the outcome.", check=check_id)
    title: str = required("The route, as a heading.")
    why: str = required("Why this route fits the answers given.")
    do_now: tuple[str, ...] = required("What to do now, step by step.")
    contacts: tuple[str, ...] = optional("Whom to contact.", default=(), ref="contact")
    option: str | None = optional("The option this outcome is.", ref="option")
    emergency: bool = optional("True for the immediate-risk route.", default=False)


@dataclass(frozen=True)
class Chooser:
    """The option chooser: one question at a time, each answer leading to the next
    question or to an outcome."""

    start: str = required("The id of the first question.", ref="node")
    questions: tuple[Question, ...] = required("The questions.")
    outcomes: tuple[Outcome, ...] = required("The outcomes.")


# --- templates.yaml ---------------------------------------------------------------


@dataclass(frozen=True)
class Placeholder:
    id: str = required("Name used in braces in a template body, such as {recipient}.",
                       check=check_id)
    label: str = required("Label of the field the practitioner fills.")
    hint: str | None = optional("Help shown under the field.")
    multiline: bool = optional("True for a paragraph rather than a line.", default=False)
    choices: tuple[str, ...] = optional("Fixed wordings to choose from, if any.", default=())
    personal: bool = optional(
        "True when the field may hold a child's or family's name.", default=False
    )
    per_email: bool = optional(
        "True when each stage's email has its own answer (whom it goes to, what happened "
        "at the stage before); otherwise one answer serves every email and the form.",
        default=False,
    )


@dataclass(frozen=True)
class Template:
    id: str = required("Short id of the template.", check=check_id)
    procedure: str = required("The procedure it belongs to.", ref="procedure")
    stage: int = required("The stage it is sent at.")
    instruction: str = required("What to do with it, in a sentence.")
    to: str = required(
        "'chosen agency' when the practitioner picks the agency, or a contact id."
    )
    subject: str | None = optional("The subject line, exactly.")
    body: str | None = optional("The body, with {placeholders}.")
    cc: tuple[str, ...] = optional("Contacts copied in.", default=(), ref="contact")
    after: str | None = optional("What to do if there is no answer in time.")


@dataclass(frozen=True)
class Templates:
    """The email templates, with the fields the practitioner fills in."""

    placeholders: tuple[Placeholder, ...] = required("Fields the templates use.")
    templates: tuple[Template, ...] = required("The email templates, in stage order.")


# --- form.yaml --------------------------------------------------------------------


@dataclass(frozen=True)
class FormField:
    id: str = required("Short id of the field (the same id as a template placeholder "
                       "when the emails ask for it too).", check=check_id)
    label: str = required("The label exactly as on the form.")
    multiline: bool = optional("True for a box rather than a line.", default=False)
    personal: bool = optional("True when it may hold a name.", default=False)


@dataclass(frozen=True)
class LogColumn:
    id: str = required("Short id of the column.", check=check_id)
    label: str = required("The column heading exactly as on the form.")


@dataclass(frozen=True)
class Form:
    """The escalation form the site reproduces, with its fields and its table of stages."""

    id: str = required("Short id of the form.", check=check_id)
    title: str = required("Title, such as 'FaST Resolution Form'.")
    reference: str = required("How the procedure refers to it, such as 'Appendix 1'.")
    procedure: str = required("The procedure it belongs to.", ref="procedure")
    stage: int = required("The stage it is used at.")
    heading: str = required("Heading printed on the form.")
    fields: tuple[FormField, ...] = required("The fields, in order.")
    log_heading: str = required("Heading of the stage table.")
    log_stages: tuple[int, ...] = required("The stages listed in the table.")
    log_columns: tuple[LogColumn, ...] = required("The table's columns, in order.")
    send_to: str = required("Where the completed form goes.", ref="contact")
    closing: str = required("The instruction printed under the table.")
    submission_label: str = required("Label for the date it was sent.")
    subject: str = required("Subject line of the email that carries the form.")


# --- glossary.yaml ----------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    term: str = required("The abbreviation or term, as written in the text.",
                         check=check_term)
    meaning: str = required("What it stands for.")
    description: str | None = optional("A sentence more, shown in the glossary.")


@dataclass(frozen=True)
class Glossary:
    """The terms and abbreviations, explained on the glossary page and wherever they
    appear."""

    terms: tuple[Term, ...] = required("The terms, in any order.")


# --- pages.yaml -------------------------------------------------------------------


@dataclass(frozen=True)
class Amendment:
    date: date = required("When the page changed (YYYY-MM-DD).")
    change: str = required("What changed, in a sentence.")


@dataclass(frozen=True)
class PageRecord:
    page: str = required("The page's file in content/, such as 'fast-resolution-process.md'.")
    reviewed: date = required(
        "When the page was last checked against the procedure (YYYY-MM-DD).")
    next_review: date = required("When it is next due to be checked (YYYY-MM-DD).")
    amendments: tuple[Amendment, ...] = optional(
        "What changed and when, newest first.", default=())


@dataclass(frozen=True)
class PageRecords:
    """Each procedure page's review dates and amendments, shown under its title."""

    pages: tuple[PageRecord, ...] = required(
        "The pages that show their review dates and amendments.")


# How to write each field whose description gives no example ("such as ..."): shown in the
# admins' reference page when the site's own data has none, and offered by editors
# (the schemas' "examples"). tests/test_data_reference.py holds that every field has one.
EXAMPLES: dict[tuple[str, str], object] = {
    ("ClosureDay", "date"): "2026-12-29",
    ("Contact", "id"): "cspa",
    ("Contact", "group"): "children-services",
    ("Contact", "name"): "Children's Single Point of Access",
    ("Contact", "verified"): "2026-11-30",
    ("Contact", "team"): "Duty manager",
    ("Contact", "note"): "For a new concern about a child, not for the disagreement itself.",
    ("Contact", "email"): "cspa@example.gov.uk",
    ("Contact", "phone_note"): "Monday to Friday, 9am to 5pm",
    ("Contact", "address"): "County Hall, 1 Example Road, Exampletown, EX1 2AB",
    ("Contact", "web"): "https://www.example.gov.uk/find-a-liaison-officer",
    ("Contact", "same_as"): "cspa",
    ("ContactGroup", "id"): "children-services",
    ("ContactGroup", "name"): "Children's services",
    ("ContactGroup", "description"): "Ask for the duty manager of the team holding the case.",
    ("Hours", "opens"): "09:00",
    ("Hours", "closes"): "17:00",
    ("Procedure", "id"): "resolution",
    ("Stage", "number"): 2,
    ("Stage", "who"): "The practitioners' line managers",
    ("Stage", "what"): "The managers discuss the concern and agree a way forward.",
    ("Stage", "forms"): "stage-3-monitoring",
    ("Stage", "contact"): "safeguarding-team",
    ("Stage", "contact_role"): "spoc",
    ("Stage", "copy_to"): "partnership-team",
    ("Timescale", "unit"): "working days",
    ("Measure", "within"): 2,
    ("Measure", "unit"): "working days",
    ("PriorityTimescale", "priority"): "urgent",
    ("PriorityTimescale", "within"): 1,
    ("PriorityTimescale", "unit"): "working days",
    ("Step", "who"): "The professional who raised the concern",
    ("Step", "what"): "Write to the other manager confirming what was agreed.",
    ("Drift", "first_stage"): 1,
    ("Drift", "last_stage"): 4,
    ("Drift", "gap_calendar_days"): 28,
    ("Drift", "restart_at"): 1,
    ("Limit", "first_stage"): 1,
    ("Limit", "last_stage"): 3,
    ("Limit", "unit"): "working days",
    ("NamedForm", "address"): "https://www.example.gov.uk/escalation-form",
    ("NamedForm", "send_to"): "partnership-team",
    ("Notification", "to"): "partnership-team",
    ("Notification", "form"): "stage-3-monitoring",
    ("Priority", "hint"): "The child may be harmed while the disagreement lasts.",
    ("Option", "id"): "referral",
    ("Option", "number"): 1,
    ("Option", "summary"): "Use this when you have a new concern that a child may be at risk.",
    ("Option", "contacts"): "cspa",
    ("Option", "procedure"): "resolution",
    ("Chooser", "start"): "immediate-risk",
    ("Question", "id"): "immediate-risk",
    ("Question", "text"): "Is a child at immediate risk of harm?",
    ("Question", "hint"): "Immediate means now or in the next few hours.",
    ("Answer", "label"): "Yes",
    ("Answer", "next"): "emergency",
    ("Outcome", "id"): "emergency",
    ("Outcome", "title"): "Ring the police on 999",
    ("Outcome", "why"): "A child at immediate risk needs help now: the escalation procedure "
                        "can wait.",
    ("Outcome", "do_now"): "Ring 999 and say the child is at immediate risk.",
    ("Outcome", "contacts"): "police",
    ("Outcome", "option"): "referral",
    ("Placeholder", "label"): "Your name and role",
    ("Placeholder", "hint"): "As you sign your emails.",
    ("Placeholder", "choices"): "By phone",
    ("Template", "id"): "stage-2-email",
    ("Template", "procedure"): "resolution",
    ("Template", "stage"): 2,
    ("Template", "instruction"): "Send this to the other agency's manager after your "
                                 "discussion.",
    ("Template", "to"): "chosen agency",
    ("Template", "subject"): "Professional disagreement: stage 2",
    ("Template", "body"): "Dear {recipient}, I am writing about ...",
    ("Template", "cc"): "partnership-team",
    ("Template", "after"): "If there is no reply in time, go to the next stage.",
    ("Form", "id"): "resolution-form",
    ("Form", "procedure"): "resolution",
    ("Form", "stage"): 4,
    ("Form", "heading"): "Professional disagreement resolution form",
    ("Form", "log_heading"): "Stages followed so far",
    ("Form", "log_stages"): 1,
    ("Form", "send_to"): "partnership-team",
    ("Form", "closing"): "Send the completed form to the partnership team.",
    ("Form", "submission_label"): "Date sent",
    ("Form", "subject"): "Resolution form: professional disagreement",
    ("FormField", "id"): "agency",
    ("FormField", "label"): "Your agency",
    ("LogColumn", "id"): "date",
    ("LogColumn", "label"): "Date",
    ("Term", "term"): "MASH",
    ("Term", "meaning"): "Multi-Agency Safeguarding Hub",
    ("Term", "description"): "Where agencies share information about a new concern.",
    ("PageRecord", "reviewed"): "2026-11-30",
    ("PageRecord", "next_review"): "2027-11-30",
    ("Amendment", "date"): "2026-11-30",
    ("Amendment", "change"): "Stage 2 timescale changed to 5 working days.",
}

# Fields an earlier version of these files had, with how to write them now.
RENAMED = {
    ("Procedure", "overall"): (
        "a procedure's overall limit is now one of its 'limits', such as "
        "limits: [{first_stage: 1, last_stage: 3, within: 15, unit: working days}]"),
}

# --- the whole data set -------------------------------------------------------------

FILES: dict[str, type] = {
    "partnership.yaml": Partnership,
    "contacts.yaml": Contacts,
    "stages.yaml": Procedures,
    "options.yaml": Options,
    "chooser.yaml": Chooser,
    "templates.yaml": Templates,
    "form.yaml": Form,
    "glossary.yaml": Glossary,
    "pages.yaml": PageRecords,
}
REQUIRED_FILES = ("partnership.yaml", "contacts.yaml", "stages.yaml", "glossary.yaml")


class NotInData(KeyError):
    """A lookup by an id that the data does not have, said for the admin."""

    def __init__(self, kind: str, wanted: str | None, file: str):
        super().__init__(wanted)
        self.message = f"there is no {kind} '{wanted}' in {file}"

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Data:
    """Everything one partnership's site and tool are made from."""

    partnership: Partnership
    contacts: Contacts
    procedures: Procedures
    glossary: Glossary
    options: Options | None = None
    chooser: Chooser | None = None
    templates: Templates | None = None
    form: Form | None = None
    pages: PageRecords | None = None

    def contact(self, contact_id: str) -> Contact:
        for c in self.contacts.contacts:
            if c.id == contact_id:
                return c
        raise NotInData("contact", contact_id, "contacts.yaml")

    def email_of(self, contact_id: str) -> str | None:
        c = self.contact(contact_id)
        return self.email_of(c.same_as) if c.same_as and not c.email else c.email

    def phone_of(self, contact_id: str) -> str | None:
        c = self.contact(contact_id)
        return self.phone_of(c.same_as) if c.same_as and not c.phone else c.phone

    def email_for(self, contact_id: str) -> str:
        """The contact's email address, where the page needs one (ValueError if none)."""
        email = self.email_of(contact_id)
        if email is None:
            raise ValueError(f"contact '{contact_id}' has no email address in contacts.yaml")
        return email

    def phone_for(self, contact_id: str) -> str:
        """The contact's phone number, where the page needs one (ValueError if none)."""
        phone = self.phone_of(contact_id)
        if phone is None:
            raise ValueError(f"contact '{contact_id}' has no phone number in contacts.yaml")
        return phone

    def phone_note_of(self, contact_id: str) -> str | None:
        """When the contact's phone line is staffed, from the contact whose number it uses."""
        c = self.contact(contact_id)
        return self.phone_note_of(c.same_as) if c.same_as and not c.phone_note else c.phone_note

    def procedure(self, procedure_id: str | None = None) -> Procedure:
        wanted = procedure_id or self.partnership.main_procedure
        for p in self.procedures.procedures:
            if p.id == wanted:
                return p
        raise NotInData("procedure", wanted, "stages.yaml")

    def page_record(self, page: str) -> PageRecord | None:
        for record in self.pages.pages if self.pages else ():
            if record.page == page:
                return record
        return None

    def option(self, option_id: str) -> Option:
        for o in self.options.options if self.options else ():
            if o.id == option_id:
                return o
        raise NotInData("option", option_id, "options.yaml")
