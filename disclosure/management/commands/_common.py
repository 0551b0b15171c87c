"""Shared by the register's commands: find the unit named on the command line."""
from units.models import Alias, Unit


def resolve_unit(text: str):
    """The Unit named by short name, full name, alias or id; None when there is none."""
    text = (text or "").strip()
    found = Alias.objects.resolve(text)
    if isinstance(found, Unit):
        return found
    if text.isdigit():
        return Unit.objects.filter(pk=int(text)).first()
    return None
