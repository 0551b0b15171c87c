"""Forms of the office's master-data pages (基础数据): units, group phrases, accounts, passwords, the list upload."""
from __future__ import annotations

import re
import urllib.parse

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from units.models import Alias, Unit, UnitGroup, User, normalise_name

ALIASES_HELP = "一行一个，例如 政府办、区政府办。导入分解表时，这些写法都会识别为本单位。"
MAX_ALIASES = 30


def _styled(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
            widget.attrs.setdefault("class", "form-check-input")  # rendered one by one with choice.tag
            continue
        if isinstance(widget, forms.CheckboxInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


def split_aliases(text: str) -> list[str]:
    """Aliases as typed (one a line, or separated by 、，,;；), normalised like unit names, without repeats."""
    seen = []
    for part in re.split(r"[\n\r、，,;；]+", text or ""):
        name = normalise_name(part)
        if name and name not in seen:
            seen.append(name)
    return seen


def check_names(government, names: list[str], *, unit: Unit | None = None, group: UnitGroup | None = None) -> list[str]:
    """Chinese messages for names (own names and aliases) already standing for another unit or group."""
    errors = []
    other_units = Unit.objects.filter(government=government).exclude(pk=getattr(unit, "pk", None))
    other_groups = UnitGroup.objects.filter(government=government).exclude(pk=getattr(group, "pk", None))
    other_aliases = Alias.objects.filter(government=government).select_related("unit", "group")
    other_aliases = other_aliases.exclude(unit=unit) if unit is not None and unit.pk else other_aliases
    other_aliases = other_aliases.exclude(group=group) if group is not None and group.pk else other_aliases
    for name in names:
        hit = other_units.filter(Q(name=name) | Q(short_name=name)).first()
        if hit:
            errors.append(f"“{name}”已是单位“{hit.short_name}”的名称。")
            continue
        hit_group = other_groups.filter(phrase=name).first()
        if hit_group:
            errors.append(f"“{name}”已是单位组“{hit_group.phrase}”。")
            continue
        alias = other_aliases.filter(text=name).first()
        if alias:
            errors.append(f"“{name}”已是“{alias.unit or alias.group}”的别名。")
    return errors


ROBOT_URL_INVALID = "请输入有效的网址，例如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…（从群机器人设置中复制）。"
ROBOT_URL_TOO_LONG = "地址不能超过 300 个字符。"
# Added by 钉钉 to a signed request; the digest signs each send itself (workflow.channels.dingtalk_signed_url).
_DINGTALK_SIGN_PARAMS = {"timestamp", "sign"}


def _robot_url_field(label: str, help_text: str) -> forms.URLField:
    return forms.URLField(label=label, required=False, max_length=300, assume_scheme="https", help_text=help_text,
                          error_messages={"invalid": ROBOT_URL_INVALID, "max_length": ROBOT_URL_TOO_LONG})


def _check_robot_url(url: str) -> str:
    if url and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValidationError(ROBOT_URL_INVALID)
    return url


class UnitForm(forms.ModelForm):
    aliases = forms.CharField(label="别名（其他写法）", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=ALIASES_HELP)
    groups = forms.ModelMultipleChoiceField(label="所属单位组", queryset=UnitGroup.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple,
                                            help_text="分解表写“区直各有关部门”“十街镇”等泛称时，会分到组内每个单位。")
    # The unit's work-group robots (workflow.channels): the address as the robot's settings show it, the key or
    # access_token included; 钉钉's 加签 secret apart, as the sender signs each message with it.
    wecom_robot_url = _robot_url_field("企业微信机器人地址", "企业微信群 › 群机器人 › Webhook 地址，留空则不发送到企业微信群")
    dingtalk_robot_url = _robot_url_field("钉钉机器人地址", "钉钉群 › 智能群助手 › 机器人 › Webhook 地址，留空则不发送到钉钉群")
    dingtalk_secret = forms.CharField(
        label="钉钉加签密钥", required=False, max_length=100, strip=True,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"}),
        help_text="机器人安全设置选“加签”时填写（SEC 开头）；未启用加签则留空",
        error_messages={"max_length": "加签密钥不能超过 100 个字符。"})

    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "sort_order", "wecom_robot_url", "dingtalk_robot_url",
                  "dingtalk_secret"]
        help_texts = {"name": "例如 福州市鼓楼区教育局", "short_name": "台账和列表中显示的名称，例如 区教育局",
                      "sort_order": "数字小的排在前面（台账、统计和下拉列表都按它排序）"}

    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, **kwargs)
        self.government = government
        self.instance.government = government
        self.fields["groups"].queryset = UnitGroup.objects.filter(government=government).order_by("phrase")
        if self.instance.pk and not self.is_bound:
            self.initial["aliases"] = "\n".join(a.text for a in self.instance.aliases.all())
            self.initial["groups"] = list(self.instance.groups.values_list("pk", flat=True))
        _styled(self)

    def clean_name(self):
        return normalise_name(self.cleaned_data["name"])

    def clean_short_name(self):
        return normalise_name(self.cleaned_data["short_name"])

    def clean_aliases(self):
        aliases = split_aliases(self.cleaned_data["aliases"])
        if len(aliases) > MAX_ALIASES:
            raise ValidationError(f"别名最多 {MAX_ALIASES} 个。")
        if any(len(a) > 100 for a in aliases):
            raise ValidationError("每个别名不超过 100 个字。")
        return aliases

    def clean_wecom_robot_url(self):
        return _check_robot_url(self.cleaned_data["wecom_robot_url"])

    def clean_dingtalk_robot_url(self):
        """Stored without the timestamp and sign of a copied signed request: each send adds fresh ones."""
        url = _check_robot_url(self.cleaned_data["dingtalk_robot_url"])
        parts = urllib.parse.urlsplit(url)
        query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
                 if k not in _DINGTALK_SIGN_PARAMS]
        if url and len(query) != len(urllib.parse.parse_qsl(parts.query, keep_blank_values=True)):
            url = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
        return url

    def clean_dingtalk_secret(self):
        secret = self.cleaned_data["dingtalk_secret"]
        if secret and (not secret.startswith("SEC") or re.search(r"\s", secret)):
            raise ValidationError("加签密钥应为 SEC 开头、不含空格的一串字符，请从钉钉机器人的“加签”设置中复制。")
        return secret

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("dingtalk_secret") and not cleaned.get("dingtalk_robot_url") and "dingtalk_robot_url" not in self.errors:
            self.add_error("dingtalk_robot_url", "填写了加签密钥，请同时填写钉钉机器人地址。")
        own = [cleaned.get("name"), cleaned.get("short_name")]
        aliases = [a for a in cleaned.get("aliases") or [] if a not in own]
        cleaned["aliases"] = aliases
        names = [n for n in own if n] + aliases
        for message in check_names(self.government, names, unit=self.instance):
            self.add_error(None, message)
        return cleaned

    def validate_unique(self):
        try:
            self.instance.validate_constraints()
        except ValidationError:
            pass  # check_names already named the clash in Chinese


