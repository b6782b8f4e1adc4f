"""Stage emails, written out as people send them: text to copy, an HTML preview, an
.eml draft and a mailto: link. Nothing typed can add or break a header."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from urllib.parse import quote

from .documents import fill
from .model import CHOSEN_AGENCY, Data, Template, check_email
from .plain_text import encodable, html_paragraphs, single_line

# --- text that goes into a header or a line ------------------------------------------

def _address(text: str) -> str:
    """An email address safe to put in a header, or ValueError saying what is wrong."""
    address = single_line(text)
    problem = check_email(address)
    if problem:
        raise ValueError(f"cannot send to this address: {problem}")
    return address


def _addresses(values: Sequence[str] | str) -> tuple[str, ...]:
    # A lone string would otherwise be read as a sequence of one-letter addresses.
    if isinstance(values, str):
        values = (values,)
    return tuple(_address(v) for v in values)


# --- stage emails ---------------------------------------------------------------------


@dataclass(frozen=True)
class Email:
    """An email ready to send. Headers are checked when it is made, so every writer
    below can trust them: addresses match an address pattern and the subject is one line.
    """

    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    body: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "to", _addresses(self.to))
        object.__setattr__(self, "cc", _addresses(self.cc))
        object.__setattr__(self, "subject", single_line(self.subject))


def stage_template(data: Data, stage: int, procedure_id: str | None = None) -> Template:
    """The email template of one stage, or a KeyError saying which is missing."""
    procedure = procedure_id or data.partnership.main_procedure
    for template in data.templates.templates if data.templates else ():
        if template.procedure == procedure and template.stage == stage:
            return template
    raise KeyError(f"there is no email template for stage {stage} of procedure "
                   f"'{procedure}' in templates.yaml")


def sendable_templates(data: Data, procedure_id: str | None = None) -> list[Template]:
    """A procedure's templates (the main one's by default) that are emails to send, in
    stage order (a template may be an instruction only, such as Surrey's stage 5: send
    the form)."""
    procedure = procedure_id or data.partnership.main_procedure
    templates = data.templates.templates if data.templates else ()
    return [t for t in templates if t.procedure == procedure and t.subject and t.body]


def email_of(data: Data, contact_id: str) -> str:
    try:
        address = data.email_of(contact_id)
    except KeyError:
        raise KeyError(f"there is no contact '{contact_id}' in contacts.yaml") from None
    if not address:
        raise ValueError(f"contact '{contact_id}' in contacts.yaml has no email address")
    return address


def stage_email(data: Data, stage: int, values: Mapping[str, str], to_contact: str | None,
                procedure_id: str | None = None, to_address: str | None = None) -> Email:
    """The email of one stage, filled with what the practitioner typed.

    The subject is the template's, unchanged: the recipient reads the urgency from it.
    When the template goes to 'chosen agency', to_contact is the agency the practitioner
    picked from the directory; until they pick one, To is empty and the body is still
    written. to_address, the named Senior Manager's own address when the practitioner
    has it, goes in To instead of the agency's mailbox. For a template with a fixed
    recipient, to_contact and to_address are ignored: the data decides.
    """
    template = stage_template(data, stage, procedure_id)
    if not template.subject or not template.body:
        raise ValueError(
            f"the stage {stage} template '{template.id}' has no subject and body to send; "
            f"its instruction says what to do instead: {template.instruction}")
    if template.to == CHOSEN_AGENCY and to_address:
        to = (to_address,)
    elif template.to == CHOSEN_AGENCY:
        to = (email_of(data, to_contact),) if to_contact else ()
    else:
        to = (email_of(data, template.to),)
    cc = tuple(dict.fromkeys(a for a in (email_of(data, c) for c in template.cc) if a not in to))
    return Email(to=to, cc=cc, subject=template.subject, body=fill(template.body, values, data))


def email_text(email: Email) -> str:
    """The email as text to copy into any mail program."""
    return (f"To: {', '.join(email.to)}\nCc: {', '.join(email.cc)}\n"
            f"Subject: {email.subject}\n\n{email.body}")


def email_html(email: Email) -> str:
    """A preview of the email for the page: headers as a list, the body in paragraphs."""
    headers = "\n".join(
        f"<dt>{name}</dt><dd>{html.escape(value)}</dd>"
        for name, value in (("To", ", ".join(email.to)), ("Cc", ", ".join(email.cc)),
                            ("Subject", email.subject)))
    return (f'<div class="email-preview">\n<dl class="email-preview__headers">\n{headers}\n'
            f'</dl>\n<div class="email-preview__body">\n{html_paragraphs(email.body)}\n'
            f"</div>\n</div>")


def email_eml(email: Email) -> bytes:
    """The email as an .eml file (RFC 5322, CRLF) that opens as a draft.

    'X-Unsent: 1' makes Outlook open it as a new message to send rather than as a
    received one; other mail programs open it as a message the practitioner can forward
    or copy. There is no Date or From: the practitioner's own mail program adds them.
    """
    message = EmailMessage(policy=policy.SMTP)
    if email.to:
        message["To"] = ", ".join(email.to)
    if email.cc:
        message["Cc"] = ", ".join(email.cc)
    message["Subject"] = email.subject
    message["X-Unsent"] = "1"
    # The body is encoded now, at 78 columns (quoted-printable or base64 as needed).
    message.set_content(encodable(email.body), charset="utf-8")
    # Headers are written unfolded up to RFC 5322's hard limit of 998: folded at 78, a
    # subject as long as the SSCP's breaks straight after "Subject:", which some readers
    # (Python's own among them) then show with a leading space.
    return message.as_bytes(policy=policy.SMTP.clone(max_line_length=998))


def mailto_url(email: Email) -> str:
    """A mailto: link (RFC 6068) that opens the email in the practitioner's mail program.

    Some mail programs cut long links (about 2,000 characters in Outlook for Windows),
    so offer the .eml or the text to copy beside it.
    """
    def addresses(values: tuple[str, ...]) -> str:
        return ",".join(quote(a, safe="@") for a in values)

    # RFC 6068 section 5: line breaks in the body are written %0D%0A.
    body = "\r\n".join(email.body.splitlines())
    fields = ([("cc", addresses(email.cc))] if email.cc else []) + [
        ("subject", quote(email.subject, safe="")), ("body", quote(body, safe=""))]
    return f"mailto:{addresses(email.to)}?" + "&".join(f"{k}={v}" for k, v in fields)


