"""Benchmark the review engine on the real knowledge base; prints figures, asserts nothing.

    python bench/engine.py [--runs 5] [--markdownlint]

Figures (best and median of N runs, wall clock):
- start-up: `claim-review check` on one file (import and rule loading included);
- whole tree, cold: `claim-review check --no-cache` over the corpus (about 1,100 files), on all
  cores; warm: `claim-review check` again, with the findings of unchanged files cached;
- with --markdownlint: markdownlint-cli2 on the same files (installed with npm into a temporary
  folder), and the ratios. The machine is noisy, so the whole-tree commands run interleaved, one
  of each per round, and the ratios are given best against best and as the median of the ratios
  of runs made seconds apart.

The installed package is byte-compiled first, as `pip install .` does: an editable install under
PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run.

For changes too small to see through the noise, count instructions instead of seconds:
`valgrind --tool=callgrind python -m bot check --no-cache` in the corpus (a forked worker's
count includes what its parent ran before the fork).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT.parent / "shared" / "corpus" / "teleo-codex.bundle"


# As on a user's machine, bytecode and compiled patterns (bot/patterns.py) are written by the
# first run and reused by the next, whatever this shell says.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], cwd: Path, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        out.append(time.perf_counter() - started)
    return out


def show(label: str, times: list[float]) -> float:
    best, median = min(times), statistics.median(times)
    print(f"{label:<46} best {best * 1000:7.0f} ms   median {median * 1000:7.0f} ms")
    return best


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--markdownlint", action="store_true", help="also time markdownlint-cli2")
    args = parser.parse_args()
    exe = shutil.which("claim-review") or sys.exit("install the project first (pip install .)")
    interpreter = Path(exe).read_text(errors="replace").splitlines()[0].removeprefix("#!")
    where = "import bot, os; print(os.path.dirname(bot.__file__))"
    package = Path(subprocess.check_output([interpreter.strip(), "-c", where], text=True).strip())
    # What `pip install .` does: without it an editable install under PYTHONDONTWRITEBYTECODE
    # compiles every module again on every run, which is not what users see.
    compileall.compile_dir(package, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        subprocess.run(
            ["git", "clone", "-q", "--branch", "dev-main", str(BUNDLE), str(corpus)], check=True
        )
        files = sorted(p for p in corpus.rglob("*.md") if ".git" not in p.parts)
        one = files[len(files) // 2].relative_to(corpus)
        python = sys.version.split()[0]
        print(f"corpus: {len(files)} markdown files · {os.cpu_count()} cores · Python {python}")
        show(
            "python -c pass (interpreter floor)",
            timed([sys.executable, "-c", "pass"], corpus, args.runs),
        )
        one_file = [exe, "check", "--no-cache", str(one)]
        show("claim-review check ONE_FILE (start-up)", timed(one_file, corpus, args.runs))
        commands = {
            "claim-review check --no-cache (whole tree)": [exe, "check", "--no-cache"],
            "claim-review check (whole tree, cached)": [exe, "check"],
        }
        timed([exe, "check"], corpus, 1)  # fill the cache
        if args.markdownlint:
            mdl = str(_markdownlint(tmp))
            commands["markdownlint-cli2 '**/*.md' (whole tree)"] = [mdl, "**/*.md"]
        # Interleaved, one run of each command per round: the machine's speed drifts, and a
        # ratio of runs made seconds apart is the figure that survives the drift.
        times: dict[str, list[float]] = {label: [] for label in commands}
        for _ in range(args.runs):
            for label, cmd in commands.items():
                times[label] += timed(cmd, corpus, 1)
        best = {label: show(label, values) for label, values in times.items()}
        if args.markdownlint:
            theirs = times["markdownlint-cli2 '**/*.md' (whole tree)"]
            for label, name in zip(list(commands)[:2], ("cold", "warm"), strict=True):
                ratios = [t / ours for t, ours in zip(theirs, times[label], strict=True)]
                print(
                    f"{'ratio markdownlint-cli2 / claim-review, ' + name:<46} "
                    f"best/best {min(theirs) / best[label]:5.1f}x   "
                    f"median of paired runs {statistics.median(ratios):5.1f}x"
                )
    return 0


def _markdownlint(tmp: str) -> Path:
    tools = Path(tmp) / "tools"
    tools.mkdir()
    subprocess.run(
        ["npm", "install", "--silent", "--no-audit", "--no-fund", "markdownlint-cli2@0.24.1"],
        cwd=tools,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return tools / "node_modules" / ".bin" / "markdownlint-cli2"


if __name__ == "__main__":
    sys.exit(main())
