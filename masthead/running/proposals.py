"""Which stories to propose for a running story, from the Related lists of its members.

A pure function over ids and scores (no models), so the same code runs in the admin and
in the evaluation on the labelled corpus (bench/running/proposals.py).

A story is proposed when enough of the running story's members list it among their
related stories: one member's list alone mixes in neighbouring storylines (a minister
who appears in two of them), while the members' lists agree on the storyline itself.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Share of the members (those that have related lists) that must list a candidate.
MIN_SHARE = 0.5
# Never ask more members than this to agree: a long running story would otherwise
# need a new story to be related to dozens of old ones.
MAX_SUPPORT = 3
# A member's related story counts only when it scores at least this share of that
# member's best match: the tail of a Related list is where other storylines come in
# (on the demo newsroom, wrong candidates score a median 0.21 of the best, right ones
# 0.81; bench/running/proposals.py --demo).
MIN_RATIO = 0.45
# At most this many proposals at a time: an editor reviews a short list.
LIMIT = 10


@dataclass(frozen=True)
class Proposal:
    story_id: int
    support: int  # how many members list it as related
    score: float  # the sum of their similarity scores


def propose(
    members: Iterable[int],
    related: Mapping[int, Iterable[tuple[int, float]]],
    excluded: Iterable[int] = (),
    *,
    min_share: float = MIN_SHARE,
    min_ratio: float = MIN_RATIO,
    max_support: int = MAX_SUPPORT,
    limit: int = LIMIT,
) -> list[Proposal]:
    """Return stories to propose, best first.

    ``related`` maps a member to its related stories and scores; ``excluded`` holds
    stories an editor rejected (and any that must never be proposed).
    """
    members = set(members)
    excluded = set(excluded) | members
    support: dict[int, int] = defaultdict(int)
    score: dict[int, float] = defaultdict(float)
    listing = 0
    for member in members:
        rows = list(related.get(member, ()))
        if rows:
            listing += 1
        best = max((value for _id, value in rows), default=0.0)
        for story_id, value in rows:
            if value < best * min_ratio:
                continue
            if story_id in excluded:
                continue
            support[story_id] += 1
            score[story_id] += value
    if not listing:
        return []
    needed = max(1, min(max_support, round(listing * min_share + 0.49)))
    found = [Proposal(s, support[s], score[s]) for s in support if support[s] >= needed]
    found.sort(key=lambda p: (-p.support, -p.score, p.story_id))
    return found[:limit]
