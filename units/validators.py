"""Password rules beyond Django's own: a mix of character classes."""
import string

from django.core.exceptions import ValidationError

CLASS_NAMES = ("大写字母", "小写字母", "数字", "符号")


def character_classes(password: str) -> set[str]:
    found = set()
    for ch in password:
        if ch.isascii() and ch.isupper():
            found.add("大写字母")
        elif ch.isascii() and ch.islower():
            found.add("小写字母")
        elif ch.isdigit():
            found.add("数字")
        elif ch in string.punctuation or not (ch.isalnum() or ch.isspace()):
            found.add("符号")
    return found


class CharacterClassValidator:
    """At least `min_classes` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = character_classes(password or "")
        if len(found) < self.min_classes:
            missing = "、".join(name for name in CLASS_NAMES if name not in found)
            raise ValidationError(
                f"密码至少要包含大写字母、小写字母、数字、符号中的 {self.min_classes} 类（还可加入：{missing}）。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码至少要包含大写字母、小写字母、数字、符号中的 {self.min_classes} 类。"
