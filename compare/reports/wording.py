"""Small pieces of wording the report's writers share: figures and names as a sentence
reads them, in the active language."""

import datetime

from django.utils import formats, translation
from django.utils.translation import gettext as _


def margin_text(margin: float) -> str:
    """A lead in points: "0.4", or "less than 0.1" rather than "0.0"."""
    if round(margin, 1) == 0:
        return _("less than %(tenth)s") % {"tenth": number(0.1)}
    return number(margin)


def number(value: float) -> str:
    """A figure as the active language writes it: 82.3 in English, 82,3 in French."""
    return formats.number_format(round(value, 1), decimal_pos=1)


def in_sentence(name: str) -> str:
    """A name as it reads mid-sentence: "High availability" -> "high availability", but
    "REST API" and "VM import" keep their capitals."""
    if len(name) > 1 and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def date_in_words(day: datetime.date) -> str:
    """A date in words, as the active language writes it: "1 December 2026", and in French
    "1er décembre 2026" (the first of the month is an ordinal in French)."""
    written = formats.date_format(day, "DATE_FORMAT")
    if translation.get_language() == "fr" and day.day == 1:
        return "1er" + written[1:]
    return written
