"""Forms of the workflow pages (calendar, chasing, review)."""
import datetime

from django import forms

from core.dates import cn_date
from core.forms import DateInput
from workflow.models import CalendarDay, Delivery


class CalendarDayForm(forms.Form):
    date = forms.DateField(label="日期", widget=DateInput(attrs={"class": "form-control"}))
    kind = forms.ChoiceField(label="类型", choices=CalendarDay.Kind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    name = forms.CharField(label="节日", max_length=50, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "如：春节"}))


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, widget=forms.HiddenInput)
    note = forms.CharField(label="依据", max_length=200, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control",
                                                         "placeholder": "如：国务院办公厅关于2027年部分节假日安排的通知"}))


class ChaseForm(forms.Form):
    message = forms.CharField(label="催办内容", max_length=1000, error_messages={"required": "请填写催办内容。"},
                              widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
    urgent = forms.BooleanField(label="加急（夜间和节假日也立即发送）", required=False,
                                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


class ChaseSheetForm(forms.Form):
    """督办通知单's 要求报送日期: a date, not before the chase and at most a year after it."""

    by = forms.DateField(label="要求报送日期", input_formats=["%Y-%m-%d"],
                         error_messages={"required": "请填写要求报送日期。",
                                         "invalid": "要求报送日期格式不正确，请选择日期或写成 2026-12-04 这样的日期。"},
                         widget=DateInput(attrs={"class": "form-control form-control-sm w-auto"}))

    def __init__(self, *args, chased_on, **kwargs):
        super().__init__(*args, **kwargs)
        self.chased_on = chased_on
        self.fields["by"].widget.attrs.update(min=chased_on.isoformat(),
                                              max=(chased_on + datetime.timedelta(days=366)).isoformat())

    def clean_by(self):
        by = self.cleaned_data["by"]
        if by < self.chased_on:
            raise forms.ValidationError(f"要求报送日期不能早于催办日期{cn_date(self.chased_on)}。")
        if by > self.chased_on + datetime.timedelta(days=366):
            raise forms.ValidationError(f"要求报送日期不能晚于催办日期{cn_date(self.chased_on)}之后一年。")
        return by


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", max_length=500, error_messages={"required": "请填写退回理由。"},
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control",
                                                          "placeholder": "说明需要补充或修改的内容"}))


class ChannelPreferenceForm(forms.Form):
    by_email = forms.BooleanField(label="电子邮件", required=False,
                                  widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
    by_sms = forms.BooleanField(label="短信", required=False,
                                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *Delivery.Status.choices],
                               widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    channel = forms.ChoiceField(label="渠道", required=False, choices=[("", "全部渠道"), *Delivery.Channel.choices],
                                widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
