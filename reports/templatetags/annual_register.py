"""The link behind a figure of 表三/表四 taken from a unit's 依申请公开 register (reports.annual.register)."""
from django import template

from reports.annual.register import register_links

register = template.Library()


@register.simple_tag
def register_link(report, code: str) -> str:
    """The URL listing the applications (or cases) counted in the cell `code`, or "" for a typed cell.
    Computed once per report object, whatever the number of cells."""
    if report is None:
        return ""
    links = getattr(report, "_register_links", None)
    if links is None:
        links = report._register_links = register_links(report)
    return links.get(code, "")
