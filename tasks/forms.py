"""Forms for notices, sections, items (with unit picking) and progress reports."""
from __future__ import annotations

import datetime
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from core.dates import cn_date
from core.forms import DateInput
from tasks.models import Assignment, Item, Notice, Section
from units.models import Unit, UnitGroup

DATE_WIDGET = DateInput()

EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
EVIDENCE_MAX_FILES = 5
EVIDENCE_EXTENSIONS = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".ofd", ".jpg", ".jpeg", ".png", ".txt"}
EVIDENCE_LINK_MAX_CHARS = 500  # the Evidence.url column
EVIDENCE_MAX_LINKS = 10
EVIDENCE_LINKS_HELP = f"每行一个网址，如政府网站上公开的页面；最多 {EVIDENCE_MAX_LINKS} 个，每个不超过 {EVIDENCE_LINK_MAX_CHARS} 个字符。"
EVIDENCE_HELP = "可上传 PDF、Word、Excel、OFD、图片（JPG/PNG）或文本文件，每个不超过 20 MB，最多 5 个。"


class BootstrapMixin:
    """Give every widget Bootstrap's classes so templates can render fields plainly."""

    def _style_fields(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput,)):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class NoticeForm(BootstrapMixin, forms.ModelForm):
    cited_documents_text = forms.CharField(
        label="引用的上级文件文号", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一个文号，例如：国办发〔2022〕8号")

    class Meta:
        model = Notice
        fields = ["doc_number", "title", "issuer", "issue_date", "work_year", "recipients", "report_back_date",
                  "publicity", "body"]
        widgets = {"issue_date": DATE_WIDGET, "report_back_date": DATE_WIDGET,
                   "recipients": forms.Textarea(attrs={"rows": 2}), "body": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"doc_number": "例如：鼓政办〔2022〕46号", "work_year": "该分解表所属的工作年度"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["cited_documents_text"] = "\n".join(self.instance.cited_documents or [])
        self._style_fields()

    def clean_doc_number(self):
        from tasks.services import notice_doc_number

        self._doc = notice_doc_number(self.cleaned_data["doc_number"], exclude_pk=self.instance.pk)
        return self._doc.text

    def clean_work_year(self):
        year = self.cleaned_data["work_year"]
        if not 2000 <= year <= 2100:
            raise ValidationError("工作年度应在2000年至2100年之间。")
        return year

    def clean_cited_documents_text(self):
        from tasks.parsing import DocNumberError, parse_doc_number

        result = []
        for line in self.cleaned_data.get("cited_documents_text", "").splitlines():
            if not line.strip():
                continue
            try:
                result.append(parse_doc_number(line).text)
            except DocNumberError:
                raise ValidationError(f"“{line.strip()}”不是有效的文号。")
        return result

    def save(self, commit=True):
        notice = super().save(commit=False)
        doc = getattr(self, "_doc", None)
        if doc:
            from tasks.services import notice_doc_fields

            for name, value in notice_doc_fields(doc).items():
                setattr(notice, name, value)
        notice.cited_documents = self.cleaned_data.get("cited_documents_text", [])
        if commit:
            notice.save()
        return notice


class SectionForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Section
        fields = ["parent", "number", "title", "position"]
        help_texts = {"number": "中文序号，如“一”；二级部分填“一”表示（一）", "position": "排序，数字小的在前"}

    def __init__(self, *args, notice: Notice, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = notice
        self.fields["parent"].queryset = notice.sections.filter(parent__isnull=True)
        self.fields["parent"].label = "上级部分（二级部分才选）"
        self._style_fields()

    def clean_number(self):
        number = self.cleaned_data["number"].strip().strip("、（）()")
        if not number or any(ch not in "一二三四五六七八九十百零〇" for ch in number):
            raise ValidationError("序号应为中文数字，例如“一”“十四”。")
        return number


def unit_choices(government) -> list[tuple[str, list[tuple[str, str]]]]:
    """The unit picker's choices: the government's group phrases and active units."""
    groups = [(f"g:{g.pk}", f"{g.phrase}（泛称）") for g in UnitGroup.objects.filter(government=government)]
    units = [(f"u:{u.pk}", u.short_name) for u in Unit.objects.active().in_government(government).in_fixed_order()]
    return [("单位组（泛称）", groups), ("单位", units)]


def _target_key(target) -> str:
    return f"g:{target.pk}" if isinstance(target, UnitGroup) else f"u:{target.pk}"


class ItemForm(BootstrapMixin, forms.ModelForm):
    """An item with its units picked from the unit list and group phrases."""

    ROLE_FIELDS = (("lead_units", "lead_units_text", "牵头单位"),
                   ("responsible_units", "responsible_units_text", "责任单位"),
                   ("cooperating_units", "cooperating_units_text", "配合单位"))

    lead_units = forms.MultipleChoiceField(label="牵头单位", required=False)
    responsible_units = forms.MultipleChoiceField(label="责任单位", required=False,
                                                  help_text="可选单位组（如“区直各有关部门”），组内每个单位各生成一行台账。")
    cooperating_units = forms.MultipleChoiceField(label="配合单位", required=False)

    class Meta:
        model = Item
        fields = ["section", "number", "title", "requirement", "deadline_text", "deadline", "is_ongoing",
                  "evidence_required", "evidence_reason"]
        widgets = {"deadline": DATE_WIDGET, "requirement": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"deadline_text": "按原表填写，如“10月底前”“持续推进”；留空则取完成时限",
                      "deadline": "留空时按时限原文推算；均为空则取通知的报送截止日期",
                      "evidence_required": "默认不要求佐证。勾选后，单位标记“已完成”时须附佐证文件或链接（此前报送已附的也算）。",
                      "evidence_reason": "勾选“要求上传佐证”时必填，单位填报时可见，例如：须提供政府网站公开页面链接"}

    def __init__(self, *args, notice: Notice, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = notice
        self.fields["section"].queryset = notice.sections.all()
        self.fields["section"].label_from_instance = lambda s: s.heading
        choices = unit_choices(notice.government)
        self._written_by_key: dict[str, str] = {}
        for field_name, text_attr, _label in self.ROLE_FIELDS:
            self.fields[field_name].choices = choices
            self.fields[field_name].widget.attrs.update({"size": 10, "data-unit-picker": "1"})
            if self.instance.pk:
                self.initial[field_name] = self._initial_keys(getattr(self.instance, text_attr))
        if not self.instance.pk:
            last = notice.items.filter(withdrawn_on__isnull=True).order_by("-number").values_list("number", flat=True).first()
            self.initial.setdefault("number", (last or 0) + 1)
        self._style_fields()

    def _initial_keys(self, texts: list[str]) -> list[str]:
        from tasks.services import resolve_name

        keys = []
        for text in texts:
            target = resolve_name(text, government=self.notice.government)
            if target is not None:
                key = _target_key(target)
                self._written_by_key[key] = text
                keys.append(key)
        return keys

    def clean_number(self):
        number = self.cleaned_data["number"]
        if number < 1:
            raise ValidationError("序号必须是正整数。")
        clash = self.notice.items.filter(number=number, withdrawn_on__isnull=True).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(f"本通知已有第{number}项。")
        return number

    def clean(self):
        cleaned = super().clean()
        seen: dict[str, str] = {}
        for field_name, _text_attr, label in self.ROLE_FIELDS:
            for key in cleaned.get(field_name, []):
                if key in seen:
                    name = dict(c for _g, group in unit_choices(self.notice.government) for c in group).get(key, key)
                    self.add_error(field_name, f"“{name}”已在{seen[key]}中选择，同一单位不能重复选择。")
                seen[key] = label
        if not any(cleaned.get(f) for f, _t, _l in self.ROLE_FIELDS):
            raise ValidationError("请至少选择一个牵头单位或责任单位。")
        if not cleaned.get("deadline") and not cleaned.get("is_ongoing") and cleaned.get("deadline_text"):
            from tasks.parsing import resolve_deadline

            resolved = resolve_deadline(cleaned["deadline_text"], self.notice.work_year)
            if resolved.ongoing:
                cleaned["is_ongoing"] = True
            elif resolved.date:
                cleaned["deadline"] = resolved.date
            elif not resolved.recognised:
                self.add_error("deadline_text", "无法识别该时限，请同时填写完成时限日期。")
        if cleaned.get("deadline") and cleaned.get("is_ongoing"):
            self.add_error("is_ongoing", "“持续推进”的事项不应再填写完成时限日期。")
        reason = (cleaned.get("evidence_reason") or "").strip()
        cleaned["evidence_reason"] = reason if cleaned.get("evidence_required") else ""
        if cleaned.get("evidence_required") and not reason:
            self.add_error("evidence_reason", "要求上传佐证时，请写明理由（单位填报时可见）。")
        return cleaned

    def _texts_for(self, keys: list[str]) -> list[str]:
        government = self.notice.government
        units = {f"u:{u.pk}": u.short_name for u in Unit.objects.in_government(government)}
        groups = {f"g:{g.pk}": g.phrase for g in UnitGroup.objects.filter(government=government)}
        return [self._written_by_key.get(k) or units.get(k) or groups.get(k) for k in keys]

    def save(self, commit=True):
        item = super().save(commit=False)
        item.notice = self.notice
        item.deadline = self.cleaned_data.get("deadline")
        item.is_ongoing = self.cleaned_data.get("is_ongoing", False)
        for field_name, text_attr, _label in self.ROLE_FIELDS:
            setattr(item, text_attr, self._texts_for(self.cleaned_data.get(field_name, [])))
        if commit:
            item.save()
        return item


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def validate_evidence_file(upload) -> None:
    """Size, extension and content checks for an evidence upload."""
    from tasks.uploads import sniff_matches_extension

    ext = Path(upload.name).suffix.lower()
    if ext not in EVIDENCE_EXTENSIONS:
        raise ValidationError(f"文件“{upload.name}”的类型不支持。{EVIDENCE_HELP}")
    if upload.size == 0:
        raise ValidationError(f"文件“{upload.name}”是空文件。")
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(f"文件“{upload.name}”超过 20 MB 的大小限制。")
    problem = sniff_matches_extension(upload, ext)
    if problem:
        raise ValidationError(f"文件“{upload.name}”{problem}")


def row_choice_label(row: Assignment) -> str:
    """A ledger row in a checkbox list: 鼓政办〔2022〕46号 第3项 标题 · 时限."""
    due = "持续推进" if row.is_ongoing else (cn_date(row.due_date) or "无时限")
    return f"{row.notice.doc_number} 第{row.item_number}项 {row.item.short_text[:30]} · 时限{due}"


class ProgressForm(BootstrapMixin, forms.Form):
    STATUS_CHOICES = [(Assignment.Status.IN_PROGRESS, "推进中"), (Assignment.Status.DONE, "已完成"),
                      (Assignment.Status.NOT_APPLICABLE, "不涉及")]

    status = forms.ChoiceField(label="当前状态", choices=STATUS_CHOICES, initial=Assignment.Status.IN_PROGRESS)
    text = forms.CharField(label="落实情况", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=5000, help_text="写明做了什么、在哪里公开（栏目、日期）")
    reported_on = forms.DateField(label="报送日期", widget=DATE_WIDGET)
    completed_on = forms.DateField(label="完成日期", required=False, widget=DATE_WIDGET,
                                   help_text="标记“已完成”时填写，默认为报送日期")
    na_reason = forms.CharField(label="不涉及的理由", required=False, max_length=300)
    links = forms.CharField(label="佐证链接", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=EVIDENCE_LINKS_HELP)
    # accept: the phone's picker offers documents, photos and the camera for these types.
    files = MultipleFileField(label="佐证文件", required=False, help_text=EVIDENCE_HELP, widget=MultipleFileInput(
        attrs={"accept": ",".join(sorted(EVIDENCE_EXTENSIONS)) + ",image/jpeg,image/png"}))

    also = forms.MultipleChoiceField(label="同时填报到以下相同要求的事项", required=False,
                                     widget=forms.CheckboxSelectMultiple,
                                     error_messages={"invalid_choice": "所选事项不能同时填报：只能选择本单位工作要求相同、尚未完成的事项。"},
                                     help_text="本单位其他工作要求相同、尚未完成的事项：勾选后将同一内容和佐证分别报送到这些事项。")

    def __init__(self, *args, today: datetime.date, same_rows=(), last_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["reported_on"].initial = today
        if last_text and not self.is_bound:
            self.initial["text"] = last_text  # start from the last report: edit, don't retype
        self.same_rows = {str(row.pk): row for row in same_rows}
        self.fields["also"].choices = [(key, row_choice_label(row)) for key, row in self.same_rows.items()]
        self._style_fields()
        self.fields["also"].widget.attrs["class"] = "form-check-input"

    def clean_also(self):
        return [self.same_rows[key] for key in self.cleaned_data.get("also", [])]

    def clean_reported_on(self):
        value = self.cleaned_data["reported_on"]
        if value > self.today:
            raise ValidationError("报送日期不能晚于今天。")
        return value

    def clean_links(self):
        validator = URLValidator(schemes=["http", "https"])
        links = [line.strip() for line in self.cleaned_data.get("links", "").splitlines() if line.strip()]
        if len(links) > EVIDENCE_MAX_LINKS:
            raise ValidationError(f"佐证链接最多 {EVIDENCE_MAX_LINKS} 个，您填写了 {len(links)} 个。")
        for number, link in enumerate(links, 1):
            if len(link) > EVIDENCE_LINK_MAX_CHARS:
                raise ValidationError(f"第 {number} 个佐证链接有 {len(link)} 个字符，超过 {EVIDENCE_LINK_MAX_CHARS} 个字符的上限："
                                      "请改用较短的网址（如去掉“?”后的跟踪参数）。")
            try:
                validator(link)
            except ValidationError:
                raise ValidationError(f"“{link}”不是有效的网址（应以 http:// 或 https:// 开头）。")
        return links

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > EVIDENCE_MAX_FILES:
            raise ValidationError(f"一次最多上传 {EVIDENCE_MAX_FILES} 个文件。")
        for upload in files:
            validate_evidence_file(upload)
        return files

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status == Assignment.Status.NOT_APPLICABLE and not (cleaned.get("na_reason") or "").strip():
            self.add_error("na_reason", "选择“不涉及”时必须说明理由。")
        if status != Assignment.Status.NOT_APPLICABLE and not (cleaned.get("text") or "").strip():
            self.add_error("text", "请填写落实情况。")
        completed = cleaned.get("completed_on")
        if completed and cleaned.get("reported_on") and completed > cleaned["reported_on"]:
            self.add_error("completed_on", "完成日期不能晚于报送日期。")
        return cleaned
