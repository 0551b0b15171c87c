"""The annual report's edit form: six texts and one field per number, named by its field code."""
from __future__ import annotations

from decimal import Decimal

from django import forms

from reports.annual import format as fmt

COUNT_ERRORS = {"invalid": "请填写整数。", "min_value": "不能为负数。", "max_value": "数字过大，请核实。"}
AMOUNT_ERRORS = {
    "invalid": "请填写数字（单位：万元）。", "min_value": "不能为负数。", "max_value": "金额过大，请核实。",
    "max_digits": "数字位数过多。", "max_decimal_places": "最多保留四位小数。", "max_whole_digits": "金额过大，请核实。",
}


class AnnualReportForm(forms.Form):
    owner_name = forms.CharField(label="报告主体", max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, can_rename: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_rename:
            del self.fields["owner_name"]
        for section in fmt.SECTIONS:
            self.fields[section.key] = forms.CharField(
                label=section.heading, required=False, max_length=20000,
                widget=forms.Textarea(attrs={"rows": 8 if section.key in ("overview", "other") else 4,
                                             "class": "form-control annual-text", "data-section": section.key}),
                error_messages={"max_length": "内容过长（不超过20000字）。"})
        for spec in fmt.FIELDS:
            attrs = {"class": "form-control form-control-sm annual-num", "data-code": spec.code,
                     "aria-label": spec.display, "inputmode": "decimal" if spec.decimal else "numeric"}
            if spec.decimal:
                field = forms.DecimalField(min_value=Decimal(0), max_value=Decimal("999999999"), max_digits=14,
                                           decimal_places=4, required=False, label=spec.display,
                                           error_messages=AMOUNT_ERRORS, widget=forms.TextInput(attrs=attrs))
            else:
                field = forms.IntegerField(min_value=0, max_value=10**9, required=False, label=spec.display,
                                           error_messages=COUNT_ERRORS, widget=forms.TextInput(attrs=attrs))
            self.fields[spec.code] = field

    @classmethod
    def initial_for(cls, report) -> dict:
        values = report.figure_values()
        initial = {code: values[code] for code in fmt.FIELD_CODES}
        initial.update(report.sections)
        initial["owner_name"] = report.owner_name
        initial["version"] = report.version
        return initial

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key in fmt.SECTION_KEYS}

    def figures(self) -> dict:
        return {code: self.cleaned_data.get(code) or 0 for code in fmt.FIELD_CODES}

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
