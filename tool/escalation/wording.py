"""Text in the data may name a contact's detail, as in "ring {cspa.phone}".

This keeps every phone number and address in contacts.yaml alone: options, outcomes,
template instructions and the form read them from there when shown.
"""

from __future__ import annotations

import re

from .model import Data

CONTACT_DETAIL = re.compile(r"\{([a-z0-9]+(?:-[a-z0-9]+)*)\.(email|phone|phone_note|name|team)\}")


def detail(data: Data, contact_id: str, what: str) -> str:
    if what == "email":
        return data.email_of(contact_id) or ""
    if what == "phone":
        return data.phone_of(contact_id) or ""
    return getattr(data.contact(contact_id), what) or ""


def fill_contact_details(text: str, data: Data) -> str:
    return CONTACT_DETAIL.sub(lambda m: detail(data, m.group(1), m.group(2)), text)
