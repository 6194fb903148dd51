"""The agreement between two annotations of the actor gold (tools/agreement_report.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from agreement_report import agree, subset  # noqa: E402

TEXT = "Putin met Tokayev in Astana and criticised the sanctions, and Tokayev did not sign the deal."


def event(root: str, trigger: str, negated: bool = False) -> dict:
    return {"cameo_root": root, "trigger": trigger, "negated": negated, "source": None, "target": None}


def test_events_agree_on_root_and_status_and_each_is_matched_once():
    first = [event("04", "met"), event("11", "criticised"), event("05", "sign", negated=True)]
    second = [event("04", "met"), event("04", "met"), event("05", "sign")]
    matched, only_second, only_first, pairs = agree(TEXT, first, second, "cameo")
    # One 04 matches once; the second 04 is extra; a fact is not a negated event.
    assert (matched, only_second, only_first) == (1, 2, 2)
    assert pairs[0][0]["trigger"] == "met"


def test_plover_types_leave_statements_out():
    matched, only_second, only_first, _ = agree(TEXT, [event("01", "said")], [event("01", "said"), event("04", "met")], "plover")
    assert (matched, only_second, only_first) == (0, 1, 0)


def test_the_sample_is_fixed_by_the_ids_not_the_order():
    sentences = [{"id": f"xx-{n:03}"} for n in range(50)]
    assert subset(sentences, 10) == subset(list(reversed(sentences)), 10)
    assert len(subset(sentences, 10)) == 10
