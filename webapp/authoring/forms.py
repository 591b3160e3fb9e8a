"""The article form: its fields as the validator checks them, read from a request."""

from __future__ import annotations

import re
from typing import Any

from flask import request

from editions.core.models import PublicationState, Section
from editions.text.segmentation import MAX_BODY_CHARACTERS, MAX_SEGMENT_CHARACTERS
from webapp.api import validation as v
from webapp.forms import whole_number

FORM = {
    "source_edition": v.Field(v.text(16), required=True),
    "section": v.Field(v.choice(*(section.value for section in Section)), required=True),
    "date": v.Field(v.iso_date, required=True),
    "author": v.Field(v.name(200)),
    "tags": v.Field(v.names(50, 100)),
    "state": v.Field(v.choice(*(state.value for state in PublicationState))),
    "title": v.Field(v.text(1000, blank=False), required=True),
    "summary": v.Field(v.text(MAX_SEGMENT_CHARACTERS)),
    "body": v.Field(v.text(MAX_BODY_CHARACTERS), required=True),
    "minor": v.Field(v.boolean),
    "note": v.Field(v.text(1000)),
    "revision": v.Field(v.article_id),
}


def posted() -> dict[str, Any]:
    """The form as the validator expects it: empty fields left out, tags split, a checkbox."""
    form = request.form
    data: dict[str, Any] = {
        name: form[name] for name in FORM if name in form and form[name].strip() != ""
    }
    if "tags" in data:
        # Arabic and Persian keyboards type "،" between tags.
        data["tags"] = [tag.strip() for tag in re.split("[,،]", data["tags"]) if tag.strip()]
    if "revision" in data:
        data["revision"] = whole_number(data["revision"], 0, low=0)
    data["minor"] = "minor" in form
    for field in ("title", "body"):  # may be empty on purpose: the validator says so
        data.setdefault(field, form.get(field))
    return data


def as_form(data: dict[str, Any]) -> dict[str, Any]:
    """What the form shows again after a refusal: as sent, the checkbox as read."""
    values = dict(request.form)
    values["minor"] = data.get("minor", False)
    return values
