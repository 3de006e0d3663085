"""Time the editorial checks on stories of 500, 2,000, 10,000 and 100,000 words.

Run from the repository root:

    .venv/bin/python bench/editorial/bench_speed.py

Stories are built from the labelled corpus (seeded mistakes included), so the spelling
and name checks have real work to do. Each size is checked several times after one
warm-up run (which loads the English dictionary); the caches of tokens and suggestions
are cleared before every timed run. The median is reported, next to the
ratio to the 2,000-word story, because the machine is shared and absolute times are noisy.
"""

import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _story_of(words: int, corpus):
    from masthead.editorial.story import build_story

    paragraphs = []
    count = 0
    index = 0
    while count < words:
        item = corpus[index % len(corpus)]
        for segment in item.story.paragraphs:
            paragraphs.append(segment.text)
            count += len(segment.text.split())
            if count >= words:
                break
        index += 1
    return build_story(corpus[0].story.headline, paragraphs, standfirst="A standfirst.")


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.test")
    django.setup()
    from bench.editorial.corpus import build_corpus, newsroom_lexicon
    from masthead.editorial.engine import run_checks
    from masthead.editorial.lexicon import edits1, english, foreign_spans, suggest, suggest_close
    from masthead.editorial.story import build_story
    from masthead.editorial.text import tokens

    started = time.perf_counter()
    english()
    print(f"Dictionary load (once per process): {1000 * (time.perf_counter() - started):.0f} ms")
    print("Building corpus ...", flush=True)
    corpus = build_corpus()
    lexicon = newsroom_lexicon()
    sizes = [500, 2000, 10000, 100000]
    results = {}
    for size in sizes:
        story = _story_of(size, corpus)
        run_checks(story, lexicon)  # warm-up: caches suggestions and regexes
        repeats = 3 if size >= 100000 else 9
        times = []
        for _ in range(repeats):
            # Cold caches for each run: no tokens or suggestions carried over.
            tokens.cache_clear()
            suggest.cache_clear()
            suggest_close.cache_clear()
            edits1.cache_clear()
            foreign_spans.cache_clear()
            t0 = time.perf_counter()
            findings = run_checks(story, lexicon)
            times.append(time.perf_counter() - t0)
        results[size] = (story.word_count, statistics.median(times), len(findings))
        print(f"  {size:>7} words checked ({repeats} runs)", flush=True)
    # The same budget on copy we did not write: Wikinews paragraphs (tests/data), whose
    # many different names give the name check more to compare than our templates do.
    from bench.editorial.published import published_stories

    paragraphs, count = [], 0
    for item in published_stories():
        for segment in item.story.paragraphs:
            if count < 2000:
                paragraphs.append(segment.text)
                count += len(segment.text.split())
    real_story = build_story("Published copy", paragraphs, standfirst="A standfirst.")
    run_checks(real_story, lexicon)
    times = []
    for _ in range(9):
        tokens.cache_clear()
        suggest.cache_clear()
        suggest_close.cache_clear()
        edits1.cache_clear()
        foreign_spans.cache_clear()
        t0 = time.perf_counter()
        real_findings = run_checks(real_story, lexicon)
        times.append(time.perf_counter() - t0)
    real_result = (real_story.word_count, statistics.median(times), len(real_findings))
    base = results[2000][1]
    print("\n| words | median ms | ratio to 2,000 words | findings |")
    print("|---|---|---|---|")
    for size in sizes:
        words, seconds, found = results[size]
        print(f"| {words:,} | {1000 * seconds:.1f} | {seconds / base:.2f} | {found} |")
    words, seconds, found = real_result
    print(f"| {words:,} (Wikinews) | {1000 * seconds:.1f} | {seconds / base:.2f} | {found} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
