"""The annual report's edit form: six texts and one field per number, named by its field code."""
from __future__ import annotations

from django import forms

from core.locking import VersionRequiredMixin
from reports.annual import format as fmt
from reports.annual.figures import CARRIED_CODES, CellError, display, parse_cell
from reports.annual.format import SLASH_FIELDS


def _grid_positions() -> dict[str, tuple[str, int, int]]:
    """Each cell's table and (row, column) in it, as a spreadsheet would see it: pasting a block copied
    from Excel/WPS fills the cells right and down from the one it is pasted into."""
    grid = {}
    row = 0
    for block in fmt.T2_BLOCKS:
        for line in block.rows:
            for c, col in enumerate(block.columns):
                grid[f"t2.{line.code}.{col.code}"] = ("t2", row, c)
            row += 1
    for r, line in enumerate(fmt.T3_ROWS):
        for c, col in enumerate(fmt.T3_COLUMNS):
            grid[fmt.t3_code(line.code, col.code)] = ("t3", r, c)
    for g, group in enumerate(fmt.T4_GROUPS):
        for c, col in enumerate(fmt.T4_COLUMNS):
            grid[fmt.t4_code(group.code, col.code)] = ("t4", 0, g * len(fmt.T4_COLUMNS) + c)
    return grid

class AnnualReportForm(VersionRequiredMixin, forms.Form):
    """Cells are text fields: a count, blank (not entered yet), or "/" where the form allows it.

    Totals are read-only and computed (figures.with_totals); cells given by ``locked`` (figures kept
    elsewhere, figures.external_figures) are read-only too and never taken from the post.
    """

    owner_name = forms.CharField(label="报告主体", max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, can_rename: bool = False, locked=(), carried_from: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = frozenset(locked)
        if not can_rename:
            del self.fields["owner_name"]
        for section in fmt.SECTIONS:
            self.fields[section.key] = forms.CharField(
                label=section.heading, required=False, max_length=20000,
                widget=forms.Textarea(attrs={"rows": 8 if section.key in ("overview", "other") else 4,
                                             "class": "form-control annual-text", "data-section": section.key}),
                error_messages={"max_length": "内容过长（不超过20000字）。"})
        grid = _grid_positions()
        for spec in fmt.FIELDS:
            computed = spec.code in fmt.TOTAL_CODES
            table, row, col = grid[spec.code]
            attrs = {"class": "form-control form-control-sm annual-num" + (" annual-total" if computed else ""),
                     "data-code": spec.code, "aria-label": spec.display, "autocomplete": "off",
                     "inputmode": "decimal" if spec.decimal else "numeric",
                     "data-grid": table, "data-r": row, "data-c": col}
            if computed or spec.code in self.locked:
                attrs.update({"readonly": "readonly", "tabindex": "-1"})
                attrs["title"] = "自动计算，无需填写" if computed else "取自依申请公开登记，不在此填写"
            if spec.code in SLASH_FIELDS:
                attrs["placeholder"] = "/"
            if carried_from and spec.code in CARRIED_CODES and "readonly" not in attrs:
                attrs["class"] += " annual-carried"
                attrs["title"] = (f"取自{carried_from}年报告的“结转下年度继续办理”" if spec.code.startswith("t3.")
                                  else f"按{carried_from}年报告的现行有效件数预填，请按本年制发、废止调整")
            self.fields[spec.code] = forms.CharField(required=False, label=spec.display, max_length=30,
                                                     strip=True, widget=forms.TextInput(attrs=attrs))

    def clean(self):
        cleaned = super().clean()
        for code in fmt.FIELD_CODES:
            if code in fmt.TOTAL_CODES or code in self.locked or code in self.errors:
                continue
            try:
                cleaned[code] = parse_cell(code, cleaned.get(code))
            except CellError as exc:
                self.add_error(code, str(exc))
        return cleaned

    @classmethod
    def initial_for(cls, report, cells: dict | None = None) -> dict:
        cells = report.cells() if cells is None else cells
        initial = {code: display(cells.get(code)) for code in fmt.FIELD_CODES}
        initial.update(report.sections)
        initial["owner_name"] = report.owner_name
        initial["version"] = report.version
        return initial

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key in fmt.SECTION_KEYS}

    def figures(self) -> dict:
        """The entered cells (None for blank); totals and locked cells left for the service."""
        return {code: self.cleaned_data.get(code) for code in fmt.FIELD_CODES
                if code not in fmt.TOTAL_CODES and code not in self.locked}

    # ------------------------------------------------------------ layout for the template
    def table_two(self) -> list[dict]:
        blocks = []
        for block in fmt.T2_BLOCKS:
            blocks.append({
                "article": block.article,
                "columns": [c.text for c in block.columns],
                "single": len(block.columns) == 1,
                "rows": [{"label": row.text,
                          "fields": [self[f"t2.{row.code}.{col.code}"] for col in block.columns]}
                         for row in block.rows],
            })
        return blocks

    def table_three(self) -> list[dict]:
        return [{"code": row.code, "labels": cells,
                 "fields": [self[fmt.t3_code(row.code, col.code)] for col in fmt.T3_COLUMNS]}
                for row, cells in fmt.t3_label_layout()]

    def table_four(self) -> list:
        return [self[fmt.t4_code(group.code, col.code)] for group in fmt.T4_GROUPS for col in fmt.T4_COLUMNS]


class PublishForm(forms.Form):
    published_on = forms.DateField(label="发布日期", error_messages={"required": "请填写发布日期。",
                                                                  "invalid": "发布日期格式应为 2027-01-31。"})
    url = forms.URLField(label="发布网址", max_length=500, assume_scheme="https",
                         error_messages={"required": "请填写发布网址。", "invalid": "请填写有效的网址（以 http:// 或 https:// 开头）。"})
