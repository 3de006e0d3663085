"""CPU time of the HTML conversion alone, per generated post (no database).

    .venv/bin/python bench/imports/convert_speed.py            # 2,000 posts, 3 rounds
    .venv/bin/python bench/imports/convert_speed.py --posts 500 --rounds 5

Generates the benchmark export (bench/imports/generate.py), reads it with the WXR
reader and times ``html_to_blocks`` over every post's HTML, with images looked up by a
stub. Prints the CPU milliseconds per post of each round and the load average.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masthead.settings.test")
    import django

    django.setup()
    from generate import parsed_export

    from masthead.imports.convert import html_to_blocks

    export = parsed_export(args.posts)
    posts = [item.content for item in export.items if item.post_type == "post"]

    def no_image(url, attachment_id):
        return None, None

    for number in range(1, args.rounds + 1):
        started = time.process_time()
        for html in posts:
            html_to_blocks(html, no_image)
        spent = time.process_time() - started
        print(f"round {number}: {spent / len(posts) * 1000:.2f} ms of CPU per post")
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
