"""The release's tables and fields, read from ``schemas/`` (the single source of truth).

Everything that describes a table elsewhere is derived from here: the Arrow
schema the writer uses, the expectations the validation gate checks
(:mod:`steppe.gate.validate`), the Frictionless ``datapackage.json`` and the data
dictionary. ``tests/test_schema.py`` proves they all agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa

from steppe.datafiles import load_yaml

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"

FIELD_TYPES = ("string", "integer", "number", "boolean", "datetime", "date")
CONSTRAINT_KEYS = ("enum", "pattern", "minimum", "maximum", "max_length")
FIELD_KEYS = {"type", "required", "description", "constraints", "categorical"}

_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "datetime": pa.timestamp("us", tz="UTC"),
    "date": pa.date32(),
}


class SchemaError(ValueError):
    """A declaration in schemas/ is malformed or inconsistent."""


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    required: bool = False
    categorical: bool = False
    constraints: dict[str, Any] = field(default_factory=dict)

    @property
    def arrow_type(self) -> pa.DataType:
        return _ARROW_TYPES[self.type]

    def arrow_field(self) -> pa.Field:
        return pa.field(self.name, self.arrow_type, nullable=not self.required)


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"table {self.name!r} has no field {name!r}")

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([f.arrow_field() for f in self.fields])


def _parse_field(name: str, spec: Any, where: str) -> Field:
    if not isinstance(spec, dict):
        raise SchemaError(f"{where}: field {name!r} must be a mapping, got {type(spec).__name__}")
    unknown = set(spec) - FIELD_KEYS
    if unknown:
        raise SchemaError(f"{where}: field {name!r} has unknown keys {sorted(unknown)}")
    ftype = spec.get("type")
    if ftype not in FIELD_TYPES:
        raise SchemaError(f"{where}: field {name!r} has type {ftype!r}; expected one of {FIELD_TYPES}")
    description = spec.get("description")
    if not description or not str(description).strip():
        raise SchemaError(f"{where}: field {name!r} has no description")
    constraints = dict(spec.get("constraints") or {})
    unknown = set(constraints) - set(CONSTRAINT_KEYS)
    if unknown:
        raise SchemaError(f"{where}: field {name!r} has unknown constraints {sorted(unknown)}")
    if "pattern" in constraints:
        try:
            re.compile(constraints["pattern"])
        except re.error as exc:
            raise SchemaError(f"{where}: field {name!r} has an invalid pattern: {exc}") from exc
    return Field(
        name=name,
        type=ftype,
        description=" ".join(str(description).split()),
        required=bool(spec.get("required", False)),
        categorical=bool(spec.get("categorical", False)),
        constraints=constraints,
    )


def _read_yaml(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        data = load_yaml(fh)
    if not isinstance(data, dict):
        raise SchemaError(f"{path}: expected a mapping at the top level")
    return data


def load_fields(schema_dir: Path = SCHEMA_DIR) -> dict[str, Field]:
    path = schema_dir / "fields.yaml"
    return {name: _parse_field(name, spec, str(path)) for name, spec in _read_yaml(path).items()}


def load_tables(schema_dir: Path = SCHEMA_DIR) -> dict[str, Table]:
    """Read and cross-check every table declaration; raise SchemaError on any inconsistency."""
    fields = load_fields(schema_dir)
    path = schema_dir / "tables.yaml"
    tables: dict[str, Table] = {}
    used: set[str] = set()
    for tname, spec in _read_yaml(path).items():
        where = f"{path}: table {tname!r}"
        columns: list[Field] = []
        for entry in spec.get("fields") or []:
            if isinstance(entry, str):
                entry = {"name": entry}
            fname = entry.get("name")
            if fname not in fields:
                raise SchemaError(f"{where}: field {fname!r} is not declared in fields.yaml")
            base = fields[fname]
            used.add(fname)
            overrides = {k: v for k, v in entry.items() if k != "name"}
            if overrides:
                merged = {
                    "type": base.type,
                    "required": base.required,
                    "description": base.description,
                    "categorical": base.categorical,
                    # An override's constraints replace the declaration's: a table that
                    # narrows or widens a field says everything it allows.
                    "constraints": overrides.pop("constraints", base.constraints),
                    **overrides,
                }
                base = replace(_parse_field(fname, merged, where), name=fname)
            columns.append(base)
        names = [c.name for c in columns]
        if len(set(names)) != len(names):
            raise SchemaError(f"{where}: a field is listed twice")
        pk = tuple(spec.get("primary_key") or ())
        if not pk:
            raise SchemaError(f"{where}: no primary_key")
        for key in pk:
            if key not in names:
                raise SchemaError(f"{where}: primary key field {key!r} is not a column")
            if not next(c for c in columns if c.name == key).required:
                raise SchemaError(f"{where}: primary key field {key!r} must be required")
        fks = []
        for fk in spec.get("foreign_keys") or []:
            ref = fk["reference"]
            fks.append(ForeignKey(tuple(fk["fields"]), ref["resource"], tuple(ref["fields"])))
        if not spec.get("description"):
            raise SchemaError(f"{where}: no description")
        tables[tname] = Table(tname, " ".join(spec["description"].split()), tuple(columns), pk, tuple(fks))
    for tname, table in tables.items():
        for fk in table.foreign_keys:
            target = tables.get(fk.resource)
            if target is None or any(f not in target.field_names for f in fk.reference_fields):
                raise SchemaError(f"{path}: table {tname!r} has a foreign key to unknown {fk.resource}.{fk.reference_fields}")
            if any(f not in table.field_names for f in fk.fields):
                raise SchemaError(f"{path}: table {tname!r} has a foreign key over unknown fields {fk.fields}")
    unused = set(fields) - used
    if unused:
        raise SchemaError(f"{schema_dir / 'fields.yaml'}: fields declared but used by no table: {sorted(unused)}")
    return tables


def schema_version(schema_dir: Path = SCHEMA_DIR) -> str:
    """The version of the release contract (schemas/VERSION): bumped when a table or field changes meaning."""
    return (schema_dir / "VERSION").read_text(encoding="utf-8").strip()


@cache
def tables() -> dict[str, Table]:
    """The release's tables, in publication order (cached: the files do not change during a run)."""
    return load_tables()


