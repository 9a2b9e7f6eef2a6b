"""Two schema classes with one name would share one OpenAPI component: ninja keeps the last, so
the spec would describe one operation's response with another's fields (it happened once)."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
from collections import defaultdict

from pydantic import BaseModel

import lianbang.api


def _router_modules() -> list[str]:
    """The API's routers: every module of ``lianbang.api`` and any app's own ``api`` module."""
    names = [f"lianbang.api.{info.name}" for info in pkgutil.iter_modules(lianbang.api.__path__)]
    for info in pkgutil.iter_modules(lianbang.__path__):
        if info.ispkg and importlib.util.find_spec(f"lianbang.{info.name}.api") is not None:
            names.append(f"lianbang.{info.name}.api")
    return sorted(set(names))


def test_every_api_schema_class_has_a_name_of_its_own() -> None:
    defined: dict[str, set[str]] = defaultdict(set)
    for module_name in _router_modules():
        module = importlib.import_module(module_name)
        for name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseModel) and value.__module__ == module.__name__:
                defined[name].add(module.__name__)
    clashes = {name: sorted(modules) for name, modules in defined.items() if len(modules) > 1}
    assert clashes == {}
