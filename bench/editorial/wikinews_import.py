"""Turn a Wikinews sample CSV into ``tests/data/wikinews-YEAR/stories.jsonl``.

Run once, from the repository root, on ``data/wikinews_2019.csv`` (or
``data/wikinews_2020.csv`` with ``--year 2020``) of github.com/vanatteveldt/wikinews
(CC BY 2.5, like the articles):

    .venv/bin/python bench/editorial/wikinews_import.py wikinews_2019.csv
    .venv/bin/python bench/editorial/wikinews_import.py wikinews_2020.csv --year 2020

Ids are ``wikinews-YEAR-NNN`` in the CSV's order. A row that is no story published in
YEAR is left out and named on the terminal: one dated another year (the 2020 CSV holds
two Wikinews test pages of March 2021, "TEST PAGE:Self-publish today" and "...
yesterday") and a draft still awaiting review when it was scraped, whose text opens
with Wikinews' notice "This article requires pre-publication review" (two in the 2020
CSV); the 2019 CSV has neither.
``--out`` writes elsewhere than ``tests/data/wikinews-YEAR/stories.jsonl``.

The changes made to the published text, as CC BY asks to say, are only these: the
dateline paragraph ("Friday, January 4, 2019") becomes the ``date`` field; a pull
quote's attribution line ("—Troy Roberts", whose quotation the scrape lost) is
dropped; a photo's line ("Dakota, a deer. Image: Nicholas Moreau.") becomes a caption
("Dakota, a deer.") and its credit ("Nicholas Moreau"); runs of white space become one space.
Everything else is the copy as published, mistakes included.
"""

import argparse
import csv
import json
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"
_DATELINE = re.compile(r"^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \w+ \d{1,2}, \d{4}$")
_UNREVIEWED = "This article requires pre-publication review"
_CREDIT = re.compile(r"^(.*?)\s*\bImage: (.+?)\.?$")
_CREDIT_IN_BRACKETS = re.compile(r"^(.*?)\s*\(Image: (.+)\)\.?$")


def convert(row: dict, index: int, year: int = 2019) -> dict:
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
        "id": f"wikinews-{year}-{index:03d}",
        "source": "Wikinews",
        "url": re.sub(r"(?<!:)//", "/", row["url"]),
        "date": row["date"],
        "licence": "CC BY 2.5",
        "headline": row["title"],
        "paragraphs": paragraphs,
        "captions": captions,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", help="the scraped CSV (url, date, title, text)")
    parser.add_argument("--year", type=int, default=2019, help="year of the stories (2019)")
    parser.add_argument("--out", type=Path, help="output (tests/data/wikinews-YEAR/stories.jsonl)")
    args = parser.parse_args(argv)
    out = args.out or DATA / f"wikinews-{args.year}" / "stories.jsonl"
    with open(args.csv, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    kept = []
    for row in rows:
        if not row["date"].startswith(f"{args.year}-"):
            print(f"left out, dated {row['date']}, not {args.year}: {row['title']}")
        elif _UNREVIEWED in row["text"]:
            print(f"left out, a draft awaiting review: {row['date']} {row['title']}")
        else:
            kept.append(row)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        for index, row in enumerate(kept, 1):
            story = convert(row, index, args.year)
            handle.write(json.dumps(story, ensure_ascii=False) + "\n")
    print(f"{len(kept)} stories written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
