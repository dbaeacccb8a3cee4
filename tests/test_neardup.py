"""Near-duplicate grouping (MinHash LSH over word shingles)."""

from __future__ import annotations

from storyline.stories.neardup import NearDuplicates, shingles

BASE = ("The city council voted on Tuesday evening to close the old river bridge to heavy lorries after "
        "engineers found deep cracks in two of its stone piers during a routine inspection last month, "
        "and a temporary crossing for buses will open next spring while repairs are planned.")


def test_syndicated_copy_and_light_edit_are_grouped() -> None:
    nd = NearDuplicates()
    assert nd.add("orig", BASE) is None
    assert nd.add("copy", BASE + " Reporting by a wire agency.") == "orig"
    edited = BASE.replace("Tuesday evening", "Tuesday night")
    assert nd.add("edit", edited) == "orig"
    assert nd.group_of("edit") == "orig" and nd.group_of("orig") == "orig"


def test_different_article_is_not_grouped() -> None:
    nd = NearDuplicates()
    nd.add("orig", BASE)
    other = ("Farmers in the northern valley expect a smaller apple harvest this autumn because a late frost "
             "in April damaged many blossoms, and several cider makers have already raised their prices.")
    assert nd.add("other", other) is None


def test_short_texts_are_never_called_copies() -> None:
    nd = NearDuplicates()
    nd.add("a", "Storm warning")
    assert nd.add("b", "Storm warning") is None
    assert len(shingles("one two")) == 2


def test_round_trip_keeps_groups_and_index() -> None:
    nd = NearDuplicates()
    nd.add("orig", BASE)
    nd.add("copy", BASE + " More soon.")
    back = NearDuplicates.from_bytes(nd.to_bytes())
    assert back.group_of("copy") == "orig"
    assert back.add("late", BASE + " Updated.") == "orig"
