"""The one business error type, carried to a 4xx response in one place."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldProblem:
    """One bad value: where it is, what it was, and why it was refused (zh-CN and English)."""

    path: str
    value: object
    message: str
    message_en: str


@dataclass
class ApplicationError(Exception):
    """A refused request. ``problems`` names every bad field so that a user can fix them all."""

    code: str
    message: str
    message_en: str
    problems: list[FieldProblem] = field(default_factory=list)
    status: int = 400

    def __post_init__(self) -> None:
        super().__init__(self.message_en)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "message_en": self.message_en,
            "fields": {
                p.path: {"value": _plain(p.value), "message": p.message, "message_en": p.message_en}
                for p in self.problems
            },
        }


def _plain(value: object) -> object:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def invalid(path: str, value: object, message: str, message_en: str) -> ApplicationError:
    """An error about a single field."""
    problem = FieldProblem(path, value, message, message_en)
    return ApplicationError("invalid", message, message_en, [problem])
