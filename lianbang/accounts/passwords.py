"""Password rules (等保 level 3): three kinds of character, none of the last five again."""

from __future__ import annotations

import string
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lianbang.accounts.models import PasswordHistory

_CLASSES = (
    lambda ch: ch in string.ascii_lowercase,
    lambda ch: ch in string.ascii_uppercase,
    lambda ch: ch in string.digits,
    lambda ch: not (ch.isascii() and ch.isalnum()),
)


def character_classes(password: str) -> int:
    """How many of: lower-case letters, capitals, digits, other symbols."""
    return sum(any(is_member(ch) for ch in password) for is_member in _CLASSES)


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self._message(), code="password_too_simple")

    def get_help_text(self) -> str:
        return self._message()

    def _message(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。") % {"n": self.min_classes}


class PasswordHistoryValidator:
    """Refuses the current password and the last ``remember`` ones; records each new one."""

    def __init__(self, remember: int = 5) -> None:
        self.remember = remember

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        if any(check_password(password, encoded) for encoded in self._recent(user)):
            raise ValidationError(self._message(), code="password_reused")

    def password_changed(self, password: str, user: Any = None) -> None:
        """Called by Django after a new password is saved (not when a hash is merely upgraded)."""
        if user is None or user.pk is None or not user.has_usable_password():
            return
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.remember :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self) -> str:
        return self._message()

    def _recent(self, user: Any) -> list[str]:
        stored = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.remember]
        )
        current = get_user_model().objects.filter(pk=user.pk).values_list("password", flat=True).first()
        return list(dict.fromkeys([*([current] if current else []), *stored]))

    def _message(self) -> str:
        return _("不能使用最近 %(n)d 次用过的密码。") % {"n": self.remember}
