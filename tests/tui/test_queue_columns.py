"""The queue's columns at every width: which show, how wide each is, and that a row
reads as a rep reads it (a space between columns, the company, scores lined up)."""

from __future__ import annotations

import pytest

from leadtui.core.agreement import Agreement
from leadtui.core.models import Stage
from leadtui.store import Filter, Store, View
from leadtui.tui.screens.acting import Asked
from leadtui.tui.widgets.columns import GAP, layout
from leadtui.tui.widgets.queue_list import QueueHeading
from leadtui.tui.widgets.sla_badge import badge
from tests.tui.conftest import app_on, on_screen, queue_of, settle

MINE = {"owner"}  # every lead is the rep's own
UNASSIGNED = {"owner", "stage"}  # nobody's, and all of them MQLs
ALL: set[str] = set()

# The list's own width (the terminal less padding, scroll bar and, from 120 columns,
# the detail beside it): 80 -> 77, 100 -> 97, 120 -> 69, 160 -> 93, 200 -> 133.
WIDTHS = [
    (
        69,
        MINE,
        {"sla": 11, "name": 15, "company": 14, "score": 5, "why": 20},
    ),
    (
        77,
        MINE,
        {"sla": 11, "name": 15, "company": 14, "score": 5, "why": 19, "tries": 8},
    ),
    (
        77,
        ALL,
        {"sla": 11, "name": 15, "company": 14, "score": 5, "why": 19, "tries": 8},
    ),
    (
        93,
        MINE,
        {"sla": 11, "name": 15, "company": 14, "stage": 8, "score": 5, "why": 26, "tries": 8},
    ),
    (
        93,
        ALL,
        {"sla": 11, "name": 15, "company": 14, "score": 5, "why": 26, "tries": 8, "owner": 8},
    ),
    (
        97,
        UNASSIGNED,
        {"sla": 11, "name": 15, "company": 16, "score": 5, "bar": 5, "why": 31, "tries": 8},
    ),
    (
        97,
        ALL,
        {
            "sla": 11,
            "name": 15,
            "company": 14,
            "stage": 8,
            "score": 5,
            "why": 21,
            "tries": 8,
            "owner": 8,
        },
    ),
    (
        133,
        MINE,
        {
            "sla": 11,
            "name": 15,
            "company": 19,
            "title": 18,
            "stage": 8,
            "score": 5,
            "bar": 5,
            "why": 36,
            "tries": 8,
        },
    ),
    (
        133,
        UNASSIGNED,
        {
            "sla": 11,
            "name": 15,
            "company": 18,
            "title": 17,
            "score": 5,
            "bar": 5,
            "why": 34,
            "tries": 8,
            "source": 12,
        },
    ),
    (
        197,
        ALL,
        {
            "sla": 11,
            "name": 15,
            "company": 26,
            "title": 27,
            "stage": 8,
            "score": 5,
            "bar": 5,
            "why": 53,
            "tries": 8,
            "source": 14,
            "age": 4,
            "owner": 10,
        },
    ),
]


@pytest.mark.parametrize(("width", "alike", "expected"), WIDTHS)
def test_each_width_has_its_columns_and_they_fill_it(
    width: int, alike: set[str], expected: dict[str, int]
) -> None:
    columns = layout(width, 3, 2, alike)
    assert {column.key: size for column, size in columns} == expected
    assert list(dict(expected)) == [column.key for column, _ in columns]  # left to right
    assert sum(size for _, size in columns) + GAP * (len(columns) - 1) == width


def test_the_company_shows_at_every_width_and_the_rationale_grows() -> None:
    whys = []
    for width in range(65, 260):
        for alike in (MINE, UNASSIGNED, ALL):
            columns = dict((column.key, size) for column, size in layout(width, 3, 2, alike))
            assert {"sla", "name", "company", "score", "why"} <= columns.keys()
            assert not columns.keys() & alike
        whys.append(dict((c.key, s) for c, s in layout(width, 3, 2, MINE))["why"])
    assert min(whys) >= 16 and whys[-1] > 80  # a wide list has the whole rationale


