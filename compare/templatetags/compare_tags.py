from django import template

register = template.Library()


@register.filter
def get_item(container, key):
    """`mapping|get_item:key` or `list|get_item:index`, for tables built from saved reports."""
    try:
        return container[key]
    except (KeyError, IndexError, TypeError):
        return None
