"""Plain-text and Markdown views: the week-by-week sheet, the explanation, and the exercise card."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections.abc import Iterable, Sequence

from ..athlete import WEEKDAYS
from ..exercises import Exercise, Variation
from ..plan import Plan, Reason, Slot, Unplaced
from ..units import Kit, next_load_words
from ..vocabulary import Unit
from . import _common as c

__all__ = ["clean", "exercise_card", "explain", "md_escape", "plan_markdown", "plan_text"]

WIDTH = 100
"""Where long lines of prose wrap."""


def clean(text: str) -> str:
    """One line of text: runs of whitespace (line breaks included) become one space."""
    return " ".join(text.split())


def _wrap(text: str, indent: str = "", hanging: str | None = None) -> list[str]:
    return textwrap.wrap(
        clean(text),
        width=WIDTH,
        initial_indent=indent,
        subsequent_indent=hanging if hanging is not None else indent,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def _bullets(items: Iterable[str], indent: str = "  ") -> list[str]:
    lines: list[str] = []
    for item in items:
        lines.extend(_wrap(item, f"{indent}- ", f"{indent}  "))
    return lines


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    cells = [[clean(cell) for cell in row] for row in rows]
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(header)]

    def line(row: Sequence[str]) -> str:
        return (indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(row) for row in cells)]


# ---------------------------------------------------------------- exercise card


def _variation_summary(var: Variation) -> str:
    parts = [var.name]
    needs = ", ".join(sorted(e.value.replace("_", " ") for e in var.needs))
    optional = ", ".join(sorted(e.value.replace("_", " ") for e in var.optional))
    if needs:
        parts.append(f"(needs {needs}" + (f"; optional: {optional})" if optional else ")"))
    text = " ".join(parts) + ":"
    details = c.variation_lines(var)
    if var.is_loaded:
        details.append(
            f"Load up to {var.load_cap_bw:.0%} of bodyweight, one step at a time"
            f" ({next_load_words(var.id, var.load_step_kg)})."
        )
    return " ".join([text, *details]) if details else text[:-1]


def exercise_card(ex: Exercise) -> str:
    """The exercise card as plain text: set-up, steps, cues, mistakes with fixes, variations, benefits."""
    title = clean(ex.name)
    lines = [title, "=" * len(title)]
    if ex.summary:
        lines.extend(_wrap(ex.summary))
    works = ", ".join(ex.primary_muscles)
    if ex.secondary_muscles:
        works += f" (also {', '.join(ex.secondary_muscles)})"
    if works:
        lines.append(f"Works: {works}.")
    lines.append(
        "One leg at a time: sets and reps are per side, the same for both legs."
        if ex.unilateral
        else "Both legs together."
    )
    lines.append(
        "Needs a support for the upper back: a bench, a box or a couch."
        if ex.needs_support
        else "Needs only floor space."
    )
    if ex.setup:
        lines += ["", "Set-up", *_bullets(ex.setup)]
    if ex.steps:
        lines += ["", "Steps"]
        for i, step in enumerate(ex.steps, start=1):
            lines.extend(_wrap(step, f"  {i}. ", "     "))
    if ex.cues:
        lines += [
            "",
            "Cues",
            *_bullets(f"{cue.text} ({cue.why})" if cue.why else cue.text for cue in ex.cues),
        ]
    if ex.mistakes:
        lines += ["", "Mistakes and their fixes"]
        for m in ex.mistakes:
            lines.extend(_wrap(m.fault, "  - ", "    "))
            lines.extend(_wrap(f"Fix: {m.fix}", "    ", "      "))
    if ex.allowed_variations:
        lines += ["", "Variations", *_bullets(_variation_summary(var) for var in ex.allowed_variations)]
    forbidden = [var for var in ex.variations if var.forbidden]
    if forbidden:
        lines += ["", "Left out on purpose"]
        lines.extend(_bullets(" ".join([f"{var.name}.", *var.notes]) for var in forbidden))
    if ex.benefits:
        lines += ["", "Why it is worth doing", *_bullets(ex.benefits)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- plan sheet


def _how_to(plan: Plan) -> list[str]:
    lines: list[str] = []
    for ex in c.used_exercises(plan):
        lines += ["", clean(ex.name)]
        if ex.setup:
            lines += ["  Set-up:", *_bullets(ex.setup, "    ")]
        if ex.cues:
            lines += ["  Cues:", *_bullets((cue.text for cue in ex.cues), "    ")]
        if ex.mistakes:
            lines.append("  Mistakes to avoid, and the fix:")
            for m in ex.mistakes:
                lines.extend(_wrap(f"{m.fault} Fix: {m.fix}", "    - ", "      "))
    for ex, var in c.used_variations(plan):
        lines += ["", f"{clean(ex.name)}, {var.name.lower()}", *_bullets(c.variation_lines(var))]
    instructions = c.session_instructions(plan)
    if instructions:
        lines += ["", "In the session", *_bullets(f"{where}: {line}" for where, line in instructions)]
    return lines


def plan_text(plan: Plan) -> str:
    """The plan as a plain-text sheet: a table per week, deloads marked, then cues and mistakes once."""
    unit = plan.athlete.unit
    title = clean(c.plan_title(plan))
    lines = [title, "=" * len(title)]
    for line in c.legend(unit, plan):
        lines.extend(_wrap(line))
    for week in c.weeks(plan):
        lines += ["", clean(week.title)]
        if week.slots:
            lines.extend(
                _table(
                    c.COLUMNS, [c.slot_cells(s, unit, plan.start, plan.athlete.load_kit) for s in week.slots]
                )
            )
        elif week.sessions == 0:
            lines.append("  No sessions this week.")
        else:
            lines.append("  No single-leg hip thrusts this week.")
        for where, text in c.lighter_lines(week, unit, plan.athlete.load_kit):
            lines.extend(_wrap(f"Lighter this week in {clean(where)}: {text}.", "  ", "    "))
        if week.unplaced and week.slots:
            names = ", ".join(clean(u.session) for u in week.unplaced)
            lines.extend(_wrap(f"No slot: {names}.", "  "))
    how = _how_to(plan)
    if how:
        lines += ["", "How to do it", "------------", *how[1:]]
    if plan.notes:
        lines += ["", "Notes", "-----", *_bullets((n.text for n in plan.notes), "")]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- explanation


def _day_order(plan: Plan, week: int) -> dict[str, int]:
    return {s.name: i for i, s in enumerate(plan.sessions_for(week))}


def _describe(entry: Slot | Unplaced, unit: Unit, start: dt.date | None, kit: Kit | None = None) -> str:
    date = c.slot_date(entry, start)
    when = WEEKDAYS[entry.weekday] + (f" {date.isoformat()}" if date is not None else "")
    where = f"{clean(entry.session)} ({when})"
    if isinstance(entry, Unplaced):
        return f"{where}: no slot."
    role = c.ROLE_LABELS.get(entry.role, str(entry.role))
    return f"{where}: {role}, {c.exercise_name(entry).lower()}, {c.dose_sentence(entry, unit, kit)}"


def explain(plan: Plan) -> str:
    """Why each session got its slot or none, week by week, with the deload weeks and the plan's notes.

    A reason already given for the same session the week before is not repeated; the line says so instead.
    """
    unit = plan.athlete.unit
    lines = [f"Why this plan: {clean(c.plan_title(plan))}"]
    if plan.notes:
        lines += ["", "About the whole plan", *_bullets((n.text for n in plan.notes), "")]
    last_seen: dict[str, tuple[int, set[str]]] = {}
    for week in c.weeks(plan):
        lines += ["", clean(week.title)]
        if week.sessions == 0:
            lines.append("  No sessions this week, so nothing to place.")
            continue
        order = _day_order(plan, week.number)
        entries: list[Slot | Unplaced] = [*week.slots, *week.unplaced]
        entries.sort(key=lambda e: (e.weekday, order.get(e.session, len(order))))
        for entry in entries:
            lines.extend(_wrap(_describe(entry, unit, plan.start, plan.athlete.load_kit), "  ", "    "))
            reasons: Sequence[Reason] = entry.reasons
            texts = [clean(r.text) for r in reasons]
            previous = last_seen.get(entry.session)
            kind = "slot" if isinstance(entry, Slot) else "none"
            before: set[str] = set()
            if previous is not None and previous[0] == week.number - 1:
                before = previous[1]
            new = [t for t in dict.fromkeys(texts) if f"{kind}:{t}" not in before]
            lines.extend(_bullets(new, "    "))
            if len(new) < len(dict.fromkeys(texts)):
                lines.append(f"    - Otherwise as in week {week.number - 1}.")
            elif not texts:
                lines.append("    - No reason recorded.")
            last_seen[entry.session] = (week.number, {f"{kind}:{t}" for t in texts})
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- Markdown

_MD_SPECIAL = set("\\`*_{}[]<>#|~&")


def md_escape(text: str) -> str:
    """User text made safe in Markdown (table cells too): punctuation that means something is escaped."""
    escaped = "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in clean(text))
    # A leading "-" or "+" would start a list, and so would "1." or "1)".
    if escaped[:1] in ("-", "+"):
        return "\\" + escaped
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", escaped)


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(row) + " |"

    return [line(header), line(["---"] * len(header)), *(line([md_escape(x) for x in row]) for row in rows)]


def plan_markdown(plan: Plan) -> str:
    """The plan as Markdown: a heading and a table per week, then how to do it, then the notes."""
    unit = plan.athlete.unit
    lines = [f"# {md_escape(c.plan_title(plan))}", ""]
    lines.extend(f"- {md_escape(line)}" for line in c.legend(unit, plan))
    for week in c.weeks(plan):
        lines += ["", f"## {md_escape(week.title)}", ""]
        if week.slots:
            lines.extend(
                _md_table(
                    c.COLUMNS, [c.slot_cells(s, unit, plan.start, plan.athlete.load_kit) for s in week.slots]
                )
            )
        elif week.sessions == 0:
            lines.append("No sessions this week.")
        else:
            lines.append("No single-leg hip thrusts this week.")
        for where, text in c.lighter_lines(week, unit, plan.athlete.load_kit):
            lines += ["", f"Lighter this week in {md_escape(where)}: {md_escape(text)}."]
        if week.unplaced and week.slots:
            lines += ["", "No slot: " + ", ".join(md_escape(u.session) for u in week.unplaced) + "."]
    exercises = c.used_exercises(plan)
    if exercises:
        lines += ["", "## How to do it"]
    for ex in exercises:
        lines += ["", f"### {md_escape(ex.name)}"]
        if ex.setup:
            lines += ["", "**Set-up**", "", *(f"- {md_escape(s)}" for s in ex.setup)]
        if ex.cues:
            lines += ["", "**Cues**", "", *(f"- {md_escape(cue.text)}" for cue in ex.cues)]
        if ex.mistakes:
            lines += ["", "**Mistakes to avoid, and the fix**", ""]
            lines += [f"- {md_escape(m.fault)} *Fix:* {md_escape(m.fix)}" for m in ex.mistakes]
    for ex, var in c.used_variations(plan):
        lines += ["", f"### {md_escape(ex.name)}, {md_escape(var.name.lower())}", ""]
        lines += [f"- {md_escape(line)}" for line in c.variation_lines(var)]
    instructions = c.session_instructions(plan)
    if instructions:
        lines += ["", "## In the session", ""]
        lines += [f"- **{md_escape(where)}**: {md_escape(line)}" for where, line in instructions]
    if plan.notes:
        lines += ["", "## Notes", "", *(f"- {md_escape(n.text)}" for n in plan.notes)]
    return "\n".join(lines) + "\n"
