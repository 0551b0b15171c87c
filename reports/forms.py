"""Forms of the summary pages: scope picking, the lead-unit summary, the annual text, the look-back."""
from __future__ import annotations

import datetime

from django import forms

from core.locking import VersionRequiredMixin
from tasks.forms import DATE_WIDGET, BootstrapMixin
from tasks.models import Notice


class ScopeForm(BootstrapMixin, forms.Form):
    """Year and (optionally) one notice; the notice list only holds notices the user can see."""

    year = forms.TypedChoiceField(label="年度", coerce=int)
    notice = forms.ModelChoiceField(label="通知", queryset=Notice.objects.none(), required=False,
                                    empty_label="全部通知")

    def __init__(self, data, *, user, years: list[tuple[int, str]], default_year: int):
        """``years``: (year, label) options as tasks.years.year_choices gives them."""
        data = data.copy() if data else {}
        data.setdefault("year", default_year)
        super().__init__(data)
        self.fields["year"].choices = years
        year = self._year(data.get("year"), default_year)
        self.fields["notice"].queryset = (Notice.objects.visible_to(user).filter(work_year=year)
                                          .order_by("issue_date", "doc_serial", "id"))
        self.fields["notice"].label_from_instance = lambda n: n.doc_number
        self._style_fields()

    @staticmethod
    def _year(value, default):
        try:
            return int(value)
        except (TypeError, ValueError):
            return default


class LeadSummaryForm(VersionRequiredMixin, BootstrapMixin, forms.Form):
    text = forms.CharField(label="落实情况汇总", widget=forms.Textarea(attrs={"rows": 12}), required=False,
                           help_text="按单位顺序概述各单位落实情况；未报送的单位请注明。")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_fields()


class AnnualTextForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label="年报文字", widget=forms.Textarea(attrs={"rows": 16}), required=False,
                           help_text="每段一行；导出时写入“年报文字”工作表。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_fields()


class LookbackForm(BootstrapMixin, forms.Form):
    """Which of last year's unfinished items to carry, and where to put them."""

    items = forms.TypedMultipleChoiceField(label="需要整改的事项", coerce=int, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    to_notice = forms.ModelChoiceField(label="加入通知", queryset=Notice.objects.none(), required=False,
                                       empty_label="新建一份通知")
    new_doc_number = forms.CharField(label="新通知文号", required=False, max_length=60,
                                     help_text="选择“新建一份通知”时填写，例如：鼓政办〔2026〕12号")
    new_title = forms.CharField(label="新通知标题", required=False, max_length=300)
    deadline = forms.DateField(label="整改时限", widget=DATE_WIDGET, required=False,
                               help_text="留空则为整改年度的12月31日。")

    def __init__(self, *args, candidates, to_year: int, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(c.item.pk, str(c.item)) for c in candidates]
        notices = Notice.objects.filter(work_year=to_year)
        if user is not None and not user.sees_all_governments:
            notices = notices.filter(government_id=user.government_id)
        self.fields["to_notice"].queryset = notices.order_by("issue_date", "id")
        self.fields["to_notice"].label_from_instance = lambda n: f"{n.doc_number} {n.title}"
        self.fields["new_title"].initial = f"关于印发{to_year}年政务公开工作回头看整改任务清单的通知"
        self.fields["deadline"].initial = datetime.date(to_year, 12, 31)
        self._style_fields()
        self.fields["items"].widget.attrs["class"] = "form-check-input"
