"""The views (text, Markdown, HTML, iCalendar, records, plot) agree with Plan.slots and are safe to open."""

from __future__ import annotations

import datetime as dt
import html
import re
import sys
from html.parser import HTMLParser

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import hipplan as hp
from hipplan import strategies as hst
from hipplan.catalog import CATALOG
from hipplan.plan import Plan, Reason, Slot, Unplaced, WeekOverride
from hipplan.render import _common as c
from hipplan.render.html import exercise_card_html, plan_html, plan_table_html
from hipplan.render.records import RECORD_FIELDS, plan_records
from hipplan.render.text import clean, exercise_card, explain, md_escape, plan_markdown, plan_text
from hipplan.units import show_load

XSS = "<script>alert(1)</script>"

# ---------------------------------------------------------------- plans to render


@st.composite
def hand_plans(draw: st.DrawFn) -> Plan:
    """Plans built slot by slot from valid parts: any week, any role, any catalogued rung, any dose."""
    athlete = draw(hst.athletes())
    weeks = draw(st.integers(min_value=1, max_value=5))
    usual = draw(hst.weeks(max_size=4))
    overrides = []
    for week in range(1, weeks + 1):
        if draw(st.integers(min_value=0, max_value=4)) == 0:
            label = draw(st.sampled_from(["", "travel", "holiday", XSS]))
            overrides.append(WeekOverride(week=week, sessions=draw(hst.weeks(max_size=3)), label=label))
    by_week = {o.week: o.sessions for o in overrides}
    deloads = draw(st.lists(st.integers(min_value=1, max_value=weeks), unique=True, max_size=2))
    rungs = [(r.exercise, r.variation) for r in CATALOG.rungs()]
    slots: list[Slot] = []
    unplaced: list[Unplaced] = []
    reason = Reason(rule="test", text=draw(st.sampled_from(["Because.", "A coach's reason & <b>bold</b>."])))
    for week in range(1, weeks + 1):
        for session in by_week.get(week, usual):
            if draw(st.booleans()):
                exercise, variation = draw(st.sampled_from(rungs))
                slots.append(
                    Slot(
                        week=week,
                        session=session.name,
                        weekday=session.weekday,
                        role=draw(st.sampled_from(list(hp.Role))),
                        exercise=exercise,
                        variation=variation,
                        dose=draw(hst.doses()),
                        deload=week in deloads,
                        instructions=draw(
                            st.lists(st.sampled_from(["Do it last.", "Move to the other side."]))
                        ),
                        reasons=(reason,),
                    )
                )
            else:
                unplaced.append(
                    Unplaced(week=week, session=session.name, weekday=session.weekday, reasons=(reason,))
                )
    resume = draw(st.one_of(st.none(), hst.doses()))
    slots = [attrs.evolve(s, resume=resume) if s.deload else s for s in slots]
    return Plan(
        athlete=athlete,
        weeks=weeks,
        sessions=usual,
        week_overrides=overrides,
        slots=slots,
        unplaced=unplaced,
        deload_weeks=sorted(deloads),
        notes=(Reason(rule="test", text="A plan-wide note."),),
        start=draw(
            st.one_of(st.none(), st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 1)))
        ),
    )


def plans() -> st.SearchStrategy[Plan]:
    """Hand-built plans (any role anywhere, odd names and labels) and real plans from the planner."""
    return st.one_of(hand_plans(), hst.plans(max_weeks=4))


def _session_plan(name: str = XSS) -> Plan:
    session = hp.Session(name=name, weekday=2, focus=hp.Focus.LOWER, equipment={hp.Equipment.BENCH})
    slot = Slot(
        week=1,
        session=name,
        weekday=2,
        role=hp.Role.FINISHER,
        exercise="single-leg-hip-thrust",
        variation="landmine",
        dose=hp.Dose(sets=3, reps=10, load_kg=20, pause_s=1),
        instructions=("Do it last in the session.",),
        reasons=(Reason(rule="role.finisher", text=f"Finisher: {name} is a lower day."),),
    )
    return Plan(
        athlete=hp.Athlete(level=hp.Level.ADVANCED, bodyweight_kg=70),
        weeks=2,
        sessions=(session,),
        slots=(slot, attrs.evolve(slot, week=2, deload=True)),
        deload_weeks=(2,),
    )


# ---------------------------------------------------------------- text


