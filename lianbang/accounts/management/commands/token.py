"""``lianbang token create USERNAME [--expires DAYS]``: a bearer token for scripts (shown once).

Also ``token list USERNAME`` and ``token revoke PREFIX``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lianbang.accounts.models import ApiToken, Role, User
from lianbang.accounts.tokens import assignment_for_token, token_create, token_revoke
from lianbang.common.errors import ApplicationError


class Command(BaseCommand):
    help = "Create, list or revoke API tokens (each acts as one role in one unit)."

    def add_arguments(self, parser: CommandParser) -> None:
        operations = parser.add_subparsers(dest="operation", required=True)
        create = operations.add_parser("create", help="print a new token once")
        create.add_argument("username")
        create.add_argument("--expires", type=int, default=None, metavar="DAYS")
        create.add_argument("--unit", type=int, default=None, help="unit id of the assignment")
        create.add_argument("--role", choices=Role.values, default=None)
        create.add_argument("--name", default="", help="what the token is for")
        listing = operations.add_parser("list", help="a user's tokens (never the tokens themselves)")
        listing.add_argument("username")
        revoke = operations.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, operation: str, **options: Any) -> None:
        try:
            if operation == "create":
                self._create(**options)
            elif operation == "list":
                self._list(**options)
            else:
                self._revoke(**options)
        except ApplicationError as error:
            raise CommandError(f"{error.message} ({error.message_en})") from error

    def _create(
        self, username: str, expires: int | None, unit: int | None, role: str | None, name: str, **_: Any
    ) -> None:
        user = _user(username)
        assignment = assignment_for_token(user, unit, role)
        token, raw = token_create(user=user, assignment=assignment, days=expires, name=name)
        self.stderr.write(
            f"token {token.prefix} for {user.username} as {assignment.get_role_display()} "
            f"@ {assignment.unit} until {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M} "
            "(shown once: store it now)"
        )
        self.stdout.write(raw)

    def _list(self, username: str, **_: Any) -> None:
        for token in (
            ApiToken.objects.filter(user=_user(username)).select_related("unit").order_by("created_at")
        ):
            state = (
                "revoked"
                if token.revoked_at
                else ("expired" if token.expires_at <= timezone.now() else "active")
            )
            self.stdout.write(
                f"{token.prefix}  {token.role}@{token.unit}  {state}  {token.expires_at:%Y-%m-%d}"
            )

    def _revoke(self, prefix: str, **_: Any) -> None:
        tokens = list(ApiToken.objects.filter(prefix=prefix.strip()))
        if len(tokens) != 1:
            raise CommandError(f"no single token with prefix {prefix!r}")
        token_revoke(token=tokens[0])
        self.stdout.write(f"revoked {prefix}")


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"no user {username!r}")
    return user
