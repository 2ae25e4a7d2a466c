from __future__ import annotations

from bot.diff import ChangedFile, from_git, from_patch
from bot.models import Placement
from tests.conftest import Repo


def test_added_modified_renamed_deleted_and_odd_names(repo: Repo):
    repo.write("keep.md", "one\ntwo\nthree\n")
    repo.write("old name.md", "a\nb\nc\nd\ne\n")
    repo.write("gone.md", "bye\n")
    base = repo.commit("base")
    repo.write("keep.md", "one\ntwo changed\nthree\nfour\n")
    (repo.path / "old name.md").rename(repo.path / "new name.md")
    (repo.path / "gone.md").unlink()
    odd = 'claims/quote " and tab\tand é ünïcode.md'
    repo.write(odd, "# Title\n\nbody\n")
    repo.write("img.bin", b"\x00\x01\x02")
    head = repo.commit("head")
    files = {f.path: f for f in from_git(repo.path, base, head)}
    assert files["keep.md"].status == "modified"
    assert files["keep.md"].added == {2, 4}
    assert files["keep.md"].hunks == ((1, 4),)
    assert (
        files["new name.md"].status == "renamed" and files["new name.md"].old_path == "old name.md"
    )
    assert files["new name.md"].added == frozenset()
    assert files["gone.md"].status == "deleted"
    assert files[odd].status == "added" and files[odd].added == {1, 2, 3}
    assert files["img.bin"].binary


def test_placement():
    change = ChangedFile("a.md", "modified", added=frozenset({3}), hunks=((1, 6),))
    assert change.placement(3) is Placement.ADDED_LINE
    assert change.placement(5) is Placement.CHANGED_FILE
    assert change.hunk_of(5) == (1, 6) and change.hunk_of(9) is None


def test_from_patch_of_a_forge_file_list():
    patch = (
        "@@ -1,3 +1,4 @@\n line1\n-line2\n+line2 changed\n+new line\n line3\n"
        "@@ -10,2 +11,3 @@\n x\n+y\n z"
    )
    change = from_patch("a.md", "modified", patch)
    assert change.added == {2, 3, 12}
    assert change.hunks == ((1, 4), (11, 13))
    missing = from_patch("big.md", "modified", None)
    assert missing.patch_missing and missing.added == frozenset()
