import datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import translation

register = template.Library()


@register.filter
def get_item(container, key):
    """`mapping|get_item:key` or `list|get_item:index`, for tables built from saved reports."""
    try:
        return container[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter
def iso_date(value):
    """A saved report's ISO date ("2026-11-20") as a date the template can write in words."""
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return value


@register.filter
def long_date(value):
    """A date in words, as the active language writes it: "December 1, 2026", and in French
    "1er décembre 2026" (the first of the month is an ordinal in French)."""
    day = iso_date(value)
    if not isinstance(day, datetime.date):
        return value
    written = date_filter(day, "DATE_FORMAT")
    if translation.get_language() == "fr" and day.day == 1:
        return "1er" + written[1:]
    return written
