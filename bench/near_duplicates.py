"""How long near-duplicate search takes on a large knowledge base.

    python bench/near_duplicates.py [EXISTING] [NEW]

Builds a knowledge index of EXISTING synthetic claim titles (default 50,000), then asks for the
nearest existing title of NEW new claims (default 50), as the near-duplicate-claim rule does in
one review. Titles are drawn from a Zipf-distributed vocabulary, so that common words are
common and the token index meets long posting lists, as it would on real claims.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass

from bot.checks.duplicates import ClaimTitles
from bot.index import KnowledgeIndex

FOLDERS = ("domains/", "core/", "foundations/")


@dataclass(frozen=True)
class Timing:
    existing: int
    new: int
    build: float  # seconds to build the title index (once per review)
    query: float  # seconds for all the new claims together
    matches: int  # new claims whose nearest title scored 88 or more


def synthetic_titles(count: int, seed: int = 7, vocabulary: int = 6000) -> list[str]:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(vocabulary)]
    weights = [1 / (rank + 1) for rank in range(vocabulary)]
    titles = set()
    while len(titles) < count:
        titles.add(" ".join(rng.choices(words, weights, k=rng.randint(8, 22))))
    return sorted(titles)


def run(existing: int = 50_000, new: int = 50, seed: int = 7) -> Timing:
    titles = synthetic_titles(existing + new, seed)
    rng = random.Random(seed)
    rng.shuffle(titles)
    old, fresh = titles[:existing], titles[existing:]
    # Half of the new claims restate an existing one with two words dropped.
    for i in range(0, new, 2):
        words = old[i].split()
        fresh[i] = " ".join(words[:3] + words[5:])
    paths = [f"{FOLDERS[i % 3]}topic/{t}.md" for i, t in enumerate(old)]
    new_paths = [f"domains/topic/{t}.md" for t in fresh]
    index = KnowledgeIndex(paths + new_paths)
    started = time.perf_counter()
    claims = ClaimTitles.of(index, FOLDERS)
    built = time.perf_counter()
    matches = 0
    for title, path in zip(fresh, new_paths, strict=True):
        best = claims.nearest(title, path)
        matches += best is not None and best.score >= 88
    done = time.perf_counter()
    return Timing(existing, new, built - started, done - built, matches)


def main(argv: list[str]) -> None:
    existing = int(argv[0]) if argv else 50_000
    new = int(argv[1]) if len(argv) > 1 else 50
    t = run(existing, new)
    print(f"existing titles        {t.existing:,}")
    print(f"new claims             {t.new}")
    print(f"index build (once)     {t.build * 1000:.0f} ms")
    print(f"queries (all new)      {t.query * 1000:.0f} ms ({t.query / t.new * 1000:.1f} ms each)")
    print(f"near-duplicates found  {t.matches} of {t.new // 2 + t.new % 2} planted")


if __name__ == "__main__":
    main(sys.argv[1:])
