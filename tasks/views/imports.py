"""Importing a breakdown table in the browser: upload or paste → preview → confirm. Office staff only.

The parsed result stays on the server between the steps: the session holds the breakdown JSON, the
parser's issues and a token. The preview form carries only what the office edits (the notice's
metadata) and its answer for each unknown unit name; both are validated again on confirm, which
saves everything in one transaction (services.notice_import_with_choices). On any error nothing is
saved and the preview shows the Chinese message.

Issue 11 adds (helpers in tasks.views.import_checks): a column-mapping row the office changes and
re-previews (import_columns; remembered per header word on confirm), one choice for every item without a
deadline, hints grouped by what they flag, and re-import: a 文号 already stored shows what differs and
the confirm may update that notice (services.notice_reimport).
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import asdict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import AuditEvent
from audit.trail import audit_event
from core.http import require_office, today
from tasks.breakdown import ParsedNotice, ParsedTask
from tasks.forms import DATE_WIDGET, BootstrapMixin
from tasks.importers import (
    MAX_UPLOAD_BYTES,
    UPLOAD_ACCEPT,
    ImportFailure,
    ImportResult,
    parse_text,
    parse_upload_capped,
)
from tasks.models import Notice
from tasks.parsing import DocNumberError, is_group_phrase, parse_doc_number, resolve_deadline
from tasks.reimport import notice_diff
from tasks.services import NameChoice, notice_import_with_choices, notice_reimport, unresolved_names
from tasks.views.import_checks import (
    ColumnMappingForm,
    MissingDeadlineForm,
    column_choices_remember,
    columns_for_preview,
    existing_notice,
    grouped_hints,
    missing_deadlines_apply,
    remembered_columns,
    source_drop,
    source_keep,
    source_read,
)
from units.models import Unit, UnitGroup, normalise_name

logger = logging.getLogger(__name__)

DRAFT_KEY = "tasks_import_draft"
MAX_TEXT_CHARS = 500_000
LIMIT_TEXT = f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
ROLES = (("lead", "lead_units"), ("responsible", "responsible_units"), ("cooperating", "cooperating_units"))


# ---------------------------------------------------------------- forms

class ImportStartForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label="上传文件", required=False, error_messages={"empty": "文件为空，请重新选择文件"},
        widget=forms.FileInput(attrs={"accept": UPLOAD_ACCEPT}),
        help_text=f"支持 Word（.docx/.doc/.wps）、Excel（.xlsx/.xls/.et）、PDF、OpenDocument（.odt/.ods）"
                  f"和文本（.txt）文件，不超过 {LIMIT_TEXT}；扫描件PDF无法识别文字。")
    text = forms.CharField(
        label="或粘贴表格文本", required=False, max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": "序号\t工作任务\t工作要求\t牵头单位\t责任单位\t时限\n…"}),
        help_text="从 Word、Excel、网页或 PDF 中复制整张表格（连同表头）粘贴到这里；"
                  "也可粘贴“一、…（一）…（责任单位：…）”格式的工作要点。",
        error_messages={"max_length": f"粘贴的文本过长（上限 {MAX_TEXT_CHARS} 字），请分批导入或上传文件。"})
    work_year = forms.IntegerField(label="工作年度（可选）", required=False, min_value=2000, max_value=2100,
                                   help_text="文件中没有文号和日期时，用它计算“10月底前”等时限；预览时还可修改。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_fields()

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), (cleaned.get("text") or "").strip()
        if self.errors:
            return cleaned
        if not upload and not text:
            raise ValidationError("请选择要上传的文件，或粘贴表格文本。")
        if upload and text:
            raise ValidationError("请只用一种方式：上传文件，或粘贴文本（不要同时使用）。")
        if upload and upload.size > MAX_UPLOAD_BYTES:
            self.add_error("file", f"文件过大（{upload.size / 1024 / 1024:.1f} MB），上限为 {LIMIT_TEXT}")
        return cleaned


class ImportMetaForm(BootstrapMixin, forms.Form):
    """The notice's metadata as the preview shows it: documents often lack some of it."""

    doc_number = forms.CharField(label="文号", max_length=60, help_text="例如：鼓政办〔2022〕46号",
                                 error_messages={"required": "请填写文号，例如：鼓政办〔2022〕46号"})
    title = forms.CharField(label="标题", max_length=300, error_messages={"required": "请填写通知标题"})
    issuer = forms.CharField(label="发文机关", max_length=100, required=False)
    issue_date = forms.DateField(label="成文日期", required=False, widget=DATE_WIDGET)
    work_year = forms.IntegerField(label="工作年度", min_value=2000, max_value=2100,
                                   error_messages={"required": "请填写工作年度"},
                                   help_text="“10月底前”等时限按此年度计算")
    report_back_date = forms.DateField(label="报送截止", required=False, widget=DATE_WIDGET,
                                       help_text="没有时限的事项以此为完成时限")
    update_existing = forms.BooleanField(label="按新表更新已有通知", required=False)

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self._style_fields()
        self.fields["update_existing"].widget.attrs["class"] = "form-check-input"

    def clean_doc_number(self):
        try:
            return parse_doc_number(self.cleaned_data["doc_number"]).text
        except DocNumberError as exc:
            raise ValidationError(str(exc)) from exc

    def clean(self):
        cleaned = super().clean()
        issued, due = cleaned.get("issue_date"), cleaned.get("report_back_date")
        if issued and due and due < issued:
            self.add_error("report_back_date", "报送截止日期不能早于成文日期。")
        self.existing = existing_notice(cleaned.get("doc_number"), user=self.user)
        if self.existing and not cleaned.get("update_existing"):
            self.add_error("doc_number", f"文号“{self.existing.doc_number}”的通知已存在，不能重复导入；"
                                         "如要按新表更新该通知，请核对下方的差异后勾选“按新表更新已有通知”。")
        return cleaned


