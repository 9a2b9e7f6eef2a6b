"""Two schema classes with one name would share one OpenAPI component: ninja keeps the last, so
the spec would describe one operation's response with another's fields (it happened once)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict

from ninja import Schema

import lianbang.api


def test_every_api_schema_class_has_a_name_of_its_own() -> None:
    defined: dict[str, set[str]] = defaultdict(set)
    for module_info in pkgutil.iter_modules(lianbang.api.__path__):
        module = importlib.import_module(f"lianbang.api.{module_info.name}")
        for name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Schema) and value.__module__ == module.__name__:
                defined[name].add(module.__name__)
    clashes = {name: sorted(modules) for name, modules in defined.items() if len(modules) > 1}
    assert clashes == {}
