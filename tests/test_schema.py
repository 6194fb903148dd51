"""schemas/ is the single source of truth: the writer, the gate, the data package and the docs agree with it."""

from pathlib import Path

import pytest
import yaml

from steppe import schema
from steppe.gate.validate import expectations_for
from steppe.publish.write import datapackage
from steppe.tables.arrow import TableError, empty_table, make_table

# The release contract of PRODUCT.md: the minimum columns of each table.
CONTRACT = {
    "documents": "doc_id source_file source_line source_id url title publisher published_at language "
    "language_confidence n_chars text_sha256 duplicate_of",
    "sentences": "doc_id sentence_idx char_start char_end text",
    "entities": "entity_id entity_type canonical_name country_iso3 wikidata_id description",
    "entity_names": "entity_id name language script kind",
    "mentions": "mention_id doc_id sentence_idx char_start char_end surface entity_id entity_type method score",
    "events": "event_id doc_id sentence_idx char_start char_end trigger cameo_code cameo_root plover_type "
    "quad_class goldstein source_entity_id source_text source_country source_type source_basis target_entity_id "
    "target_text target_country target_type target_basis event_date date_precision "
    "location_entity_id country_iso3 negated confidence evidence",
    "sector_mentions": "sector_mention_id doc_id sentence_idx char_start char_end surface sector_code isic_code event_id",
    "rejected": "source_file source_line reason detail",
}
CONTRACT_KEYS = {
    "documents": ("doc_id",),
    "sentences": ("doc_id", "sentence_idx"),
    "entities": ("entity_id",),
    "entity_names": ("entity_id", "name"),
    "mentions": ("mention_id",),
    "events": ("event_id",),
    "sector_mentions": ("sector_mention_id",),
    "rejected": ("source_file", "source_line"),
}


def test_every_contract_table_and_column_is_declared():
    tables = schema.tables()
    assert set(CONTRACT) <= set(tables)
    for name, columns in CONTRACT.items():
        missing = set(columns.split()) - set(tables[name].field_names)
        assert not missing, f"{name} lacks contract columns {missing}"
        assert tables[name].primary_key == CONTRACT_KEYS[name]


@pytest.mark.parametrize("name", list(schema.tables()))
def test_arrow_schema_matches_declaration(name):
    spec = schema.table(name)
    arrow = spec.arrow_schema()
    assert arrow.names == spec.field_names
    for f in spec.fields:
        assert arrow.field(f.name).type == f.arrow_type
        assert arrow.field(f.name).nullable is (not f.required)
    assert empty_table(name).schema == arrow


@pytest.mark.parametrize("name", list(schema.tables()))
def test_expectations_cover_every_declared_constraint(name):
    spec = schema.table(name)
    by_kind: dict[str, set] = {}
    for exp in expectations_for(spec):
        config = exp.configuration.kwargs if hasattr(exp, "configuration") else exp.model_dump()
        column = config.get("column")
        by_kind.setdefault(type(exp).__name__, set()).add(column if column else tuple(config.get("column_list") or ()))
    assert by_kind["ExpectTableColumnsToMatchOrderedList"] == {tuple(spec.field_names)}
    assert by_kind["ExpectColumnValuesToBeOfType"] == set(spec.field_names), "every column has a type check"
    assert by_kind.get("ExpectColumnValuesToNotBeNull", set()) == {f.name for f in spec.fields if f.required}
    assert by_kind.get("ExpectColumnValuesToBeInSet", set()) == {f.name for f in spec.fields if "enum" in f.constraints}
    assert by_kind.get("ExpectColumnValuesToMatchRegex", set()) == {f.name for f in spec.fields if "pattern" in f.constraints}
    ranged = {f.name for f in spec.fields if {"minimum", "maximum"} & set(f.constraints)}
    assert by_kind.get("ExpectColumnValuesToBeBetween", set()) == ranged
    if len(spec.primary_key) == 1:
        assert by_kind["ExpectColumnValuesToBeUnique"] == {spec.primary_key[0]}
    else:
        assert by_kind["ExpectCompoundColumnsToBeUnique"] == {spec.primary_key}


def test_datapackage_describes_every_declared_field():
    files = {
        name: {kind: {"path": f"{kind}/{name}.{kind}", "bytes": 1, "sha256": "0" * 64} for kind in ("csv", "parquet")}
        for name in schema.tables()
    }
    package = datapackage("2025.11.28", files)
    resources = {r["name"]: r for r in package["resources"]}
    assert list(resources) == list(schema.tables())
    for name, spec in schema.tables().items():
        fields = resources[name]["schema"]["fields"]
        assert [f["name"] for f in fields] == spec.field_names
        for declared, described in zip(spec.fields, fields):
            assert described["type"] == declared.type
            assert described["description"] == declared.description
            assert described.get("constraints", {}).get("required", False) == declared.required
            if "enum" in declared.constraints:
                assert described["constraints"]["enum"] == declared.constraints["enum"]
        assert resources[name]["schema"]["primaryKey"] == list(spec.primary_key)


def test_data_dictionary_lists_every_field_with_its_description():
    text = schema.data_dictionary()
    for name, spec in schema.tables().items():
        assert f"`{name}`" in text
        for f in spec.fields:
            assert f"| `{f.name}` | {f.type} |" in text
            assert f.description.replace("|", "\\|") in text


