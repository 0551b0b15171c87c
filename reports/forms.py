"""Forms of the summary pages: scope picking, the lead-unit summary, the annual text, the look-back."""
from __future__ import annotations

import datetime

from django import forms

from core.forms import PlainSelect, read_options_as_values
from core.locking import VersionRequiredMixin
from reports.summary import LookbackFilter
from tasks.forms import DATE_WIDGET, BootstrapMixin
from tasks.models import Notice


class ScopeForm(BootstrapMixin, forms.Form):
    """Year and (optionally) one notice; the notice list only holds notices the user can see."""

    year = forms.TypedChoiceField(label="年度", coerce=int, widget=PlainSelect)
    notice = forms.ModelChoiceField(label="通知", queryset=Notice.objects.none(), required=False,
                                    empty_label="全部通知", widget=PlainSelect)

    def __init__(self, data, *, user, years: list[tuple[int, str]], default_year: int):
        """``years``: (year, label) options as tasks.years.year_choices gives them."""
        data = data.copy() if data else {}
        data.setdefault("year", default_year)
        super().__init__(data)
        self.fields["year"].choices = years
        year = self._year(data.get("year"), default_year)
        # A hundred notices a year: options as plain values, written in Python (core.forms.PlainSelect); set before
        # the queryset, which hands the widget its option iterator.
        read_options_as_values(self.fields["notice"], ("doc_number",), str)
        self.fields["notice"].queryset = (Notice.objects.visible_to(user).filter(work_year=year)
                                          .order_by("issue_date", "doc_serial", "id"))
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


class ItemIdsField(forms.Field):
    """Checked item ids (the look-back page's checkboxes): a list of ints; which of them may be carried is the
    service's to say (reports.services.lookback_create), so the page need not list every candidate."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": "所选事项无效，请刷新页面后重新选择。"}

    def to_python(self, value):
        try:
            return [int(v) for v in value or []]
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class LookbackForm(BootstrapMixin, forms.Form):
    """Which of last year's unfinished items to carry (the checked ones, or all matching the page's filter), and
    where to put them. ``to_notices``: the next year's notices where the caller has read them already."""

    items = ItemIdsField(label="需要整改的事项", required=False)
    all_matching = forms.BooleanField(label="选择全部符合条件的事项（不限本页）", required=False)
    to_notice = forms.TypedChoiceField(label="加入通知", coerce=int, required=False, empty_value=None,
                                       widget=PlainSelect)
    new_doc_number = forms.CharField(label="新通知文号", required=False, max_length=60,
                                     help_text="选择“新建一份通知”时填写，例如：鼓政办〔2026〕12号")
    new_title = forms.CharField(label="新通知标题", required=False, max_length=300)
    deadline = forms.DateField(label="整改时限", widget=DATE_WIDGET, required=False,
                               help_text="留空则为整改年度的12月31日。")

    def __init__(self, *args, to_year: int, user=None, to_notices: list[Notice] | None = None, candidates=None,
                 **kwargs):
        """``candidates`` is accepted for the archive page's call and not used."""
        super().__init__(*args, **kwargs)
        if to_notices is None:
            to_notices = list(lookback_notices(user, [to_year]))
        self._notices = {n.pk: n for n in to_notices}
        self.fields["to_notice"].choices = [("", "新建一份通知")] + [(n.pk, f"{n.doc_number} {n.title}")
                                                                   for n in to_notices]
        self.fields["new_title"].initial = f"关于印发{to_year}年政务公开工作回头看整改任务清单的通知"
        self.fields["deadline"].initial = datetime.date(to_year, 12, 31)
        self._style_fields()

    def clean_to_notice(self):
        pk = self.cleaned_data["to_notice"]
        return self._notices[pk] if pk is not None else None


def lookback_notices(user, years: list[int]):
    """The government's notices of ``years`` (the look-back's filter and target lists), in the order issued."""
    notices = Notice.objects.filter(work_year__in=years)
    if user is not None and not user.sees_all_governments:
        notices = notices.filter(government_id=user.government_id)
    return notices.order_by("issue_date", "id").only("pk", "doc_number", "title", "work_year")


class LookbackFilterForm(BootstrapMixin, forms.Form):
    """The look-back page's filter bar (GET): notice, unit with an open row, keyword, only the uncarried ones."""

    notice = forms.TypedChoiceField(label="通知", coerce=int, required=False, empty_value=None, widget=PlainSelect)
    unit = forms.TypedChoiceField(label="未完成单位", coerce=int, required=False, empty_value=None,
                                  widget=PlainSelect)
    q = forms.CharField(label="关键词", required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": "事项内容或部分标题"}))
    pending = forms.BooleanField(label="只看尚未整改的", required=False)

    def __init__(self, data, *, notices: list[Notice], units: list[tuple[int, str]]):
        super().__init__(data)
        self.fields["notice"].choices = [("", "全部通知")] + [(n.pk, n.doc_number) for n in notices]
        self.fields["unit"].choices = [("", "全部单位")] + units
        self._style_fields()

    def filters(self):
        """The valid part of the filter as a ``reports.summary.LookbackFilter`` (a bad value reads as unset)."""
        if not self.is_bound:
            return LookbackFilter()
        self.is_valid()
        data = self.cleaned_data
        return LookbackFilter(notice_id=data.get("notice"), unit_id=data.get("unit"),
                              keyword=(data.get("q") or "").strip(), pending_only=bool(data.get("pending")))