def _text_rows(text: str) -> dict[int, list[str]]:
    """The table rows of each week of a plain-text sheet."""
    rows: dict[int, list[str]] = {}
    week = 0
    in_table = False
    for line in text.splitlines():
        heading = re.match(r"Week (\d+)( \(|$)", line)
        if heading:
            week, in_table = int(heading.group(1)), False
            rows[week] = []
        elif line.startswith("  ---"):
            in_table = True
        elif in_table and line.startswith("  ") and not line.startswith(("  No slot:", "  Lighter", "    ")):
            rows[week].append(line)
        else:
            in_table = False
    return rows


def check_text_rows(plan: Plan) -> None:
    """Each week of the text sheet has one row per slot, in order, with the slot's day, session and dose."""
    rows = _text_rows(plan_text(plan))
    assert sorted(rows) == list(range(1, plan.weeks + 1))
    for week in range(1, plan.weeks + 1):
        slots = plan.week(week)
        assert len(rows[week]) == len(slots)
        for row, slot in zip(rows[week], slots, strict=True):
            cells = c.slot_cells(slot, plan.athlete.unit, plan.start, plan.athlete.load_kit)
            assert row.startswith(f"  {cells[0]}  ")
            rest = row
            for cell in cells:  # every cell, in column order
                position = rest.find(clean(cell))
                assert position >= 0, (cell, row)
                rest = rest[position + len(clean(cell)) :]


def check_deload_marks(plan: Plan) -> None:
    """Every deload week's heading says it is a deload week, and no other heading does."""
    text = plan_text(plan)
    for week in range(1, plan.weeks + 1):
        heading = next(line for line in text.splitlines() if re.match(rf"Week {week}( \(|$)", line))
        assert ("deload" in heading) == (week in plan.deload_weeks or any(s.deload for s in plan.week(week)))


def test_text_prints_cues_and_mistakes_once() -> None:
    """Cues and each mistake with its fix appear once, however many slots use the exercise."""
    plan = _session_plan("Thu pull")
    text = plan_text(plan)
    slht = CATALOG["single-leg-hip-thrust"]
    for cue in slht.cues:
        assert text.count(cue.text) == 1
    flat = " ".join(text.split())
    for mistake in slht.mistakes:
        assert flat.count(f"{mistake.fault} Fix: {mistake.fix}") == 1
    assert "Side switch" in text
    assert "Week 2 (deload: a lighter week)" in text


def check_explain(plan: Plan) -> None:
    """The explanation mentions every slot and every session without one, week by week."""
    text = explain(plan)
    flat = " ".join(text.split())
    for entry in (*plan.slots, *plan.unplaced):
        assert clean(entry.session) in flat
    for note in plan.notes:
        assert " ".join(note.text.split()) in flat  # long notes wrap across lines
    for week in range(1, plan.weeks + 1):
        assert re.search(rf"^Week {week}( \(|$)", text, re.MULTILINE)


def test_explain_says_why_and_does_not_repeat_itself() -> None:
    """A reason appears in the week it is first given; the next week says 'as in week 1' instead."""
    text = explain(_session_plan("Thu pull"))
    assert text.count("Finisher: Thu pull is a lower day.") == 1
    assert "Otherwise as in week 1." in text


# ---------------------------------------------------------------- Markdown


def _md_unescape(cell: str) -> str:
    return re.sub(r"\\(.)", r"\1", cell)


def _md_rows(text: str) -> dict[int, list[list[str]]]:
    rows: dict[int, list[list[str]]] = {}
    week = 0
    for line in text.splitlines():
        heading = re.match(r"## Week (\d+)", line)
        if heading:
            week = int(heading.group(1))
            rows[week] = []
        elif line.startswith("| ") and not line.startswith(("| Day |", "| --- |")):
            rows[week].append([_md_unescape(cell) for cell in line[2:-2].split(" | ")])
    return rows


def check_markdown(plan: Plan) -> None:
    """Each week's Markdown table has one row per slot whose cells, unescaped, are the slot's cells."""
    rows = _md_rows(plan_markdown(plan))
    for week in range(1, plan.weeks + 1):
        expected = [
            [clean(x) for x in c.slot_cells(s, plan.athlete.unit, plan.start, plan.athlete.load_kit)] for s in plan.week(week)
        ]
        assert rows[week] == expected