def test_table_override_narrows_a_field():
    mentions = schema.table("mentions")
    entities = schema.table("entities")
    assert entities.field("entity_id").required
    assert not mentions.field("entity_id").required
    assert mentions.field("entity_id").constraints == entities.field("entity_id").constraints


def test_writer_refuses_undeclared_and_missing_columns():
    row = {"source_file": "a.txt", "source_line": 0, "reason": "empty", "detail": "the file is empty"}
    assert make_table("rejected", [row]).num_rows == 1
    with pytest.raises(TableError, match="not declared"):
        make_table("rejected", [dict(row, surprise=1)])
    with pytest.raises(TableError, match="missing"):
        make_table("rejected", [{k: v for k, v in row.items() if k != "detail"}])
    with pytest.raises(TableError, match="source_line"):
        make_table("rejected", [dict(row, source_line="first")])


def _write_schema(tmp_path: Path, fields: dict, tables: dict) -> Path:
    (tmp_path / "fields.yaml").write_text(yaml.safe_dump(fields), encoding="utf-8")
    (tmp_path / "tables.yaml").write_text(yaml.safe_dump(tables), encoding="utf-8")
    return tmp_path


GOOD_FIELD = {"type": "string", "required": True, "description": "an id"}


def test_loader_accepts_a_minimal_declaration(tmp_path):
    d = _write_schema(tmp_path, {"x": GOOD_FIELD}, {"t": {"description": "T", "primary_key": ["x"], "fields": ["x"]}})
    assert schema.load_tables(d)["t"].field_names == ["x"]


@pytest.mark.parametrize(
    "fields, tables, message",
    [
        ({"x": GOOD_FIELD}, {"t": {"description": "T", "primary_key": ["x"], "fields": ["x", "y"]}}, "not declared"),
        ({"x": {**GOOD_FIELD, "type": "text"}}, {"t": {"description": "T", "primary_key": ["x"], "fields": ["x"]}}, "type"),
        ({"x": {"type": "string"}}, {"t": {"description": "T", "primary_key": ["x"], "fields": ["x"]}}, "no description"),
        ({"x": GOOD_FIELD, "y": GOOD_FIELD}, {"t": {"description": "T", "primary_key": ["x"], "fields": ["x"]}}, "used by no table"),
        ({"x": {**GOOD_FIELD, "required": False}}, {"t": {"description": "T", "primary_key": ["x"], "fields": ["x"]}}, "must be required"),
        ({"x": {**GOOD_FIELD, "constraints": {"pattern": "("}}}, {"t": {"description": "T", "primary_key": ["x"], "fields": ["x"]}}, "invalid pattern"),
        ({"x": {**GOOD_FIELD, "constraints": {"size": 3}}}, {"t": {"description": "T", "primary_key": ["x"], "fields": ["x"]}}, "unknown constraints"),
        (
            {"x": GOOD_FIELD},
            {"t": {"description": "T", "primary_key": ["x"], "fields": ["x"], "foreign_keys": [{"fields": ["x"], "reference": {"resource": "u", "fields": ["x"]}}]}},
            "foreign key",
        ),
    ],
)
def test_loader_rejects_inconsistent_declarations(tmp_path, fields, tables, message):
    d = _write_schema(tmp_path, fields, tables)
    with pytest.raises(schema.SchemaError, match=message):
        schema.load_tables(d)


def test_field_values_are_a_fields_declared_enum_in_order():
    assert schema.field_values("events", "date_precision") == ("day", "month", "year", "publication")
    assert schema.field_values("events", "quad_class") == (1, 2, 3, 4)
    assert len(schema.field_values("events", "plover_type")) == 16
    with pytest.raises(KeyError, match="declares no allowed values"):
        schema.field_values("events", "trigger")
    with pytest.raises(KeyError, match="unknown table"):
        schema.field_values("no_such_table", "trigger")


def test_registry_and_resolver_vocabularies_agree_with_the_declared_enums():
    from steppe.analyse.names.mentions import METHODS
    from steppe.analyse.names.registry import ENTITY_TYPES, NAME_KINDS

    assert schema.table("mentions").field("method").constraints["enum"] == list(METHODS)
    assert schema.table("entity_names").field("kind").constraints["enum"] == list(NAME_KINDS)
    assert schema.table("entities").field("entity_type").constraints["enum"] == list(ENTITY_TYPES)


def test_rows_are_in_key_order_compared_as_tuples():
    import pyarrow as pa

    from steppe.tables.arrow import in_key_order

    k = pa.chunked_array([["a", "b"], ["b", "c"]])  # across chunks
    n = pa.array([5, 1, 2, 0])
    assert in_key_order([k], strict=False) and not in_key_order([k], strict=True)  # "b" twice
    assert in_key_order([k, n], strict=True)  # ("b", 1) < ("b", 2)
    assert not in_key_order([k, pa.array([5, 2, 1, 0])], strict=False)  # ("b", 2) > ("b", 1)
    assert not in_key_order([pa.array(["b", "a"])], strict=False)
    assert not in_key_order([pa.array(["a", None])], strict=False)  # a null has no place
    assert in_key_order([pa.array(["a"])], strict=True) and in_key_order([pa.array([], pa.string())], strict=True)
