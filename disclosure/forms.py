"""Forms of the register. Each takes `today` so future dates are refused next to the field."""
from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError

from core.dates import cn_date
from disclosure.models import OUTCOME_CHOICES, Application, ApplicationEvent, ReviewCase
from tasks.forms import DATE_WIDGET, EVIDENCE_HELP, BootstrapMixin, MultipleFileField, validate_evidence_file
from units.models import Unit, User

MAX_DOCUMENTS = 5


def _not_future(value, today, what="日期"):
    if value and value > today:
        raise ValidationError(f"{what}{cn_date(value)}晚于今天，不能登记未来的日期。")
    return value


class ApplicationForm(BootstrapMixin, forms.ModelForm):
    unit = forms.ModelChoiceField(label="办理单位", queryset=Unit.objects.active().in_fixed_order(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Application
        fields = ["reference", "received_on", "channel", "applicant_type", "applicant_name", "applicant_contact",
                  "request_text", "handler", "handler_name", "note"]
        widgets = {"received_on": DATE_WIDGET, "request_text": forms.Textarea(attrs={"rows": 4}),
                   "note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"reference": "本单位的登记编号，可不填", "applicant_contact": "电话、地址或电子邮箱；仅本单位和公开办可见",
                      "applicant_name": "仅本单位和公开办可见，列表中脱敏显示"}

    def __init__(self, *args, today: datetime.date, unit=None, choose_unit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fixed_unit = unit
        if not choose_unit:
            del self.fields["unit"]
        else:
            self.fields["unit"].required = True
        owner = unit or (self.instance.unit if self.instance.pk else None)
        handlers = User.objects.filter(is_active=True, role__in=[User.Role.LIAISON, User.Role.OFFICE_ADMIN])
        self.fields["handler"].queryset = (handlers.filter(unit=owner) if owner else handlers).order_by("username")
        self.fields["handler"].required = False
        self.fields["applicant_type"].choices = Application.ApplicantType.choices
        self.fields["applicant_type"].error_messages["invalid_choice"] = (
            "申请人类型必须是自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他之一。")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self._style_fields()

    def clean_received_on(self):
        return _not_future(self.cleaned_data["received_on"], self.today, "收到日期")

    @property
    def owner_unit(self):
        return self.fixed_unit or self.cleaned_data.get("unit") or (self.instance.unit if self.instance.pk else None)

    def values(self) -> dict:
        return {f: self.cleaned_data[f] for f in self.Meta.fields}


class EventForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="办理过程", choices=ApplicationEvent.Kind.choices)
    date = forms.DateField(label="日期", widget=DATE_WIDGET)
    note = forms.CharField(label="说明", required=False, max_length=300,
                           help_text="如补正通知书文号、延期审批人、第三方名称")

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["date"].initial = today
        self._style_fields()

    def clean_date(self):
        return _not_future(self.cleaned_data["date"], self.today)


class AnswerForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(label="办理结果", choices=[("", "请选择（年报表三的22种结果）")] + OUTCOME_CHOICES,
                                error_messages={"invalid_choice": "办理结果必须是年报表三的22种结果之一。"})
    answered_on = forms.DateField(label="办结日期", widget=DATE_WIDGET)
    note = forms.CharField(label="答复说明", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    files = MultipleFileField(label="答复文书", required=False, help_text=EVIDENCE_HELP)

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["answered_on"].initial = today
        self._style_fields()

    def clean_answered_on(self):
        return _not_future(self.cleaned_data["answered_on"], self.today, "办结日期")

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_DOCUMENTS:
            raise ValidationError(f"一次最多上传 {MAX_DOCUMENTS} 个文件。")
        for upload in files:
            validate_evidence_file(upload)
        return files


class DocumentForm(BootstrapMixin, forms.Form):
    files = MultipleFileField(label="答复文书", help_text=EVIDENCE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_fields()

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if not files:
            raise ValidationError("请选择要上传的文件。")
        if len(files) > MAX_DOCUMENTS:
            raise ValidationError(f"一次最多上传 {MAX_DOCUMENTS} 个文件。")
        for upload in files:
            validate_evidence_file(upload)
        return files


class CaseForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ReviewCase
        fields = ["kind", "body", "filed_on", "decided_on", "result", "note"]
        widgets = {"filed_on": DATE_WIDGET, "decided_on": DATE_WIDGET}

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self._style_fields()


class ImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label="登记簿文件", widget=forms.FileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
                           help_text="Excel（.xlsx、.xls）或 CSV，至少包含收到日期、申请人类型、申请内容、办理结果、办结日期五列，"
                                     "不超过 10 MB。")
    unit = forms.ModelChoiceField(label="办理单位", queryset=Unit.objects.active().in_fixed_order())

    def __init__(self, *args, choose_unit: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not choose_unit:
            del self.fields["unit"]
        self._style_fields()