@pytest.mark.parametrize("text", ["a|b", "<b>", "*x*", "- list", "1. list", "[x](y)", "a\\b", "&amp;"])
def test_md_escape_round_trips(text: str) -> None:
    """Escaped text unescapes to itself, and keeps no bare pipe or angle bracket."""
    escaped = md_escape(text)
    assert _md_unescape(escaped) == text
    assert not re.search(r"(?<!\\)[|<>]", escaped)


# ---------------------------------------------------------------- HTML


class _Page(HTMLParser):
    """Collects every tag, the rows that carry a data-week, and their cell texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.rows: list[tuple[int, list[str]]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr" and dict(attrs).get("data-week"):
            self._row = []
            self.rows.append((int(dict(attrs)["data-week"] or 0), self._row))
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def check_html_rows(plan: Plan) -> None:
    """The page has one logged row per slot, in order, whose cells are the slot's cells plus an empty one."""
    page = _parse(plan_html(plan))
    expected = [(s.week, [*c.slot_cells(s, plan.athlete.unit, plan.start, plan.athlete.load_kit), ""]) for s in plan.slots]
    assert page.rows == expected


def check_notebook_table(plan: Plan) -> None:
    """The notebook table has one row per slot; the last cells of each are the slot's cells."""
    table = _parse(plan_table_html(plan))
    assert [week for week, _ in table.rows] == [s.week for s in plan.slots]
    for (_week, cells), slot in zip(table.rows, plan.slots, strict=True):
        assert cells[-len(c.COLUMNS) :] == list(c.slot_cells(slot, plan.athlete.unit, plan.start, plan.athlete.load_kit))


@given(plans())
def test_html_page_is_self_contained(plan: Plan) -> None:
    """No script, no external style sheet or font, no http(s) URL anywhere in the page."""
    text = plan_html(plan)
    page = _parse(text)
    tags = {tag for tag, _ in page.tags}
    assert "script" not in tags
    assert "link" not in tags
    assert "iframe" not in tags
    assert not re.search(r"https?://", text)
    assert "@import" not in text
    assert "url(" not in text
    assert all(not name.startswith("on") for _, attrs in page.tags for name in attrs)


def test_html_escapes_a_script_session_name() -> None:
    """A session named <script>alert(1)</script> is shown as text, never as a tag, in every HTML view."""
    plan = _session_plan(XSS)
    for text in (plan_html(plan), plan_table_html(plan), plan._repr_html_()):
        assert "<script" not in text.lower()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        assert "script" not in {tag for tag, _ in _parse(text).tags}
    assert any(XSS in cells for _, cells in _parse(plan_html(plan)).rows)


def test_html_page_is_printable() -> None:
    """The page is a whole document with print CSS and a free column to log what was done."""
    text = plan_html(_session_plan("Thu pull"))
    assert text.startswith("<!DOCTYPE html>")
    assert "@media print" in text
    assert "<th>Done</th>" in text
    assert "Write what you did in the Done column" in text
    assert 'class="week deload"' in text


def test_exercise_cards_show_every_cue_and_mistake() -> None:
    """The text and HTML cards list every cue, every mistake with its fix, and every allowed variation."""

    for ex in CATALOG.values():
        text = " ".join(exercise_card(ex).split())
        page = exercise_card_html(ex)
        assert ex.card() == exercise_card(ex)
        assert ex._repr_html_() == page
        for cue in ex.cues:
            assert cue.text in text
            assert html.escape(cue.text) in page
        for mistake in ex.mistakes:
            assert mistake.fault in text
            assert mistake.fix in text
            assert html.escape(mistake.fix) in page
        for var in ex.allowed_variations:
            assert var.name in text


def test_forbidden_variation_is_shown_as_left_out() -> None:
    """The mini band appears only under 'Left out on purpose', never among the variations to use."""
    card = exercise_card(CATALOG["single-leg-hip-thrust"])
    variations, left_out = card.split("Left out on purpose")
    assert "Mini band" not in variations.split("Variations")[1]
    assert "Mini band" in left_out


# ---------------------------------------------------------------- records


