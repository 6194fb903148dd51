"""The dataset card says what an analyst needs in the first five minutes."""

from steppe.publish.card import MAX_INPUTS_LISTED, render_card
from steppe.schema import tables


def manifest(n_inputs=2, text_policy="evidence", success=True):
    return {
        "version": "2026.01.02.1",
        "previous_version": "2026.01.02",
        "schema_version": "1.0.0",
        "code_version": "abc123",
        "created_at": "2026-01-02T03:04:05Z",
        "text_policy": text_policy,
        "inputs": [{"path": f"in/{i}.jsonl", "bytes": 100 + i, "sha256": f"{i:064x}"} for i in range(n_inputs)],
        "row_counts": {name: i for i, name in enumerate(tables())},
        "validation": {"success": success, "evaluated_expectations": 10, "successful_expectations": 10 if success else 8},
    }


def test_card_has_every_table_count_loader_licence_citation_and_field():
    card = render_card(manifest(), {"events_by_month.png": "Events per month"})
    for i, name in enumerate(tables()):
        assert f"| [`{name}`](csv/{name}.csv) | {i} |" in card
    for snippet in ("import pandas as pd", "read_parquet('parquet/documents.parquet')", "import polars as pl", 'pl.read_parquet("parquet/documents.parquet")',
                    "library(arrow)", "steppe.load(\"events\", version=\"2026.01.02.1\")", "CC BY 4.0",
                    "@misc{steppe_2026_01_02_1,", "passed: 10 of 10 expectations met", "`evidence`: only the sentences",
                    "![Events per month](plots/events_by_month.png)\n\n*Events per month*\n", "| `in/1.jsonl` | 101 |", "previous version | `2026.01.02`"):
        assert snippet in card, snippet
    for spec in tables().values():
        for field in spec.fields:
            assert f"`{field.name}`" in card, (spec.name, field.name)


def test_card_says_which_text_policy_and_a_failed_validation():
    card = render_card(manifest(text_policy="none", success=False))
    assert "`none`: no article text is republished" in card
    assert "failed: 8 of 10 expectations met" in card
    assert "At a glance" not in card  # no plots given


def test_a_long_input_list_is_cut_with_a_pointer_to_the_manifest():
    card = render_card(manifest(n_inputs=MAX_INPUTS_LISTED + 5))
    assert card.count("| `in/") == MAX_INPUTS_LISTED
    assert "… and 5 more; `manifest.json` lists every input" in card


def test_card_states_each_sector_code_with_its_isic_scope_and_the_level_convention():
    from steppe.analyse.sectors import load_taxonomy
    from steppe.analyse.sectors.convention import load_convention

    card = render_card(manifest())
    for code, sector in load_taxonomy().items():
        assert f"| `{code}` | {sector.labels['en']} | {', '.join(sector.isic)} |" in card, code
    assert "### Level convention" in card
    for rule in load_convention():
        assert f"| {rule.isic} | `{rule.code}` |" in card, rule.concept
    assert "| gas condensate | 0620 | `ENERGY.GAS` |" in card
