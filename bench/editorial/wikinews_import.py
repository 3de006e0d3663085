"""Turn the Wikinews sample CSV into ``tests/data/wikinews-2019/stories.jsonl``.

Run once, from the repository root, on ``data/wikinews_2019.csv`` of
github.com/vanatteveldt/wikinews (CC BY 2.5, like the articles):

    .venv/bin/python bench/editorial/wikinews_import.py wikinews_2019.csv

The changes made to the published text, as CC BY asks to say, are only these: the
dateline paragraph ("Friday, January 4, 2019") becomes the ``date`` field; a pull
quote's attribution line ("—Troy Roberts", whose quotation the scrape lost) is
dropped; a photo's line ("Dakota, a deer. Image: Nicholas Moreau.") becomes a caption
("Dakota, a deer.") and its credit ("Nicholas Moreau"); runs of white space become one space.
Everything else is the copy as published, mistakes included.
"""

import csv
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "tests" / "data" / "wikinews-2019" / "stories.jsonl"
_DATELINE = re.compile(r"^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \w+ \d{1,2}, \d{4}$")
_CREDIT = re.compile(r"^(.*?)\s*\bImage: (.+?)\.?$")
_CREDIT_IN_BRACKETS = re.compile(r"^(.*?)\s*\(Image: (.+)\)\.?$")


def convert(row: dict, index: int) -> dict:
    paragraphs, captions = [], []
    for raw in re.split(r"\n\s*\n", row["text"]):
        text = " ".join(raw.split())
        if not text or _DATELINE.match(text) or text.startswith("—"):
            continue
        credit = _CREDIT_IN_BRACKETS.match(text) or _CREDIT.match(text)
        if credit:
            captions.append({"caption": credit.group(1), "credit": credit.group(2)})
            continue
        paragraphs.append(text)
    return {
        "id": f"wikinews-2019-{index:03d}",
        "source": "Wikinews",
        "url": re.sub(r"(?<!:)//", "/", row["url"]),
        "date": row["date"],
        "licence": "CC BY 2.5",
        "headline": row["title"],
        "paragraphs": paragraphs,
        "captions": captions,
    }


def main(path: str) -> int:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with OUT.open("w", encoding="utf-8") as out:
        for index, row in enumerate(rows, 1):
            out.write(json.dumps(convert(row, index), ensure_ascii=False) + "\n")
    print(f"{len(rows)} stories written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
