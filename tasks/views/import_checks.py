"""The import preview's checks beyond the table itself (issue 11): the column-mapping row, the one-step
choice for items without a deadline, the hints grouped by what they flag, and the re-import diff.

The uploaded source is kept between the steps (Django's storage, so several app servers share it) under
the draft's token, so a changed column mapping parses it again; confirm and a new upload remove it.
"""
from __future__ import annotations

import datetime

from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from tasks.breakdown import ParsedNotice
from tasks.forms import BootstrapMixin
from tasks.importers.columns import ROLE_LABELS, ROLES, squash
from tasks.models import ColumnChoice
from tasks.parsing import resolve_deadline
from tasks.reimport import existing_notice  # noqa: F401 (the views import it from here)

SOURCE_DIR = "import-drafts"
ROLE_SELECT = [(role, ROLE_LABELS[role]) for role in ROLES]

# ---------------------------------------------------------------- the source, kept for a re-parse


def source_keep(draft: dict, name: str, data: bytes | None, text: str | None) -> None:
    """Remember what was uploaded or pasted, so the preview can parse it again with another mapping."""
    if text is not None:
        draft["source_text"] = text
        return
    sources_expire()
    path = default_storage.save(f"{SOURCE_DIR}/{draft['token']}.bin", ContentFile(data))
    draft["source_path"] = path
    draft["source_file"] = name


def source_read(draft: dict) -> tuple[str, bytes | None, str | None]:
    """(file name, bytes, text) as kept by source_keep; ("", None, None) once the file is gone."""
    if "source_text" in draft:
        return "", None, draft["source_text"]
    path = draft.get("source_path")
    if not path or not default_storage.exists(path):
        return "", None, None
    with default_storage.open(path, "rb") as handle:
        return draft["source_file"], handle.read(), None


def sources_expire(*, now: datetime.datetime | None = None, keep: datetime.timedelta = datetime.timedelta(days=2)) -> int:
    """Remove the sources of drafts abandoned more than ``keep`` ago (a preview left open never confirms)."""
    now = now or timezone.now()
    try:
        names = default_storage.listdir(SOURCE_DIR)[1]
    except (FileNotFoundError, NotImplementedError):
        return 0
    removed = 0
    for name in names:
        path = f"{SOURCE_DIR}/{name}"
        try:
            if now - default_storage.get_modified_time(path) > keep:
                default_storage.delete(path)
                removed += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    return removed


def source_drop(draft: dict | None) -> None:
    path = (draft or {}).get("source_path")
    if path and default_storage.exists(path):
        default_storage.delete(path)


# ---------------------------------------------------------------- column mapping


def remembered_columns() -> dict[str, str]:
    """The office's remembered choices {header word: role}: the ``columns=`` of every first parse."""
    return ColumnChoice.objects.mapping()


def columns_for_preview(draft: dict) -> list[dict]:
    """One entry per column read: header, detected role, guessed, and whether a remembered choice set it."""
    remembered = remembered_columns()
    return [dict(column, remembered=bool(column["header"]) and squash(column["header"]) in remembered)
            for column in draft.get("columns", [])]


class ColumnMappingForm(forms.Form):
    """One select per column (序号 / 工作任务 / … / 忽略); posted to re-preview with that mapping."""

    def __init__(self, *args, columns: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        for column in columns:
            name = f"col{column['index']}"
            self.fields[name] = forms.ChoiceField(label=column["header"] or f"第{column['index'] + 1}列",
                                                  choices=ROLE_SELECT, initial=column["role"])
            self.fields[name].widget.attrs.update({"class": "form-select form-select-sm",
                                                   "aria-label": f"第{column['index'] + 1}列的含义"})

    def rows(self):
        return [(column, self[f"col{column['index']}"]) for column in self.columns]

    def mapping(self) -> list[str]:
        return [self.cleaned_data[f"col{column['index']}"] for column in self.columns]

    def changed_headers(self) -> dict[str, str]:
        """{header word: role} for the columns the office set or confirmed (remembered on confirm): every
        column whose role differs from the detected one, and every guessed column it left as guessed."""
        chosen = {}
        for column in self.columns:
            role = self.cleaned_data[f"col{column['index']}"]
            if column["header"] and (role != column["role"] or column["guessed"]):
                chosen[squash(column["header"])] = role
        return chosen


def column_choices_remember(chosen: dict[str, str], *, user) -> int:
    """Save the office's choices per header word (inside the confirm's transaction); returns how many."""
    for header, role in chosen.items():
        ColumnChoice.objects.update_or_create(header=squash(header)[:60], defaults={"role": role, "created_by": user})
    return len(chosen)


# ---------------------------------------------------------------- items without a deadline

MISSING_DEADLINE_CHOICES = [("report_back", "按报送截止日期"), ("year_end", "年底前（12月31日）"),
                            ("ongoing", "持续推进（不设完成日期）")]


class MissingDeadlineForm(BootstrapMixin, forms.Form):
    missing_deadline = forms.ChoiceField(label="没有时限的事项", choices=MISSING_DEADLINE_CHOICES,
                                         initial="report_back", widget=forms.RadioSelect, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missing_deadline"].widget.attrs["class"] = "form-check-input"

    def clean_missing_deadline(self):
        return self.cleaned_data.get("missing_deadline") or "report_back"  # the default: the report-back date


def missing_deadlines_apply(parsed: ParsedNotice, choice: str, year: int) -> int:
    """Give every item without any 时限 the one chosen for all of them; returns how many."""
    text = {"year_end": "年底前", "ongoing": "持续推进"}.get(choice)
    count = 0
    for task in parsed.all_tasks():
        if task.deadline_text.strip():
            continue
        count += 1
        if text:
            task.deadline_text = text
            task.deadline = resolve_deadline(text, year).date if choice == "year_end" else None
            if choice == "year_end" and task.deadline is None:
                task.deadline = datetime.date(year, 12, 31)
    return count


# ---------------------------------------------------------------- hints, grouped

HINT_GROUPS = (("column_guessed", "按内容识别的列"), ("no_deadline", "没有时限的事项"), ("no_units", "没有单位的事项"),
               ("continuation_joined", "已并入上一项的续行"), ("", "其他提示"))


def grouped_hints(warnings: list[dict], missing: list[dict]) -> list[dict]:
    """[{kind, title, hints}] in HINT_GROUPS order; each hint names its row and column."""
    groups = {kind: [] for kind, _ in HINT_GROUPS}
    for hint in sorted(warnings + missing, key=lambda h: h.get("row") or 0):
        groups[hint["kind"] if hint["kind"] in groups else ""].append(hint)
    return [{"kind": kind or "other", "title": title, "hints": groups[kind]} for kind, title in HINT_GROUPS
            if groups[kind]]
