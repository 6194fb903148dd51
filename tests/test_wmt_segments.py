"""tools/wmt_segments_to_articles.py: WMT segments and their documents table become whole articles."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("wmt_segments_to_articles", ROOT / "tools/wmt_segments_to_articles.py")
wmt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(wmt)

SEGMENTS = "Заголовок первой новости\nПервый абзац.\nВторая новость\nЕё текст.\nЕщё.\n"
TABLE = ("1\tnewstest2020\tru-en\tlenta.ru.17\t1\n2\tnewstest2020\tru-en\tlenta.ru.17\t2\n"
         "3\tnewstest2020\tru-en\txinhua-zh.4\t1\n4\tnewstest2020\tru-en\txinhua-zh.4\t2\n"
         "5\tnewstest2020\tru-en\txinhua-zh.4\t3\n")


def test_segments_become_articles_in_file_order(tmp_path):
    (tmp_path / "seg.ru").write_text(SEGMENTS, encoding="utf-8")
    (tmp_path / "docs.txt").write_text(TABLE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert wmt.main(["--testset", "newstest2020", "--language", "ru", "--segments", str(tmp_path / "seg.ru"),
                     "--documents", str(tmp_path / "docs.txt"), "--exclude-prefix", "xinhua-zh",
                     "--out", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records == [{"id": "newstest2020:lenta.ru.17", "title": "Заголовок первой новости", "url": "",
                        "published": "", "publisher": "lenta.ru", "language": "ru",
                        "text": "Заголовок первой новости\nПервый абзац."}]


@pytest.mark.parametrize(("table", "message"), [
    (TABLE.replace("5\tnewstest2020\tru-en\txinhua-zh.4\t3\n", ""), "5 segment lines but 4 rows"),
    (TABLE.replace("ru-en", "en-ru"), "row 1: pair en-ru does not have ru as its source"),
    (TABLE.replace("xinhua-zh.4\t3", "xinhua-zh.4\t4"), "row 5: segment 4 of xinhua-zh.4 is out of order"),
    (TABLE.replace("xinhua-zh.4\t3", "lenta.ru.17\t1"), "row 5: document lenta.ru.17 is not contiguous"),
])
def test_files_that_do_not_line_up_are_refused_with_the_row(table, message):
    with pytest.raises(wmt.AlignmentError, match=message):
        wmt.documents(SEGMENTS, table, "ru")
