"""``lianbang unlock [KEY ...] [--all]``: lift login locks (an account name or an IP address)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lianbang.accounts.lockout import account_key, unlock
from lianbang.accounts.models import LoginLock


class Command(BaseCommand):
    help = "Lift login locks by account name or IP address; without arguments, list the current locks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("keys", nargs="*", help="account names or IP addresses")
        parser.add_argument("--all", dest="everything", action="store_true", help="lift every current lock")

    def handle(self, *args: Any, keys: list[str], everything: bool, **options: Any) -> None:
        current = LoginLock.objects.filter(locked_until__gt=timezone.now()).order_by("kind", "key")
        if not keys and not everything:
            for lock in current:
                self.stdout.write(
                    f"{lock.kind} {lock.key} until {timezone.localtime(lock.locked_until):%H:%M}"
                )
            return
        chosen = current if everything else current.filter(key__in={account_key(k) for k in keys} | set(keys))
        if not chosen.exists():
            raise CommandError("no current lock matches")
        for lock in chosen:
            unlock(lock=lock, actor=None)
            self.stdout.write(f"unlocked {lock.kind} {lock.key}")