class Directory:
    """The units and groups of the office's government an unknown name can be mapped to, loaded once per request."""

    def __init__(self, government):
        self.units = list(Unit.objects.active().in_government(government).in_fixed_order())
        self.groups = list(UnitGroup.objects.filter(government=government))
        self.by_key = {f"u:{u.pk}": u for u in self.units} | {f"g:{g.pk}": g for g in self.groups}
        self.target_choices = [("", "请选择…"),
                               ("单位组（泛称）", [(f"g:{g.pk}", f"{g.phrase}（泛称）") for g in self.groups]),
                               ("单位", [(f"u:{u.pk}", f"{u.short_name}（{u.name}）") for u in self.units])]
        self.member_choices = [(str(u.pk), u.short_name) for u in self.units]

    def suggest(self, key: str) -> str:
        """The one unit whose names contain the written one (or the other way round), else ""."""
        found = [u for u in self.units
                 if key in u.name or key in u.short_name or (len(u.short_name) > 2 and u.short_name in key)]
        return f"u:{found[0].pk}" if len(found) == 1 else ""


class UnknownNameForm(BootstrapMixin, forms.Form):
    ACTIONS = [("map", "对应已有单位或单位组"), ("unit", "新建单位"), ("group", "作为泛称，新建单位组")]

    action = forms.ChoiceField(label="处理方式", choices=ACTIONS, widget=forms.RadioSelect,
                               error_messages={"required": "请选择处理方式"})
    target = forms.ChoiceField(label="对应", required=False)
    name = forms.CharField(label="全称", max_length=100, required=False)
    short_name = forms.CharField(label="简称", max_length=50, required=False)
    kind = forms.ChoiceField(label="类别", choices=Unit.Kind.choices, required=False)
    members = forms.MultipleChoiceField(label="成员单位", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, key: str, texts: list[str], numbers: list[int], directory: Directory, **kwargs):
        self.key, self.texts, self.numbers, self.directory = key, texts, numbers, directory
        suggestion = directory.suggest(key)
        kind = (Unit.Kind.STREET if key.endswith(("街道", "街道办", "街道办事处"))
                else Unit.Kind.TOWN if key.endswith("镇") else Unit.Kind.DEPARTMENT)
        action = "map" if suggestion else ("group" if is_group_phrase(key) else None)
        kwargs["initial"] = {"action": action, "target": suggestion, "name": key, "short_name": key, "kind": kind}
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = directory.target_choices
        self.fields["members"].choices = directory.member_choices
        self._style_fields()
        self.fields["action"].widget.attrs["class"] = "form-check-input"
        self.fields["members"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == "map" and cleaned.get("target") not in self.directory.by_key:
            self.add_error("target", f"请选择“{self.key}”对应的单位或单位组。")
        elif action == "unit":
            if not (cleaned.get("name") or "").strip():
                self.add_error("name", "请填写新单位的全称。")
            if not (cleaned.get("short_name") or "").strip():
                self.add_error("short_name", "请填写新单位的简称。")
            if not cleaned.get("kind"):
                self.add_error("kind", "请选择新单位的类别。")
        elif action == "group" and not cleaned.get("members"):
            self.add_error("members", f"请为泛称“{self.key}”选择至少一个成员单位。")
        return cleaned

    def choice(self) -> NameChoice:
        data = self.cleaned_data
        members = tuple(self.directory.by_key[f"u:{pk}"] for pk in data.get("members") or [])
        return NameChoice(texts=self.texts, action=data["action"], target=self.directory.by_key.get(data["target"]),
                          name=data.get("name", ""), short_name=data.get("short_name", ""),
                          kind=data.get("kind") or Unit.Kind.DEPARTMENT, members=members)


# ---------------------------------------------------------------- helpers

def _parse(form: ImportStartForm) -> tuple[ImportResult, dict]:
    """Parse the upload or the text with the remembered column choices; the draft keeps the source."""
    upload, year = form.cleaned_data.get("file"), form.cleaned_data.get("work_year")
    remembered = remembered_columns() or None
    if upload:
        data = upload.read()
        result = parse_upload_capped(upload.name, data, year=year, columns=remembered)
        draft = _draft(result, upload.name, year=year)
        source_keep(draft, upload.name, data, None)
    else:
        result = parse_text(form.cleaned_data["text"], year=year, columns=remembered)
        draft = _draft(result, "粘贴的文本", year=year)
        source_keep(draft, "", None, form.cleaned_data["text"])
    return result, draft


def _draft(result: ImportResult, source_name: str, *, year: int | None = None) -> dict:
    return {
        "token": uuid.uuid4().hex, "source_name": source_name, "source_kind": result.source_kind, "year": year,
        "columns": [c.to_json() for c in result.columns], "columns_chosen": {},
        "missing": [asdict(issue) for issue in result.missing_deadlines],
        "notice": result.notice.to_json(), "parse_year": result.notice.year,
        "rows": {str(t.number): t.source_row for t in result.notice.all_tasks()},
        "warnings": [asdict(issue) for issue in result.warnings],
        "skipped": [asdict(issue) for issue in result.skipped_rows],
        "cited": list(result.cited_documents),
    }


def unit_texts(task: ParsedTask) -> list[str]:
    return [*task.lead_units, *task.responsible_units, *task.cooperating_units]


def unknown_names(parsed: ParsedNotice, government) -> list[dict]:
    """Names the government's directory does not know, grouped by lookup form: [{key, texts, numbers}] in
    table order."""
    unknown = set(unresolved_names([text for task in parsed.all_tasks() for text in unit_texts(task)],
                                   government=government))
    found: dict[str, dict] = {}
    for task in parsed.all_tasks():
        for text in unit_texts(task):
            if text in unknown:
                entry = found.setdefault(normalise_name(text), {"key": normalise_name(text), "texts": [], "numbers": []})
                if text not in entry["texts"]:
                    entry["texts"].append(text)
                if task.number not in entry["numbers"]:
                    entry["numbers"].append(task.number)
    return list(found.values())


def apply_year(parsed: ParsedNotice, year: int | None, parse_year: int | None) -> None:
    """Resolve the 时限 texts again when the work year differs from the year the parser used."""
    if year and year != parse_year:
        for task in parsed.all_tasks():
            if task.deadline_text:
                task.deadline = resolve_deadline(task.deadline_text, year).date


def preview_rows(parsed: ParsedNotice, draft: dict, index: dict[str, int], year: int | None) -> list[dict]:
    """The table as it will be issued, with what needs checking marked on each item."""
    def item(task: ParsedTask) -> dict:
        units = {role: [{"text": t, "unknown": index.get(t)} for t in getattr(task, attr)] for role, attr in ROLES}
        resolved = resolve_deadline(task.deadline_text, year) if task.deadline_text else None
        return {"kind": "item", "task": task, "units": units, "row": draft["rows"].get(str(task.number)),
                "no_units": not unit_texts(task), "deadline_bad": bool(resolved and not resolved.recognised)}

    rows = []
    for section in parsed.sections:
        if section.number or section.title:
            rows.append({"kind": "section", "text": f"{section.number}、{section.title}" if section.number
                         else section.title})
        rows += [item(t) for t in section.tasks]
        for sub in section.subsections:
            rows.append({"kind": "subsection", "text": f"（{sub.number}）{sub.title}"})
            rows += [item(t) for t in sub.tasks]
    return rows


def _meta_initial(parsed: ParsedNotice) -> dict:
    return {"doc_number": parsed.doc_number or "", "title": parsed.title or "", "issuer": parsed.issuer or "",
            "issue_date": parsed.issue_date.isoformat() if parsed.issue_date else "",
            "work_year": parsed.year or "", "report_back_date": ""}


def _render_preview(request, draft: dict, *, meta_form: ImportMetaForm, name_forms: list, error: str = "",
                    deadline_form: MissingDeadlineForm | None = None, column_form: ColumnMappingForm | None = None):
    parsed = ParsedNotice.from_json(draft["notice"])
    valid = meta_form.is_bound and meta_form.is_valid()
    year = (meta_form.cleaned_data.get("work_year") if valid else None) or parsed.year
    apply_year(parsed, year, draft["parse_year"])
    index = {text: number for number, form in enumerate(name_forms, start=1) for text in form.texts}
    rows = preview_rows(parsed, draft, index, year)
    items = [r for r in rows if r["kind"] == "item"]
    warnings = draft["warnings"]
    if year != draft["parse_year"]:  # deadlines were read again with the year on the form
        warnings = [w for w in warnings if w["kind"] != "deadline_unparsed"]
        warnings += [{"row": r["row"], "kind": "deadline_unparsed",
                      "message": (f"第{r['row']}行：" if r["row"] else "")
                      + f"第{r['task'].number}项任务的时限“{r['task'].deadline_text}”无法识别，请手工核对"}
                     for r in items if r["deadline_bad"]]
    deadline_form = deadline_form or MissingDeadlineForm()
    diff = _diff(parsed, meta_form, draft, deadline_form, year)
    columns = columns_for_preview(draft)
    return render(request, "tasks/import/preview.html", {
        "draft": draft, "upper_notice": _upper_notice(request, draft), "meta_form": meta_form,
        "name_forms": name_forms, "rows": rows, "error": error,
        "item_count": len(items), "section_count": len(parsed.sections), "warnings": warnings,
        "skipped": draft["skipped"], "no_unit_count": sum(1 for r in items if r["no_units"]),
        "hint_groups": grouped_hints(warnings, draft.get("missing", [])), "missing": draft.get("missing", []),
        "deadline_form": deadline_form, "diff": diff,
        "column_form": column_form or (ColumnMappingForm(columns=columns) if columns else None),
        "guessed_count": sum(1 for c in columns if c["guessed"]),
    })


def _diff(parsed: ParsedNotice, meta_form: ImportMetaForm, draft: dict, deadline_form, year):
    """What the table changes in the stored notice of the same 文号 (None when there is none)."""
    if meta_form.is_bound:
        number = meta_form.data.get("doc_number") or parsed.doc_number
    else:
        number = meta_form.initial.get("doc_number") or parsed.doc_number
    notice = existing_notice(number, user=meta_form.user)
    if notice is None:
        return None
    parsed = ParsedNotice.from_json(draft["notice"])
    apply_year(parsed, year, draft["parse_year"])
    choice = deadline_form.cleaned_data.get("missing_deadline") if deadline_form.is_bound and \
        deadline_form.is_valid() else "report_back"
    missing_deadlines_apply(parsed, choice, year or notice.work_year)
    data = meta_form.cleaned_data if meta_form.is_bound and meta_form.is_valid() else {}
    meta = {"title": data.get("title", parsed.title), "issuer": data.get("issuer", parsed.issuer),
            "issue_date": data.get("issue_date", parsed.issue_date), "work_year": year,
            "report_back_date": data.get("report_back_date")}
    return notice_diff(notice, parsed, meta=meta)


def _name_forms(parsed: ParsedNotice, government, data=None) -> list[UnknownNameForm]:
    directory = Directory(government)
    return [UnknownNameForm(data, prefix=f"n{i}", key=entry["key"], texts=entry["texts"], numbers=entry["numbers"],
                            directory=directory)
            for i, entry in enumerate(unknown_names(parsed, government), start=1)]


def _upper_notice(request, draft: dict) -> Notice | None:
    """The upper table a derive draft copies (None for a file import); it must still be published to us."""
    upper_id = draft.get("upper_notice")
    if not upper_id:
        return None
    return Notice.objects.published_to(request.user.government).filter(pk=upper_id).first()


def start_derive_draft(request, upper: Notice) -> None:
    """下发 → 分解: the upper table becomes the import draft; the preview maps its names to our directory."""
    from tasks.chain import parsed_derived_from

    parsed = parsed_derived_from(upper)
    office_unit = request.user.government.office_unit if request.user.government_id else None
    parsed.issuer = office_unit.name if office_unit else None
    request.session[DRAFT_KEY] = {
        "token": uuid.uuid4().hex, "source_name": f"上级任务分解表 {upper.doc_number}", "source_kind": "derive",
        "notice": parsed.to_json(), "parse_year": upper.work_year, "rows": {}, "warnings": [], "skipped": [],
        "cited": [upper.doc_number], "upper_notice": upper.pk,
    }


# ---------------------------------------------------------------- views

@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    require_office(request.user)
    form = ImportStartForm(request.POST, request.FILES) if request.method == "POST" else ImportStartForm()
    if request.method == "POST" and form.is_valid():
        field = "file" if form.cleaned_data.get("file") else "text"
        try:
            result, draft = _parse(form)
        except ImportFailure as exc:
            form.add_error(field, exc.message)
        except Exception:  # a reader choking on a malformed file must not become a 500
            logger.exception("import: unexpected failure while parsing an upload")
            form.add_error(field, "文件无法读取或格式异常，未能导入：请确认它能在 Office/WPS 中正常打开，或粘贴表格文本")
        else:
            source_drop(request.session.get(DRAFT_KEY))
            request.session[DRAFT_KEY] = draft
            return redirect("tasks:import-preview")
    if request.method == "POST" and (request.FILES.get("file") or request.POST.get("text", "").strip()):
        upload = request.FILES.get("file")
        audit_event(request, AuditEvent.Action.IMPORT, label=upload.name if upload else "粘贴的文本", success=False,
                    message="导入任务分解表失败：" + "；".join(e for errors in form.errors.values() for e in errors))
    return render(request, "tasks/import/start.html", {"form": form, "limit": LIMIT_TEXT})


@login_required
@require_http_methods(["GET"])
def import_preview(request):
    require_office(request.user)
    draft = request.session.get(DRAFT_KEY)
    if not draft:
        messages.info(request, "没有待确认的导入，请先上传文件或粘贴表格文本。")
        return redirect("tasks:import-start")
    parsed = ParsedNotice.from_json(draft["notice"])
    meta_form = ImportMetaForm(initial=_meta_initial(parsed), user=request.user)
    if not existing_notice(parsed.doc_number, user=request.user):
        # Bound to the parsed values, so what is missing shows at once (a stored 文号 shows its diff instead).
        meta_form = ImportMetaForm(_meta_initial(parsed), user=request.user)
    return _render_preview(request, draft, meta_form=meta_form,
                           name_forms=_name_forms(parsed, request.user.government))


@login_required
@require_POST
def import_columns(request):
    """Parse the kept source again with the columns the office set on the preview's mapping row."""
    require_office(request.user)
    draft = request.session.get(DRAFT_KEY)
    if not draft:
        messages.error(request, "没有待确认的导入（可能已导入或已过期），请重新上传。")
        return redirect("tasks:import-start")
    if request.POST.get("token") != draft["token"]:
        messages.error(request, "此预览已被新的导入替换，请核对下面的最新预览。")
        return redirect("tasks:import-preview")
    form = ColumnMappingForm(request.POST, columns=draft.get("columns", []))
    name, data, text = source_read(draft)
    if not form.is_valid() or (data is None and text is None):
        messages.error(request, "无法按新的列对应重新识别：原文件已过期，请重新上传。")
        return redirect("tasks:import-preview")
    try:
        if text is not None:
            result = parse_text(text, year=draft.get("year"), columns=form.mapping())
        else:
            result = parse_upload_capped(name, data, year=draft.get("year"), columns=form.mapping())
    except ImportFailure as exc:
        messages.error(request, f"按新的列对应无法识别：{exc.message}。仍显示原来的预览。")
        return redirect("tasks:import-preview")
    new = _draft(result, draft["source_name"], year=draft.get("year"))
    for key in ("source_text", "source_path", "source_file"):
        if key in draft:
            new[key] = draft[key]
    new["columns_chosen"] = {**draft.get("columns_chosen", {}), **form.changed_headers()}
    request.session[DRAFT_KEY] = new
    messages.info(request, "已按您指定的列重新识别，请核对预览。确认导入时将记住这些表头的对应。")
    return redirect("tasks:import-preview")


@login_required
@require_POST
def import_confirm(request):
    require_office(request.user)
    draft = request.session.get(DRAFT_KEY)
    if not draft:
        messages.error(request, "没有待确认的导入（可能已导入或已过期），请重新上传。")
        return redirect("tasks:import-start")
    if request.POST.get("token") != draft["token"]:
        messages.error(request, "此预览已被新的导入替换，请核对下面的最新预览后再确认。未保存任何内容。")
        return redirect("tasks:import-preview")
    parsed = ParsedNotice.from_json(draft["notice"])
    meta_form = ImportMetaForm(request.POST, user=request.user)
    deadline_form = MissingDeadlineForm(request.POST)
    name_forms = _name_forms(parsed, request.user.government, request.POST)
    upper = _upper_notice(request, draft)
    error = ""
    if draft.get("upper_notice") and upper is None:
        error = "上级任务分解表已不可用（可能已被撤回），未保存任何内容。"
    elif not (meta_form.is_valid() and deadline_form.is_valid() and all(f.is_valid() for f in name_forms)):
        error = "请按红色提示修改后再确认导入。本次未保存任何内容。"
    else:
        data = meta_form.cleaned_data
        parsed.doc_number, parsed.title = data["doc_number"], data["title"]
        parsed.issuer, parsed.issue_date = data["issuer"] or None, data["issue_date"]
        apply_year(parsed, data["work_year"], draft["parse_year"])
        missing_deadlines_apply(parsed, deadline_form.cleaned_data["missing_deadline"], data["work_year"])
        meta = {"cited_documents": draft["cited"], "report_back_date": data["report_back_date"]}
        choices = [f.choice() for f in name_forms]
        try:
            with transaction.atomic():
                column_choices_remember(draft.get("columns_chosen", {}), user=request.user)
                if meta_form.existing is not None:
                    diff = notice_reimport(notice=meta_form.existing, parsed=parsed, choices=choices, meta=meta,
                                           work_year=data["work_year"], today=today(), created_by=request.user)
                    notice = meta_form.existing
                else:
                    diff = None
                    notice = notice_import_with_choices(parsed=parsed, government=request.user.government,
                                                        choices=choices, meta=meta, created_by=request.user,
                                                        work_year=data["work_year"], upper_notice=upper)
        except ValidationError as exc:
            error = "未能导入，未保存任何内容：" + "；".join(exc.messages)
        except IntegrityError:
            logger.warning("import: integrity error on confirm", exc_info=True)
            error = "未能导入，未保存任何内容：与已有数据冲突（可能有人同时新建了相同的单位或通知），请刷新后重试。"
        else:
            source_drop(draft)
            del request.session[DRAFT_KEY]
            created = sum(1 for f in name_forms if f.cleaned_data["action"] != "map")
            extra = f"；新建单位或单位组 {created} 个" if created else ""
            if diff is not None:
                audit_event(request, AuditEvent.Action.IMPORT, obj=notice,
                            message=f"重新导入任务分解表并更新通知：{draft['source_name']}，新增{len(diff.added)}项，"
                                    f"修改{len(diff.changed)}项，删除{len(diff.removed)}项（撤销{len(diff.withdrawn)}项）")
                messages.success(request, f"已按新表更新“{notice.doc_number}”：新增 {len(diff.added)} 项，"
                                          f"修改 {len(diff.changed)} 项，删除 {len(diff.removed)} 项"
                                          f"（其中 {len(diff.withdrawn)} 项已有落实情况，保留为撤销）{extra}。")
                return redirect(notice)
            audit_event(request, AuditEvent.Action.IMPORT, obj=notice,
                        message=f"导入任务分解表：{draft['source_name']}，{len(parsed.all_tasks())}项任务")
            messages.success(request, f"已导入“{notice.doc_number}”：{notice.items.count()} 项任务，"
                                      f"{notice.assignments.count()} 条台账{extra}。")
            return redirect(notice)
    return _render_preview(request, draft, meta_form=meta_form, name_forms=name_forms, error=error,
                           deadline_form=deadline_form)
