"""How well staleness helps the translator over a set of realistic source edits.

    .venv/bin/python bench/staleness.py [--backend sqlite|postgresql]

Runs every edit of ``tests/edit_corpus.py`` through the real content operations (a
translated article, then the edit's revisions) and prints, per edit and over the set:

- the share of changed blocks that keep their old translation as stale (the goal is at
  least 90%): the translator starts from it, with a word diff of the source;
- precision and recall of the blocks flagged as needing work (stale or untranslated)
  against the blocks that truly changed or are new;
- the share of untouched blocks that stay current.

The results are recorded in bench/staleness.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import scratch_database

from editions.content.status import keep_status_current
from editions.core.db import make_engine, make_session_factory
from editions.core.languages import load_editions
from editions.core.settings import DEFAULT_EDITION_OVERRIDES, DEFAULT_EDITIONS
from editions.maintenance import schema
from tests.edit_corpus import EDITS, Scores, apply_edit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    editions = load_editions(DEFAULT_EDITIONS, DEFAULT_EDITION_OVERRIDES)
    total = Scores()
    print("| edit | blocks | changed | kept stale | flagged | rightly flagged | as expected |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    with (
        tempfile.TemporaryDirectory() as workdir,
        scratch_database(args.backend, Path(workdir), "editions_bench_staleness") as url,
    ):
        schema.upgrade(url)
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        keep_status_current(sessions, list(editions))
        for number, edit in enumerate(EDITS):
            scores = Scores()
            with sessions() as session:
                scores.add(edit.expected, apply_edit(session, editions, edit, 93000 + number))
                session.rollback()
            for name in vars(scores):
                setattr(total, name, getattr(total, name) + getattr(scores, name))
            print(
                f"| {edit.name} | {scores.blocks} | {scores.changed} | {scores.kept_stale} "
                f"| {scores.flagged} | {scores.flagged_rightly} | {scores.exact} |"
            )
        engine.dispose()
    print()
    print(
        f"- changed blocks keeping a stale translation: {total.kept_stale}/{total.changed}"
        f" = {total.kept_stale_share:.1%}"
    )
    print(
        f"- precision of the flagged blocks: {total.flagged_rightly}/{total.flagged}"
        f" = {total.precision:.3f}"
    )
    print(
        f"- recall of the blocks needing work: {total.flagged_rightly}/{total.needing_work}"
        f" = {total.recall:.3f}"
    )
    print(
        f"- untouched blocks staying current: {total.untouched_current}/{total.untouched}"
        f" = {total.untouched_current_share:.1%}"
    )
    print(f"- blocks exactly as expected: {total.exact}/{total.blocks}")


if __name__ == "__main__":
    main()
