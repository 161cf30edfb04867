import datetime

from django import template

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