class GroupForm(forms.ModelForm):
    aliases = forms.CharField(label="别名（其他写法）", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="一行一个，例如 区直各部门、区直有关部门。")
    members = forms.ModelMultipleChoiceField(label="成员单位", queryset=Unit.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = UnitGroup
        fields = ["phrase", "description"]
        labels = {"phrase": "泛称"}
        help_texts = {"phrase": "分解表中的写法，例如 区直各有关部门、十街镇"}

    def __init__(self, *args, government, **kwargs):
        super().__init__(*args, **kwargs)
        self.government = government
        self.instance.government = government
        self.fields["members"].queryset = Unit.objects.filter(government=government).in_fixed_order()
        if self.instance.pk and not self.is_bound:
            self.initial["aliases"] = "\n".join(a.text for a in self.instance.aliases.all())
            self.initial["members"] = list(self.instance.members.values_list("pk", flat=True))
        _styled(self)

    def clean_phrase(self):
        return normalise_name(self.cleaned_data["phrase"])

    def clean_aliases(self):
        aliases = split_aliases(self.cleaned_data["aliases"])
        if len(aliases) > MAX_ALIASES:
            raise ValidationError(f"别名最多 {MAX_ALIASES} 个。")
        return aliases

    def clean(self):
        cleaned = super().clean()
        phrase = cleaned.get("phrase")
        aliases = [a for a in cleaned.get("aliases") or [] if a != phrase]
        cleaned["aliases"] = aliases
        for message in check_names(self.government, [n for n in [phrase, *aliases] if n], group=self.instance):
            self.add_error(None, message)
        return cleaned

    def validate_unique(self):
        try:
            self.instance.validate_constraints()
        except ValidationError:
            pass


ROLE_CHOICES = [(User.Role.LIAISON, "单位联络员"), (User.Role.VIEWER, "只读查看"), (User.Role.OFFICE_ADMIN, "公开办管理员")]
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@+-]{3,150}$")
USERNAME_HELP = "登录时输入，3～150 位字母、数字或 _ . @ + -，例如 jiaoyu01 或手机号"


def check_username(value: str) -> str:
    value = (value or "").strip()
    if not USERNAME_RE.match(value):
        raise ValidationError("登录账号须为 3～150 位字母、数字或 _ . @ + -，不能有空格或汉字。")
    if User.objects.filter(username__iexact=value).exists():
        raise ValidationError(f"登录账号“{value}”已被使用，请换一个。")
    return value


class AccountForm(forms.Form):
    username = forms.CharField(label="登录账号", max_length=150, help_text=USERNAME_HELP)
    display_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机", max_length=30, required=False)
    email = forms.EmailField(label="邮箱", required=False, help_text="用于接收到期提醒和催办",
                             error_messages={"invalid": "请输入有效的邮箱地址。"})
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES, initial=User.Role.LIAISON)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean_username(self):
        return check_username(self.cleaned_data["username"])


class AccountEditForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "phone", "email", "role"]
        labels = {"phone": "手机", "email": "邮箱"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        self.fields["role"].choices = ROLE_CHOICES
        _styled(self)


class PasswordResetForm(forms.Form):
    MODE_CHOICES = [("generate", "自动生成一个新密码（推荐）"), ("set", "由我设定")]
    mode = forms.ChoiceField(label="新密码", choices=MODE_CHOICES, initial="generate", widget=forms.RadioSelect)
    password = forms.CharField(label="设定的密码", required=False, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                               help_text="至少 10 位，包含大写字母、小写字母、数字、符号中的 3 类。")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") == "set" and not cleaned.get("password"):
            self.add_error("password", "请输入要设定的密码，或选择自动生成。")
        return cleaned


class ListUploadForm(forms.Form):
    file = forms.FileField(label="账号名单（Excel .xlsx）", error_messages={"required": "请选择要上传的 .xlsx 文件。",
                                                                  "empty": "文件为空，请重新选择文件。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx"})