def check_records(plan: Plan) -> None:
    """One flat record per slot, in order, with the slot's values and every documented key."""
    records = plan_records(plan)
    assert len(records) == len(plan.slots)
    for record, slot in zip(records, plan.slots, strict=True):
        assert tuple(record) == RECORD_FIELDS
        assert (record["week"], record["weekday"], record["session"]) == (
            slot.week,
            slot.weekday,
            slot.session,
        )
        assert (record["role"], record["exercise"], record["variation"]) == (
            slot.role.value,
            slot.exercise,
            slot.variation,
        )
        assert (record["sets"], record["reps"], record["load_kg"], record["pause_s"]) == (
            slot.dose.sets,
            slot.dose.reps,
            slot.dose.load_kg,
            slot.dose.pause_s,
        )
        assert all(
            isinstance(value, str | int | float | bool | dt.date | type(None)) for value in record.values()
        )


def test_records_show_loads_in_the_athletes_unit() -> None:
    """An athlete who reads pounds gets 'load' in lb, while 'load_kg' stays in kilograms."""
    plan = attrs.evolve(
        _session_plan("Thu pull"), athlete=hp.Athlete(level=hp.Level.ADVANCED, unit=hp.Unit.LB)
    )
    record = plan.to_records()[0]
    assert (record["load_kg"], record["load"], record["unit"]) == (20.0, 44.09, "lb")
    # a landmine load reads as the bar plus plates, in the athlete's unit (the usual 45 lb bar: 22.5 lb on the hip)
    assert "bar + 21.59 lb" in plan.to_text()


def test_dataframe_has_one_row_per_slot() -> None:
    """to_dataframe gives the records as a DataFrame with the documented columns."""
    pytest.importorskip("pandas")
    plan = _session_plan("Thu pull")
    frame = plan.to_dataframe()
    assert list(frame.columns) == list(RECORD_FIELDS)
    assert len(frame) == len(plan.slots)


def test_missing_extra_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without pandas, to_dataframe raises MissingExtra telling which extra to install."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(hp.MissingExtra, match=r"hipplan\[pandas\]"):
        _session_plan("Thu pull").to_dataframe()


# ---------------------------------------------------------------- every view at once


@given(plans())
def test_views_agree_with_slots(plan: Plan) -> None:
    """Text, Markdown, HTML, the notebook table, records and the explanation all agree with Plan.slots."""
    check_text_rows(plan)
    check_deload_marks(plan)
    check_explain(plan)
    check_markdown(plan)
    check_html_rows(plan)
    check_notebook_table(plan)
    check_records(plan)
    check_sheet_columns(plan)


# ---------------------------------------------------------------- the sheet a coach writes


