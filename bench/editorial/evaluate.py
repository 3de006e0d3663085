"""Precision and recall of each editorial check on the labelled corpus.

Run from the repository root:

    DJANGO_SETTINGS_MODULE=masthead.settings.test .venv/bin/python bench/editorial/evaluate.py

The corpus (masthead/editorial/corpus.py) is generated from our own templates with a
fixed seed: 120 stories with seeded mistakes of every kind and 40 clean stories, plus
the hand-written clean stories in masthead/editorial/clean_stories.py. Prints the table
used in docs/editorial.md, the spelling recall by misspelling source, the false findings
per 1,000 words of clean text, and every miss and false finding.
"""

import os
import sys
from collections import Counter


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.test")
    import django

    django.setup()
    from masthead.editorial.clean_stories import handwritten_corpus, seeded_handwritten
    from masthead.editorial.corpus import MISSPELLINGS_FILE, build_corpus, newsroom_lexicon
    from masthead.editorial.evaluation import evaluate

    print("Building the corpus ...", flush=True)
    corpus = build_corpus()
    seeded = [c for c in corpus if c.seeded]
    print(
        f"{len(seeded)} seeded stories, {len(corpus) - len(seeded)} clean generated stories, "
        f"{sum(c.story.word_count for c in corpus):,} words; Wikipedia misspellings "
        f"{'used' if MISSPELLINGS_FILE.exists() else 'absent (keyboard slips only)'}.",
        flush=True,
    )
    lexicon = newsroom_lexicon()
    scores = evaluate(corpus, lexicon)
    print(f"\nChecked in {scores.seconds:.1f} s.\n")
    print(scores.table())
    sources = Counter()
    found = Counter()
    missed = {id(label) for _key, label in scores.missed}
    for item in seeded:
        for label in item.labels:
            if label.check == "spelling":
                source = label.note.split(":")[0]
                sources[source] += 1
                found[source] += id(label) not in missed
    for source in sorted(sources):
        print(
            f"\nSpelling recall, {source}: {found[source]}/{sources[source]} = "
            f"{found[source] / sources[source]:.3f}",
            end="",
        )
    print(
        f"\n\nGenerated clean text: {scores.clean_false} false findings in "
        f"{scores.clean_words:,} words = {scores.clean_false_per_1000_words:.2f} per 1,000 words."
    )
    hand = evaluate(handwritten_corpus(), lexicon)
    print(
        f"Hand-written clean text: {hand.clean_false} false findings in {hand.clean_words:,} "
        f"words = {hand.clean_false_per_1000_words:.2f} per 1,000 words."
    )
    for key, finding in hand.false:
        print(
            f"  hand-written false finding {key}: {finding.rule} {finding.text!r} ({finding.context})"
        )
    independent = evaluate(seeded_handwritten(), lexicon)
    print(
        "\nHand-written stories with seeded mistakes (60 stories; titles and completeness not seeded):\n"
    )
    print(independent.table())
    for key, label in independent.missed:
        print(f"  hand-written miss {key}: {label.check} {label.field} {label.rule} {label.note}")
    for key, finding in independent.false:
        print(
            f"  hand-written false finding {key}: {finding.rule} {finding.text!r} ({finding.context})"
        )
    print("\nMisses:")
    for key, label in scores.missed:
        print(f"  {key}: {label.check} {label.field} {label.rule} {label.note}")
    print("False findings:")
    for key, finding in scores.false:
        print(f"  {key}: {finding.rule} {finding.field} {finding.text!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
