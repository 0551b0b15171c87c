"""Form helpers shared by every app."""
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


def add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class DateInput(forms.DateInput):
    """A browser date picker (<input type=date>), its value always written as 2026-11-30.

    A date input only understands ISO dates; Django's default for the zh-hans locale writes 2026/11/30,
    which chromium shows as an empty field, so a pre-filled date looked blank. Every date field uses this."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PlainSelect(forms.Select):
    """A <select> whose options are written in Python, not through one template render per option.

    Django renders every option of a Select through the template engine; a filter bar offering a hundred
    notices and sixty units spent more time on that than on the ledger's rows. Same HTML, flat choices only
    (no option groups)."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        chosen = set(self.format_value(value))
        options = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            options.append(format_html('<option value="{}"{}>{}</option>', option_value,
                                       mark_safe(" selected") if option_value in chosen else "", label))
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe("".join(options)))