def _expected_dose(slot: Slot) -> dict[str, str]:
    """Tempo (up-hold-down), rest and RIR as a coach reads them, worked out from the dose alone."""
    dose = slot.dose
    return {
        "Tempo": f"1-{dose.pause_s:g}-{dose.lower_s:g}",
        "Rest": f"{dose.rest_s} s",
        "RIR": "-" if dose.rir is None else str(dose.rir),
        "Min": str(max(1, -int(-slot.minutes // 1))),
    }


def _column(rows: list[list[str]], name: str) -> list[str]:
    index = c.COLUMNS.index(name)
    return [row[index] for row in rows]


def check_sheet_columns(plan: Plan) -> None:
    """Every table view shows each slot's tempo, rest, RIR and minutes, and the date when the plan has a start;
    every view says what each deload slot makes lighter; the legend is said once."""
    unit = plan.athlete.unit
    text = plan_text(plan)
    markdown = plan_markdown(plan)
    html_rows = [cells[:-1] for _week, cells in _parse(plan_html(plan)).rows]
    notebook = [cells[-len(c.COLUMNS) :] for _week, cells in _parse(plan_table_html(plan)).rows]
    text_rows = [re.split(r"\s{2,}", row.strip()) for week in _text_rows(text).values() for row in week]
    md_rows = [row for week in _md_rows(markdown).values() for row in week]
    records = plan_records(plan)
    for name in ("Tempo", "Rest", "RIR", "Min"):
        expected = [_expected_dose(slot)[name] for slot in plan.slots]
        for rows in (html_rows, notebook, md_rows):
            assert _column(rows, name) == expected, name
        # a text row's cells are split on runs of spaces: count from the end, where the dose columns are
        assert [row[c.COLUMNS.index(name) - len(c.COLUMNS)] for row in text_rows] == expected, name
    for record, slot in zip(records, plan.slots, strict=True):
        assert (record["tempo"], record["rest_s"], record["rir"]) == (
            _expected_dose(slot)["Tempo"],
            slot.dose.rest_s,
            slot.dose.rir,
        )
        assert record["minutes"] == slot.minutes
        assert record["date"] == plan.date_of(slot)
        assert record["lighter"] == c.lighter_text(slot, unit, plan.athlete.load_kit)
        assert bool(record["lighter"]) == slot.deload
    for slot in plan.slots:
        date = plan.date_of(slot)
        if date is not None:
            day = f"{c.WEEKDAYS[slot.weekday][:3]} {date.day} {date.strftime('%b')}"
            assert _column([*html_rows], "Day").count(day) >= 1
        if slot.deload:
            lighter = c.lighter_text(slot, unit, plan.athlete.load_kit)
            assert lighter in " ".join(text.split())
            assert md_escape(lighter) in markdown
            assert html.escape(lighter) in plan_html(plan)
    assert " ".join(text.split()).count("Tempo is up-hold-down") == 1
    assert markdown.count("Tempo is up-hold-down") == 1


@given(plans())
def test_calendar_events_carry_the_whole_dose(plan: Plan) -> None:
    """Each event's description gives the slot's sets x reps, load, tempo, rest, RIR and minutes, and what a
    deload slot makes lighter."""
    icalendar = pytest.importorskip("icalendar")
    unit = plan.athlete.unit
    cal = icalendar.Calendar.from_ical(plan.to_ical(dt.date(2027, 1, 4)))
    events = [e for e in cal.walk() if e.name == "VEVENT"]
    for event, slot in zip(events, plan.slots, strict=True):
        description = str(event["description"])
        dose = _expected_dose(slot)
        assert c.sets_reps(slot) in description
        assert f"tempo {dose['Tempo']} " in description
        assert f"rest {dose['Rest']} between sets" in description
        assert f"about {dose['Min']} min" in description
        if slot.dose.rir is not None:
            assert f"RIR {slot.dose.rir} " in description
        load = show_load(slot.dose.load_kg, unit, variation=slot.variation, kit=plan.athlete.load_kit)
        assert f"load {load if load != '-' else 'bodyweight'}" in description
        if slot.deload:
            assert c.lighter_text(slot, unit, plan.athlete.load_kit) in description


def test_a_tempo_step_shows_the_longer_set() -> None:
    """3 x 15 with no hold followed by 3 x 8 with a 3 s hold reads as a slower, longer set, not a 47 % cut."""
    base = _session_plan("Thu pull")
    easy, slow = hp.Dose(sets=3, reps=15, rest_s=60), hp.Dose(sets=3, reps=8, pause_s=3, rest_s=60)
    plan = attrs.evolve(
        base,
        slots=[attrs.evolve(base.slots[0], dose=easy), attrs.evolve(base.slots[1], dose=slow, deload=False)],
        deload_weeks=(),
    )
    rows = [re.split(r"\s{2,}", row.strip()) for week in _text_rows(plan.to_text()).values() for row in week]
    tempo = c.COLUMNS.index("Tempo") - len(c.COLUMNS)
    assert [row[tempo] for row in rows] == ["1-0-2", "1-3-2"]
    assert 15 * easy.seconds_per_rep < 8 * slow.seconds_per_rep  # the set did get longer


def test_a_deload_says_what_is_lighter() -> None:
    """A deload slot with the dose to come back to names each thing that is lighter."""
    plan = _session_plan("Thu pull")
    deload = attrs.evolve(
        plan.slots[1],
        dose=hp.Dose(sets=2, reps=10, load_kg=10, pause_s=1, rir=4),
        resume=hp.Dose(sets=3, reps=12, load_kg=20, pause_s=1, rir=2),
    )
    text = c.lighter_text(deload, hp.Unit.KG)
    assert text == (
        "2 sets instead of 3, 10 reps instead of 12, load 10 kg instead of 20 kg, RIR 4 instead of 2 (more reps"
        " in reserve)"
    )
    assert c.lighter_text(plan.slots[0], hp.Unit.KG) == ""


def test_a_deload_to_one_set_says_set() -> None:
    """One set (or one rep) is singular: "1 set instead of 2", never "1 sets"."""
    plan = _session_plan("Thu pull")
    deload = attrs.evolve(
        plan.slots[1], dose=hp.Dose(sets=1, reps=1, rir=4), resume=hp.Dose(sets=2, reps=2, rir=2)
    )
    text = c.lighter_text(deload, hp.Unit.KG)
    assert text.startswith("1 set instead of 2, 1 rep instead of 2, ")


def test_the_example_sheet_shows_dates_and_the_legend() -> None:
    """The built-in example, planned with its start date, shows each week's dates and each session's day."""
    from hipplan.example import example_request

    plan = example_request(weeks=2).plan()
    text = plan.to_text()
    assert "Week 1 (4-10 Jan 2027)" in text
    assert "  Mon 4 Jan  Mon squat" in text
    assert "Tempo is up-hold-down in seconds" in text
    assert '<span class="dates">4-10 Jan 2027</span>' in plan.to_html()


def test_slot_minutes_is_what_the_time_budget_counts() -> None:
    """Slot.minutes is the constraints' slot_minutes with the slot's exercise and variation."""
    from hipplan.constraints import slot_minutes

    slot = _session_plan("Thu pull").slots[0]
    assert slot.minutes == slot_minutes(slot.dose, unilateral=True, switch_sides=True)


# ---------------------------------------------------------------- iCalendar


@given(plans(), st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_ical_has_one_event_per_slot_on_its_date(plan: Plan, start: dt.date) -> None:
    """Parsed back, the calendar has one event per slot, on the slot's date, with a unique UID."""
    icalendar = pytest.importorskip("icalendar")
    text = plan.to_ical(start)
    cal = icalendar.Calendar.from_ical(text)
    events = [e for e in cal.walk() if e.name == "VEVENT"]
    assert len(events) == len(plan.slots)
    monday = start - dt.timedelta(days=start.weekday())
    for event, slot in zip(events, plan.slots, strict=True):
        assert event.decoded("dtstart") == monday + dt.timedelta(days=7 * (slot.week - 1) + slot.weekday)
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == len(uids)


def test_ical_is_the_same_on_every_run() -> None:
    """The same plan and start give the same bytes: UIDs and DTSTAMP do not come from the clock."""
    icalendar = pytest.importorskip("icalendar")
    plan = _session_plan("Thu pull")
    start = dt.date(2027, 1, 6)
    first, second = plan.to_ical(start), plan.to_ical(start)
    assert first == second
    events = [e for e in icalendar.Calendar.from_ical(first).walk() if e.name == "VEVENT"]
    assert [e.decoded("dtstart") for e in events] == [dt.date(2027, 1, 6), dt.date(2027, 1, 13)]


def test_ical_uids_survive_a_changed_dose() -> None:
    """A re-planned slot (new dose, same week and session) keeps its UID, so re-importing updates it."""
    icalendar = pytest.importorskip("icalendar")
    plan = _session_plan("Thu pull")
    harder = attrs.evolve(plan, slots=[attrs.evolve(s, dose=hp.Dose(sets=4, reps=12)) for s in plan.slots])

    def uids(p: Plan) -> list[str]:
        cal = icalendar.Calendar.from_ical(p.to_ical(dt.date(2027, 1, 4)))
        return [str(e["uid"]) for e in cal.walk() if e.name == "VEVENT"]

    assert uids(plan) == uids(harder)


# ---------------------------------------------------------------- plot


def test_plot_draws_workload_by_role() -> None:
    """The plot has one bar series per role used and shades the deload week."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    ax = _session_plan("Thu pull").plot()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert sorted(labels) == ["deload", "finisher"]
    assert len(ax.patches) >= 2
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_repr_is_short() -> None:
    """repr(plan) is one short line saying how many weeks and slots."""
    text = repr(_session_plan("Thu pull"))
    assert "\n" not in text
    assert text.startswith("<Plan 2 weeks")


def test_text_views_keep_user_labels_on_one_line() -> None:
    """A line break in a week's label or a session's name cannot inject rows into to_text() or explain()
    (issue 14, 13)."""
    week = [
        hp.Session(name="A\nWeek 9\n  Mon  fake", weekday=0, focus="lower", equipment={hp.Equipment.BENCH})
    ]
    override = hp.WeekOverride(week=2, sessions=week, label="trip\nWeek 7\n  Fake row")
    plan = hp.plan(hp.Athlete(level="advanced"), week, 2, overrides=[override])
    for text in (plan.to_text(), plan.explain()):
        lines = text.splitlines()
        assert "Week 2 (trip Week 7 Fake row)" in lines
        assert not any(line.strip() in ("Week 7", "Week 9", "Fake row") for line in lines)
