"""The sector codes as a release documents them: their scope in ISIC Rev. 4, and the level convention.

The dataset card prints both, so that a user of `sector_mentions` knows what
each code covers and which code a borderline word takes (gas condensate,
pipelines, oilseeds, dairy...). The data are the finder's own
(data/sectors/taxonomy.yaml and convention.yaml): what the card says is what
the patterns follow, as tests/test_sector_convention.py checks.
"""

from __future__ import annotations

from steppe.analyse.sectors import load_taxonomy
from steppe.analyse.sectors.convention import load_convention


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def sector_card_lines() -> list[str]:
    """Markdown: the codes with their ISIC scope and definition, then the level convention."""
    lines = [
        "## Sector codes",
        "",
        "`sector_mentions.sector_code` is one of these codes. A code covers the ISIC Rev. 4 items listed "
        "(a section letter, division, group or class, with every class under it); `isic_code` is the first "
        "of them. A word takes the most specific code whose scope holds what it names; a word naming two "
        "codes' activities at once takes their common parent.",
        "",
        "| code | label | ISIC Rev. 4 | covers |",
        "|---|---|---|---|",
    ]
    for code, sector in load_taxonomy().items():
        lines.append(f"| `{code}` | {_cell(sector.labels['en'])} | {', '.join(sector.isic)} | "
                     f"{_cell(sector.definition)} |")
    lines += [
        "",
        "### Level convention",
        "",
        "Borderline words, each decided once by its ISIC class:",
        "",
        "| what | ISIC class | code | why |",
        "|---|---|---|---|",
    ]
    for rule in load_convention():
        lines.append(f"| {_cell(rule.concept)} | {rule.isic} | `{rule.code}` | {_cell(rule.why)} |")
    return lines + [""]
