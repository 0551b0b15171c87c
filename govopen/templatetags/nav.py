"""``{% nav_url 'name' %}``: the address of a page without arguments, as ``{% url 'name' %}`` gives it, resolved once
per process (and per script prefix and URL configuration) instead of on every page.

The navigation bar links to some twenty pages on every page; each ``{% url %}`` resolves its name afresh (about
0.1 ms each on the benchmark machine: 2-3 ms per page). The addresses of pages without arguments never change while
the process runs, so base.html and its navigation partials use this tag.
"""
from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

register = template.Library()


@lru_cache(maxsize=512)
def _resolved(name: str, prefix: str, urlconf: str | None, root_urlconf: str) -> str:
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def nav_url(name: str) -> str:
    return _resolved(name, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
