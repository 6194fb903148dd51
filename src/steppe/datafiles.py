"""Reading steppe's YAML data files so that a word stays a word.

PyYAML follows YAML 1.1, where ``on``, ``off``, ``yes``, ``no``, ``y`` and
``n`` (in any case) are booleans: an English stop-list entry "on" or a
Portuguese "no" would load as True or False and never match a word. The data
files are read with YAML 1.2's rule instead: only ``true`` and ``false`` are
booleans; everything else the files hold as plain scalars (numbers, null,
dates) resolves as before.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

_BOOL = "tag:yaml.org,2002:bool"
_YAML12_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser where PyYAML has it


def _without(resolvers: dict, tag: str) -> dict:
    return {first: [(t, regexp) for t, regexp in entries if t != tag] for first, entries in resolvers.items()}


class DataLoader(_BaseLoader):
    """A safe loader whose only booleans are true and false (YAML 1.2)."""


DataLoader.yaml_implicit_resolvers = _without(_BaseLoader.yaml_implicit_resolvers, _BOOL)
DataLoader.add_implicit_resolver(_BOOL, _YAML12_BOOL, list("tTfF"))


def load_yaml(text: str) -> Any:
    """The data of one YAML document, read with :class:`DataLoader`."""
    return yaml.load(text, Loader=DataLoader)  # noqa: S506 (DataLoader is a safe loader)


def read_yaml(path: Path | Any) -> Any:
    """:func:`load_yaml` of a file (a Path or an importlib.resources Traversable), read as UTF-8."""
    return load_yaml(path.read_text(encoding="utf-8"))
