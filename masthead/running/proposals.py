"""Which stories to propose for a running story, from the Related lists of its members.

A pure function over ids and scores (no models), so the same code runs in the admin and
in the evaluation on the labelled corpus (bench/running/proposals.py).

A story is proposed when enough of the running story's members list it among their
related stories: one member's list alone mixes in neighbouring storylines (a minister
who appears in two of them), while the members' lists agree on the storyline itself.

An editor's rejections count as evidence too: a story closer to a rejected story than
to every member is not proposed (nearest neighbour over the editor's decisions). On real
stories a neighbouring storyline comes as a group (two hurricanes of one season, two
protest movements): once the editor rejects one story of it, its siblings, closer to
that story than to ours, stop being proposed.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Share of the members (those that have related lists) that must list a candidate:
# one of one, two of two, two of three, three of four or more. Chosen on half of the
# Wikinews running stories (0.5, one of two, let a second member's list alone bring in
# a neighbouring storyline); docs/live.md gives the other half's figure.
MIN_SHARE = 0.6
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
# The admin shows one proposal at a time: each decision is weighed into the next
# proposal (a rejection keeps the rejected story's neighbours away), so every story an
# editor is shown is one the decisions so far still support.
SHOWN = 1


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

    ``related`` maps a story to its related stories and scores: the members', and for
    the rejected-neighbour rule also the candidates' and the rejected stories' (a
    story whose list is missing is judged on the lists that name it). ``excluded``
    holds stories an editor rejected, never proposed again.
    """
    members = set(members)
    rejected = set(excluded) - members
    excluded = rejected | members
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
    found = [
        Proposal(s, support[s], score[s])
        for s in support
        if support[s] >= needed and not _closer_to_rejected(s, members, rejected, related)
    ]
    found.sort(key=lambda p: (-p.support, -p.score, p.story_id))
    return found[:limit]


def _closer_to_rejected(story_id: int, members: set, rejected: set, related) -> bool:
    """Return whether ``story_id`` is more similar to a rejected story than to every member.

    Similarity of two stories is the higher of the scores either one's Related list
    gives the other (each list keeps only its best matches).
    """
    if not rejected:
        return False
    closest = {True: 0.0, False: 0.0}  # in the running story / rejected
    for other, value in related.get(story_id, ()):
        if other in members or other in rejected:
            side = other in members
            closest[side] = max(closest[side], value)
    for group, side in ((members, True), (rejected, False)):
        for other in group:
            for listed, value in related.get(other, ()):
                if listed == story_id:
                    closest[side] = max(closest[side], value)
    return closest[False] > closest[True]
