"""Precision and recall of each editorial check, on our corpus and on published copy.

Run from the repository root:

    .venv/bin/python bench/editorial/evaluate.py          # our own labelled corpus
    .venv/bin/python bench/editorial/evaluate.py --real   # and the published copy, side by side

The labelled corpus (bench/editorial/corpus.py) is generated from our own templates with
a fixed seed: 120 stories with seeded mistakes of every kind and 40 clean stories, plus
the hand-written clean stories in bench/editorial/clean_stories.py. Prints the table
used in docs/editorial.md, the spelling recall by misspelling source, the false findings
per 1,000 words of clean text, and every miss and false finding.

``--real`` adds the evaluation on copy we did not write (bench/editorial/real.py): 171
Wikinews stories of 2019 (tests/data/wikinews-2019, CC BY 2.5), with one mistake of each
class placed by bench/editorial/placed.py, beside the same classes placed in our own
clean stories; and findings per 1,000 words on both as published, each finding on the
Wikinews copy judged in bench/editorial/published_judgements.tsv.
"""

import os
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> int:
    real = "--real" in sys.argv[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.test")
    import django

    django.setup()
    from bench.editorial.clean_stories import handwritten_corpus, seeded_handwritten
    from bench.editorial.corpus import MISSPELLINGS_FILE, build_corpus, newsroom_lexicon
    from bench.editorial.evaluation import evaluate

    print("Building the corpus ...", flush=True)
    corpus = build_corpus()
    seeded = [c for c in corpus if c.seeded]
    print(
        f"{len(seeded)} seeded stories, {len(corpus) - len(seeded)} clean generated stories, "
        f"{sum(c.story.word_count for c in corpus):,} words; Wikipedia misspellings "
        f"from {MISSPELLINGS_FILE.relative_to(Path.cwd()) if MISSPELLINGS_FILE.is_relative_to(Path.cwd()) else MISSPELLINGS_FILE}.",
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
    if real:
        print_real()
    return 0


def print_real() -> None:
    from bench.editorial.corpus import newsroom_lexicon
    from bench.editorial.real import (
        NOISE,
        REAL,
        load_judgements,
        measure_noise,
        measure_recall,
        noise_table,
        own_clean,
        published,
        recall_table,
    )

    print("\n## Copy we did not write: Wikinews 2019, beside our own clean stories\n", flush=True)
    published_stories, own_stories = published(), own_clean()
    published_recall = measure_recall(published_stories)
    own_recall = measure_recall(own_stories)
    print(
        f"{len(published_stories)} published stories, {len(own_stories)} of our own clean "
        "stories; one mistake of each class placed where the story allows it.\n"
    )
    print(recall_table(published_recall, own_recall))
    print("\nBy kind of change (published copy):")
    for (kind, change), count in sorted(published_recall.by_change.items()):
        found = published_recall.found_by_change[(kind, change)]
        print(f"  {kind} / {change}: {found}/{count}")
    print(
        f"\nStaff-name traps (a surname in the story one change from a staffer's first "
        f"name): {published_recall.trap_fired} of {published_recall.traps} published "
        f"stories and {own_recall.trap_fired} of {own_recall.traps} of ours were "
        '"corrected" to the staffer.'
    )
    published_noise = measure_noise(published_stories, load_judgements())
    own_noise = measure_noise(own_stories, lexicon=newsroom_lexicon())
    print("\nFindings on the copy as published (completeness left out):\n")
    print(noise_table(published_noise, own_noise))
    by_rule = Counter((f.rule, verdict) for _key, f, verdict, _reason in published_noise.findings)
    print("\nPublished copy, by rule (real / noise / unjudged):")
    for rule in sorted({rule for rule, _verdict in by_rule}):
        print(
            f"  {rule}: {by_rule[(rule, REAL)]} / {by_rule[(rule, NOISE)]} / "
            f"{by_rule[(rule, 'unjudged')]}"
        )
    for key, finding, _verdict, _reason in published_noise.unjudged:
        print(f"  unjudged {key}: {finding.rule} {finding.text!r} ({finding.context})")
    print("\nMisses on published copy:")
    for placed in published_recall.missed:
        print(f"  {placed.key}: {placed.kind} / {placed.change}: {placed.note}")
    print("Misses on our own clean stories:")
    for placed in own_recall.missed:
        print(f"  {placed.key}: {placed.kind} / {placed.change}: {placed.note}")
    print("Findings on our own clean stories (all false):")
    for key, finding, _verdict, _reason in own_noise.findings:
        print(f"  {key}: {finding.rule} {finding.text!r} ({finding.context})")


if __name__ == "__main__":
    sys.exit(main())
