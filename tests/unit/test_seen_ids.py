"""``SeenIds``: the repeated-item check of a walk remembers recent pages, not all of them.

A walk over millions of items must not grow with them; the check still catches the
repeats that happen (a neighbouring page after the list shifted, a server cycling
through a few pages).
"""

from __future__ import annotations

from packagex_async._listing._consistency import PAGES_REMEMBERED, SeenIds


def page(number: int) -> list[object]:
    return [f"bat_{number}_{n}" for n in range(3)]


def test_repeats_within_the_remembered_pages_are_counted() -> None:
    seen = SeenIds()
    for number in range(100):
        assert seen.add(page(number)) == 0

    assert seen.add([page(100 - PAGES_REMEMBERED)[0], "bat_new"]) == 1  # the oldest kept


def test_the_same_page_again_is_all_repeats() -> None:
    seen = SeenIds()
    seen.add(page(1))

    assert seen.add(page(1)) == 3


def test_pages_older_than_the_window_are_forgotten() -> None:
    seen = SeenIds(pages=4)
    for number in range(10):
        seen.add(page(number))

    assert seen.add(page(5)) == 0  # five pages back: no longer remembered
    assert seen.add(page(9)) == 3


def test_a_page_repeating_its_own_item_counts_it() -> None:
    assert SeenIds().add(["bat_a", "bat_b", "bat_a"]) == 1