def table(name: str) -> Table:
    try:
        return tables()[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; the release has {', '.join(tables())}") from None


def field_values(table: str, field: str) -> tuple[Any, ...]:
    """The values a field of a table allows (its declared enum), in the declared order.

    Code that needs such a list (the PLOVER types, the date precisions)
    reads it here rather than keeping a copy the gate could disagree with.
    """
    declared = tables().get(table)
    if declared is None:
        raise KeyError(f"unknown table {table!r}; the release has {', '.join(tables())}")
    values = declared.field(field).constraints.get("enum")
    if values is None:
        raise KeyError(f"field {field!r} of table {table!r} declares no allowed values (enum)")
    return tuple(values)


# --- Derived descriptions -------------------------------------------------

_FRICTIONLESS_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "datetime": "datetime",
    "date": "date",
}


def frictionless_schema(t: Table) -> dict[str, Any]:
    """The Table Schema (https://specs.frictionlessdata.io/table-schema/) of a table's CSV file."""
    out_fields = []
    for f in t.fields:
        constraints: dict[str, Any] = {}
        if f.required:
            constraints["required"] = True
        c = f.constraints
        if "enum" in c:
            constraints["enum"] = list(c["enum"])
        if "pattern" in c:
            constraints["pattern"] = c["pattern"]
        if "minimum" in c:
            constraints["minimum"] = c["minimum"]
        if "maximum" in c:
            constraints["maximum"] = c["maximum"]
        if "max_length" in c:
            constraints["maxLength"] = c["max_length"]
        desc: dict[str, Any] = {"name": f.name, "type": _FRICTIONLESS_TYPES[f.type], "description": f.description}
        if f.type == "datetime":
            desc["format"] = "%Y-%m-%dT%H:%M:%SZ"
        if constraints:
            desc["constraints"] = constraints
        out_fields.append(desc)
    schema: dict[str, Any] = {
        "fields": out_fields,
        "primaryKey": list(t.primary_key),
        "missingValues": [""],
    }
    if t.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(fk.fields),
                "reference": {"resource": fk.resource, "fields": list(fk.reference_fields)},
            }
            for fk in t.foreign_keys
        ]
    return schema


def _constraint_text(f: Field) -> str:
    c = f.constraints
    parts = []
    if "enum" in c:
        parts.append("one of " + ", ".join(f"`{v}`" for v in c["enum"]))
    if "pattern" in c:
        parts.append(f"matches `{c['pattern']}`")
    if "minimum" in c and "maximum" in c:
        parts.append(f"{c['minimum']} to {c['maximum']}")
    elif "minimum" in c:
        parts.append(f">= {c['minimum']}")
    elif "maximum" in c:
        parts.append(f"<= {c['maximum']}")
    if "max_length" in c:
        parts.append(f"at most {c['max_length']} characters")
    return "; ".join(parts)


def data_dictionary(all_tables: dict[str, Table] | None = None, heading_level: int = 2) -> str:
    """Markdown data dictionary: one section per table, one row per column."""
    all_tables = all_tables or tables()
    h = "#" * heading_level
    lines: list[str] = []
    for t in all_tables.values():
        lines += [f"{h} `{t.name}`", "", t.description, "", f"Primary key: {', '.join(f'`{k}`' for k in t.primary_key)}."]
        if t.foreign_keys:
            refs = "; ".join(
                f"{', '.join(fk.fields)} -> `{fk.resource}`.{', '.join(fk.reference_fields)}" for fk in t.foreign_keys
            )
            lines.append(f"Foreign keys: {refs}.")
        lines += ["", "| column | type | null | description | constraints |", "|---|---|---|---|---|"]
        for f in t.fields:
            desc = f.description.replace("|", "\\|")
            cons = _constraint_text(f).replace("|", "\\|")
            lines.append(f"| `{f.name}` | {f.type} | {'no' if f.required else 'yes'} | {desc} | {cons} |")
        lines.append("")
    return "\n".join(lines)