def test_an_added_column_comes_after_the_ones_before_it_in_priority() -> None:
    """A column shows only where every column of higher priority also shows."""
    priority = ["tries", "owner", "stage", "bar", "title", "source", "age"]
    for width in range(65, 260):
        keys = {column.key for column, _ in layout(width, 3, 2, ALL)}
        shown = [key in keys for key in priority]
        assert shown == sorted(shown, reverse=True), (width, keys)


def test_a_view_leaves_out_the_columns_that_say_the_same_on_every_row() -> None:
    assert Asked(View.MINE).alike() == MINE
    assert Asked(View.UNASSIGNED).alike() == UNASSIGNED
    assert Asked(View.ALL).alike() == ALL
    assert Asked(View.ALL, Filter(source="web_form", stage=Stage.WORKING)).alike() == {
        "source",
        "stage",
    }
    assert Asked(View.MINE, search="ha").alike() == set()  # found in any view


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_a_row_has_a_gap_after_the_badge_the_company_and_scores_lined_up(
    work: Store, terms: Agreement, size: tuple[int, int]
) -> None:
    async with app_on(work, terms).run_test(size=size) as pilot:
        await settle(pilot)
        queue = queue_of(pilot)
        heading = str(pilot.app.screen.query_one(QueueHeading).render())
        score_ends = heading.index("Score") + len("Score")
        painted = on_screen(queue)
        shown = queue.lines[: len(painted)]
        assert len(shown) >= 5
        for line, text in zip(shown, painted, strict=False):
            assert line.clock is not None
            mark = badge(line.clock.reading, line.clock.day)
            name = text.index(line.row.name)
            assert text.startswith(mark) and text[len(mark) : name].strip() == ""
            assert name > len(mark)  # at least one space between badge and name
            after_name = text[name + len(line.row.name) :]
            assert after_name.startswith(" ")
            assert after_name.strip().startswith(line.row.company[:8])
            score = str(line.row.score)
            assert text[score_ends - len(score) : score_ends] == score
            assert text[score_ends - len(score) - 1] == " " and text[score_ends] == " "


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_a_screenshot_of_a_row_keeps_the_spaces_between_columns(
    work: Store, terms: Agreement, size: tuple[int, int]
) -> None:
    """A screenshot (SVG) leaves a run of blanks alone out of its text, so the gaps
    travel with the text before them: no segment of a row but the last is blank."""
    async with app_on(work, terms).run_test(size=size) as pilot:
        await settle(pilot)
        queue = queue_of(pilot)
        for y in range(5):
            segments = list(queue.render_line(y))
            assert len(segments) > 3
            assert all(segment.text.strip() for segment in segments[:-1]), segments
            text = "".join(segment.text for segment in segments if segment.text.strip())
            line = queue.lines[y]
            assert line.clock is not None
            assert f"{badge(line.clock.reading, line.clock.day)} " in text
            assert f" {line.row.name} " in text


async def test_the_all_view_shows_owners_and_stages_where_there_is_room(
    work: Store, terms: Agreement
) -> None:
    async with app_on(work, terms).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        heading = pilot.app.screen.query_one(QueueHeading)
        assert "Stage" in str(heading.render()) and "Owner" not in str(heading.render())
        await pilot.press("3")
        await settle(pilot)
        titles = str(heading.render()).split()
        assert titles[-1] == "Owner" and "Stage" in titles
        queue = queue_of(pilot)
        owned = [
            (line, text)
            for line, text in zip(queue.lines, on_screen(queue), strict=False)
            if line.row.owner
        ]
        assert owned and all(text.rstrip().endswith(line.row.owner) for line, text in owned)
        await pilot.press("2")
        await settle(pilot)
        assert not {"Stage", "Owner"} & set(str(heading.render()).split())


def test_every_stage_fits_its_column() -> None:
    from leadtui.core.models import Stage
    from leadtui.tui.widgets.columns import STAGE, STAGE_WORDS

    assert set(STAGE_WORDS) == set(Stage)
    assert all(len(word) <= STAGE.least for word in STAGE_WORDS.values())


def test_tries_beyond_the_cadence_keep_the_columns_width() -> None:
    from leadtui.tui.widgets.columns import dots

    assert [dots(done, 3) for done in (0, 2, 3, 4, 9)] == ["○○○", "●●○", "●●●", "●●+", "●●+"]
    assert all(len(dots(done, 2)) == 2 for done in range(6))
