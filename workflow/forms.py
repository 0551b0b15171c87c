"""Forms of the workflow pages (calendar, chasing, review)."""
from django import forms

from workflow.models import CalendarDay, Delivery


class CalendarDayForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
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
