"""Form helpers shared by every app."""
from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
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
            # conditional_escape's rule, without its lazy-string wrapper per call (hundreds of options a page)
            text = label.__html__() if hasattr(label, "__html__") else escape(str(label))
            options.append(f'<option value="{escape(option_value)}"{" selected" if option_value in chosen else ""}>'
                           f"{text}</option>")
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe("".join(options)))


class ValuesChoiceIterator(ModelChoiceIterator):
    """A ModelChoiceField's options read as plain rows (``values_list``), no model instance per option: the
    field's ``values_label = (columns, function)`` names the columns its label is made of. For long option lists
    shown through PlainSelect (which needs only the value and the label); validation still reads the queryset."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        columns, label = self.field.values_label
        for pk, *values in self.queryset.values_list("pk", *columns):
            yield (pk, label(*values))


def read_options_as_values(field, columns: tuple[str, ...], label) -> None:
    """Make ``field`` (a ModelChoiceField) list its options through ValuesChoiceIterator."""
    field.values_label = (columns, label)
    field.iterator = ValuesChoiceIterator
