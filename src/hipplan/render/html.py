"""HTML views: a self-contained printable page, a table for notebooks, and the exercise card.

No scripts, no fonts or style sheets from anywhere else: the CSS is inline, and every user string goes through
:func:`html.escape`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from ..exercises import Exercise, Variation
from ..plan import Plan
from . import _common as c

__all__ = ["exercise_card_html", "plan_html", "plan_table_html"]


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _ul(items: Iterable[str], tag: str = "ul") -> str:
    inner = "".join(f"<li>{item}</li>" for item in items)
    return f"<{tag}>{inner}</{tag}>" if inner else ""


_CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #c9ccd1; --soft: #f3f4f6; --deload: #eef6ee; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: var(--ink); margin: 2rem auto; max-width: 62rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .4rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
.lede { color: var(--muted); margin: 0; padding-left: 1.1rem; }
.dates { font-weight: normal; color: var(--muted); font-size: .95rem; margin-left: .4rem; }
p.lighter { margin: .3rem 0 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: .25rem .35rem; text-align: left; vertical-align: top;
         overflow-wrap: break-word; }
section.week th { white-space: nowrap; }
section.week table { font-size: .92em; }
th { background: var(--soft); font-weight: 600; }
td.num { white-space: nowrap; }
td.done { width: 18%; height: 2.2rem; }
section.week { break-inside: avoid; page-break-inside: avoid; }
section.deload h2::after { content: " \\2193"; }
section.deload table { background: var(--deload); }
.tag { display: inline-block; border: 1px solid var(--line); border-radius: .6rem; padding: 0 .45rem;
       font-size: .8rem; font-weight: normal; color: var(--muted); margin-left: .4rem; }
.muted { color: var(--muted); }
.card { border: 1px solid var(--line); border-radius: .4rem; padding: .4rem 1rem .8rem; margin: .8rem 0;
        break-inside: avoid; page-break-inside: avoid; }
footer { margin-top: 2rem; color: var(--muted); font-size: .8rem; }
@page { size: A4; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  section.howto { break-before: page; page-break-before: always; }
}
""".strip()


