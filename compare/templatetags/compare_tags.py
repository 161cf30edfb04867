import datetime

from django import template
from django.utils import timezone

from compare.reports.wording import date_in_words

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
    """A date in words ("1er décembre 2026"); a datetime gives its local day."""
    if isinstance(value, datetime.datetime):
        return date_in_words(timezone.localdate(value))
    day = iso_date(value)
    return date_in_words(day) if isinstance(day, datetime.date) else value