def _week_sections(plan: Plan) -> list[str]:
    unit = plan.athlete.unit
    parts: list[str] = []
    header = "".join(f"<th>{_e(h)}</th>" for h in c.COLUMNS) + "<th>Done</th>"
    for week in c.weeks(plan):
        tags = ""
        if week.label:
            tags += f'<span class="tag">{_e(week.label)}</span>'
        if week.deload:
            tags += '<span class="tag">deload: a lighter week</span>'
        classes = "week deload" if week.deload else "week"
        dates = f' <span class="dates">{_e(week.dates)}</span>' if week.dates else ""
        body = [
            f'<section class="{classes}" id="week-{week.number}">',
            f"<h2>Week {week.number}{dates}{tags}</h2>",
        ]
        if week.slots:
            rows = []
            for slot in week.slots:
                cells = c.slot_cells(slot, unit, plan.start, plan.athlete.load_kit)
                tds = "".join(
                    f'<td class="num">{_e(cell)}</td>'
                    if i >= c.DOSE_COLUMNS or i == 0
                    else f"<td>{_e(cell)}</td>"
                    for i, cell in enumerate(cells)
                )
                rows.append(f'<tr data-week="{week.number}">{tds}<td class="done"></td></tr>')
            body.append(f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
        elif week.sessions == 0:
            body.append('<p class="muted">No sessions this week.</p>')
        else:
            body.append('<p class="muted">No single-leg hip thrusts this week.</p>')
        for where, text in c.lighter_lines(week, unit, plan.athlete.load_kit):
            body.append(f'<p class="lighter">Lighter this week in {_e(where)}: {_e(text)}.</p>')
        if week.unplaced and week.slots:
            names = ", ".join(_e(u.session) for u in week.unplaced)
            body.append(f'<p class="muted">No slot: {names}.</p>')
        body.append("</section>")
        parts.append("".join(body))
    return parts


def _variation_card(ex: Exercise, var: Variation) -> str:
    return (
        f'<div class="card"><h3>{_e(ex.name)}, {_e(var.name.lower())}</h3>'
        f"{_ul(_e(line) for line in c.variation_lines(var))}</div>"
    )


def _how_to(plan: Plan) -> str:
    parts: list[str] = []
    for ex in c.used_exercises(plan):
        mistakes = (
            "<h4>Mistakes to avoid, and the fix</h4>"
            "<table><thead><tr><th>Mistake</th><th>Fix</th></tr></thead>"
            + "".join(f"<tr><td>{_e(m.fault)}</td><td>{_e(m.fix)}</td></tr>" for m in ex.mistakes)
            + "</table>"
            if ex.mistakes
            else ""
        )
        parts.append(
            f'<div class="card"><h3>{_e(ex.name)}</h3>'
            + (f"<h4>Set-up</h4>{_ul(_e(s) for s in ex.setup)}" if ex.setup else "")
            + (f"<h4>Cues</h4>{_ul(_e(cue.text) for cue in ex.cues)}" if ex.cues else "")
            + mistakes
            + "</div>"
        )
    parts.extend(_variation_card(ex, var) for ex, var in c.used_variations(plan))
    instructions = c.session_instructions(plan)
    if instructions:
        parts.append(
            "<h3>In the session</h3>"
            + _ul(f"<strong>{_e(where)}</strong>: {_e(line)}" for where, line in instructions)
        )
    if not parts:
        return ""
    return '<section class="howto"><h2>How to do it</h2>' + "".join(parts) + "</section>"


def plan_html(plan: Plan) -> str:
    """The plan as one self-contained, printable HTML page, with a free column to log what was done."""
    title = c.plan_title(plan)
    unit = plan.athlete.unit
    notes = (
        "<section><h2>Notes</h2>" + _ul(_e(n.text) for n in plan.notes) + "</section>" if plan.notes else ""
    )
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="hipplan">',
        f"<title>{_e(title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        f"<header><h1>{_e(title)}</h1>",
        '<ul class="lede">' + "".join(f"<li>{_e(line)}</li>" for line in c.legend(unit, plan)),
        "<li>Write what you did in the Done column: reps per side, load, notes.</li></ul></header>",
        "<main>",
        *_week_sections(plan),
        _how_to(plan),
        notes,
        "</main>",
        "<footer>Planned with hipplan.</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(line for line in lines if line) + "\n"


_CELL = 'style="border:1px solid #c9ccd1;padding:2px 6px;text-align:left;vertical-align:top"'


def plan_table_html(plan: Plan) -> str:
    """The plan as one compact HTML table (what a notebook shows for a Plan), deload weeks shaded."""
    unit = plan.athlete.unit
    head = "".join(f"<th {_CELL}>{_e(h)}</th>" for h in ("Week", *c.COLUMNS))
    rows: list[str] = []
    for week in c.weeks(plan):
        shade = ' style="background:#eef6ee"' if week.deload else ""
        mark = _e(week.title.removeprefix(f"Week {week.number}").strip(" ()"))
        week_cell = f"{week.number}" + (f"<br><small>{mark}</small>" if mark else "")
        for where, text in c.lighter_lines(week, unit, plan.athlete.load_kit):
            week_cell += f"<br><small>lighter in {_e(where)}: {_e(text)}</small>"
        if not week.slots:
            text = "no sessions" if week.sessions == 0 else "no slot this week"
            rows.append(
                f"<tr{shade}><td {_CELL}>{week_cell}</td>"
                f'<td {_CELL} colspan="{len(c.COLUMNS)}"><em>{text}</em></td></tr>'
            )
            continue
        for i, slot in enumerate(week.slots):
            first = f'<td {_CELL} rowspan="{len(week.slots)}">{week_cell}</td>' if i == 0 else ""
            tds = "".join(
                f"<td {_CELL}>{_e(cell)}</td>"
                for cell in c.slot_cells(slot, unit, plan.start, plan.athlete.load_kit)
            )
            rows.append(f'<tr{shade} data-week="{week.number}">{first}{tds}</tr>')
    caption = f'<caption style="text-align:left;font-weight:600">{_e(c.plan_title(plan))}</caption>'
    return (
        f'<table class="hipplan-plan" style="border-collapse:collapse">{caption}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _variation_rows(variations: Sequence[Variation]) -> str:
    rows = []
    for var in variations:
        needs = ", ".join(sorted(e.value.replace("_", " ") for e in var.needs)) or "a support only"
        cap = f"up to {var.load_cap_bw:.0%} of bodyweight" if var.is_loaded else "-"
        notes = " ".join(c.variation_lines(var))
        rows.append(
            f"<tr><td {_CELL}>{_e(var.name)}</td><td {_CELL}>{_e(needs)}</td>"
            f"<td {_CELL}>{_e(cap)}</td><td {_CELL}>{_e(notes)}</td></tr>"
        )
    return "".join(rows)


def exercise_card_html(ex: Exercise) -> str:
    """The exercise card as an HTML fragment (what a notebook shows for an Exercise)."""
    parts = [f'<div class="hipplan-card"><h3>{_e(ex.name)}</h3>']
    if ex.summary:
        parts.append(f"<p>{_e(ex.summary)}</p>")
    side = "one leg at a time, sets and reps per side" if ex.unilateral else "both legs together"
    support = "needs a bench, box or couch" if ex.needs_support else "needs only floor space"
    parts.append(f"<p><em>{_e(side)}; {_e(support)}.</em></p>")
    if ex.setup:
        parts.append(f"<h4>Set-up</h4>{_ul(_e(s) for s in ex.setup)}")
    if ex.steps:
        parts.append(f"<h4>Steps</h4>{_ul((_e(s) for s in ex.steps), 'ol')}")
    if ex.cues:
        cues = (f"{_e(cue.text)}" + (f" <em>({_e(cue.why)})</em>" if cue.why else "") for cue in ex.cues)
        parts.append(f"<h4>Cues</h4>{_ul(cues)}")
    if ex.mistakes:
        rows = "".join(
            f"<tr><td {_CELL}>{_e(m.fault)}</td><td {_CELL}>{_e(m.fix)}</td></tr>" for m in ex.mistakes
        )
        parts.append(
            "<h4>Mistakes and their fixes</h4>"
            f'<table style="border-collapse:collapse"><tr><th {_CELL}>Mistake</th><th {_CELL}>Fix</th></tr>'
            f"{rows}</table>"
        )
    parts.append(
        '<h4>Variations</h4><table style="border-collapse:collapse"><tr>'
        + "".join(f"<th {_CELL}>{h}</th>" for h in ("Variation", "Needs", "Load", "Notes"))
        + f"</tr>{_variation_rows(ex.allowed_variations)}</table>"
    )
    forbidden = [var for var in ex.variations if var.forbidden]
    if forbidden:
        parts.append(
            "<h4>Left out on purpose</h4>" + _ul(_e(" ".join([f"{v.name}.", *v.notes])) for v in forbidden)
        )
    if ex.benefits:
        parts.append(f"<h4>Why it is worth doing</h4>{_ul(_e(b) for b in ex.benefits)}")
    parts.append("</div>")
    return "".join(parts)
