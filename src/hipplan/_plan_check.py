"""What every plan :func:`hipplan.plan` makes holds, checked on a plan from anywhere (a stored one, an edited one).

:func:`plan_problems` lists the problems, each as ``"$.json.path: what is wrong (got ...)"``, so that a plan read
from JSON can be refused with the path of each problem (:func:`hipplan.serialization.refuse_unlike_plans`) and
:func:`hipplan.check_plan` can list them. The rules a plan's slots follow whatever the constraints (a finisher on a
lower-body or full-body day, ...) are read from :attr:`hipplan.Role.focuses` and the catalogue, as the planner
reads them.
"""

from __future__ import annotations

from typing import Any

from .catalog import CATALOG
from .errors import InvalidInput
from .exercises import Exercise, Rung, Variation
from .limits import MAX_WEEKS
from .plan import Plan, Slot
from .vocabulary import Equipment, Focus, Role

__all__ = ["plan_problems"]


def plan_problems(plan: Plan) -> list[str]:
    """What makes ``plan`` unlike any plan :func:`hipplan.plan` makes, one line per problem (none: it is fine).

    Checked: ``weeks`` from 1 to 520; the athlete's rung and working doses name catalogue rungs that may be
    prescribed; each week's sessions have unique names, and the places they name are the athlete's; week
    overrides lie inside the plan's weeks, in order, each week once; every slot lies inside the plan's weeks, in
    (week, weekday) order, in a session of its week on that session's weekday, one per session; its exercise and
    variation are in the catalogue and never the forbidden mini-band variation; its variation's kit and a support
    surface (when the exercise needs one) are at hand in its session; its role fits the session (a finisher on a
    lower-body or full-body day, a circuit in a circuit, a warm-up bodyweight and unloaded before squats or
    deadlifts on a lower-body or full-body day); a variation that loads nothing has no load; only a deload slot
    has a ``resume`` dose; its state, when it has one, is its own role's, on a catalogue rung; every session of
    every week has either a slot or an ``unplaced`` entry, not both; ``deload_weeks`` are the weeks of the deload
    slots.
    """
    return _PlanCheck(plan).problems()


class _PlanCheck:
    """One pass over a plan, part by part; each part adds its problems to ``found``."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.found: list[str] = []
        self.placed: set[tuple[int, str]] = set()
        self._by_name: dict[int, dict[str, Any]] = {}

    def bad(self, path: str, text: str) -> None:
        self.found.append(f"{path}: {text}")

    def problems(self) -> list[str]:
        weeks = self.plan.weeks
        if not 1 <= weeks <= MAX_WEEKS:
            self.bad("$.weeks", f"must be from 1 to {MAX_WEEKS}, as plan() plans them (got {weeks!r})")
            return self.found  # everything else is measured against the weeks
        self.athlete_rungs()
        self.sessions(self.plan.sessions, "$.sessions")
        self.overrides()
        self.slots()
        self.unplaced()
        self.deload_weeks()
        return self.found

    # --- the athlete and the weeks ------------------------------------------------------------------------------

    def athlete_rungs(self) -> None:
        athlete = self.plan.athlete
        rungs = [("$.athlete.rung", athlete.rung)] if athlete.rung is not None else []
        rungs += [(f"$.athlete.working[{i}]", w.rung) for i, w in enumerate(athlete.working)]
        for path, rung in rungs:
            self.rung(path, rung)

    def rung(self, path: str, rung: Rung) -> None:
        try:
            CATALOG.check_rung(rung)
        except InvalidInput as exc:
            self.bad(path, str(exc))

    def sessions(self, sessions: tuple[Any, ...], path: str) -> None:
        places = {p.name for p in self.plan.athlete.places}
        seen: set[str] = set()
        for i, session in enumerate(sessions):
            if session.name in seen:
                self.bad(f"{path}[{i}].name", f"must be unique in the week (got {session.name!r} twice)")
            seen.add(session.name)
            if session.place is not None and session.place not in places:
                known = ", ".join(sorted(places)) or "none"
                self.bad(
                    f"{path}[{i}].place",
                    f"must be one of the athlete's places ({known}) (got {session.place!r})",
                )

    def overrides(self) -> None:
        weeks = self.plan.weeks
        before = 0
        for i, override in enumerate(self.plan.week_overrides):
            path = f"$.week_overrides[{i}]"
            if override.week > weeks:
                self.bad(f"{path}.week", f"must be within the plan's {weeks} weeks (got {override.week})")
            elif override.week <= before:
                self.bad(
                    f"{path}.week",
                    f"must come after week {before}: each week once, in order (got {override.week})",
                )
            before = max(before, override.week)
            self.sessions(override.sessions, f"{path}.sessions")

    def week_sessions(self, week: int) -> dict[str, Any]:
        """The sessions of ``week`` by name (worked out once per distinct week)."""
        sessions = self.plan.sessions_for(week)
        found = self._by_name.get(id(sessions))
        if found is None:
            found = self._by_name[id(sessions)] = {s.name: s for s in sessions}
        return found

    def where(self, path: str, item: Any) -> Any:
        """The session ``item`` (a slot or an unplaced entry) names, or None after saying what is wrong."""
        weeks = self.plan.weeks
        if item.week > weeks:
            self.bad(f"{path}.week", f"must be within the plan's {weeks} weeks (got {item.week})")
            return None
        sessions = self.week_sessions(item.week)
        session = sessions.get(item.session)
        if session is None:
            known = ", ".join(repr(name) for name in sessions) or "none: a week off"
            self.bad(
                f"{path}.session",
                f"week {item.week} has no such session (its sessions: {known}) (got {item.session!r})",
            )
            return None
        if item.weekday != session.weekday:
            self.bad(
                f"{path}.weekday",
                f"must be {session.weekday}, the weekday of {item.session!r} (got {item.weekday})",
            )
        return session

    # --- the slots ------------------------------------------------------------------------------------------------

    def slots(self) -> None:
        last = (0, 0)
        for i, slot in enumerate(self.plan.slots):
            path = f"$.slots[{i}]"
            if (slot.week, slot.weekday) < last:
                self.bad(
                    path,
                    "slots must be in (week, weekday) order"
                    f" (got week {slot.week}, weekday {slot.weekday} after week {last[0]}, weekday {last[1]})",
                )
            last = max(last, (slot.week, slot.weekday))
            self.slot_state(path, slot)
            session = self.where(path, slot)
            if session is not None:
                if (slot.week, slot.session) in self.placed:
                    self.bad(
                        path, f"week {slot.week} has a slot in {slot.session!r} already: one slot per session"
                    )
                self.placed.add((slot.week, slot.session))
            found = self.slot_rung(path, slot)
            if found is not None and session is not None:
                self.slot_in_session(path, slot, session, *found)

    def slot_state(self, path: str, slot: Slot) -> None:
        if slot.resume is not None and not slot.deload:
            self.bad(f"{path}.resume", f"only a deload slot has a dose to resume (got {slot.resume})")
        if slot.state is not None:
            if slot.state.role is not slot.role:
                self.bad(
                    f"{path}.state.role",
                    f"must be the slot's own role, {slot.role.value} (got {slot.state.role.value})",
                )
            self.rung(f"{path}.state.rung", slot.state.rung)

    def slot_rung(self, path: str, slot: Slot) -> tuple[Exercise, Variation] | None:
        """The slot's exercise and variation from the catalogue (None after saying what is wrong with them)."""
        exercise = CATALOG.get(slot.exercise)
        if exercise is None:
            known = ", ".join(CATALOG)
            self.bad(
                f"{path}.exercise", f"must be an exercise of the catalogue ({known}) (got {slot.exercise!r})"
            )
            return None
        try:
            variation = exercise.variation(slot.variation)
        except InvalidInput as exc:
            self.bad(f"{path}.variation", str(exc))
            return None
        if variation.forbidden:
            self.bad(
                f"{path}.variation",
                f"is an anti-pattern that is never prescribed ({variation.name.lower()}) (got {slot.variation!r})",
            )
            return None
        if not variation.loads_hip and slot.dose.load_kg:
            self.bad(
                f"{path}.dose.load_kg",
                f"must be 0: the {slot.variation} variation adds no load (got {slot.dose})",
            )
        return exercise, variation

    def slot_in_session(
        self, path: str, slot: Slot, session: Any, exercise: Exercise, variation: Variation
    ) -> None:
        """The kit and the support the slot needs are in its session, and its role belongs there."""
        rung = Rung(exercise=slot.exercise, variation=slot.variation)
        try:
            kit = self.plan.athlete.kit(session)
        except InvalidInput:
            return  # the session's place is unknown: said above
        missing = sorted(e.value for e in variation.needs - kit)
        if missing:
            self.bad(
                f"{path}.variation",
                f"needs {', '.join(missing)}, which {slot.session!r} does not have (got {rung})",
            )
        if exercise.needs_support and not kit & Equipment.supports():
            self.bad(
                f"{path}.exercise",
                f"needs a bench, box or couch, which {slot.session!r} does not have (got {rung})",
            )
        focus = session.focus
        if slot.role is Role.FINISHER and focus not in Role.FINISHER.focuses:
            self.bad(
                f"{path}.role",
                f"a finisher closes a lower-body or full-body day; {slot.session!r} is {focus.value}",
            )
        elif slot.role is Role.CIRCUIT and focus is not Focus.CIRCUIT:
            self.bad(
                f"{path}.role",
                f"a circuit slot belongs in a circuit session; {slot.session!r} is {focus.value}",
            )
        elif slot.role is Role.WARM_UP:
            if focus not in Role.WARM_UP.focuses or not session.has_heavy_lower:
                self.bad(
                    f"{path}.role",
                    f"a warm-up goes before squats or deadlifts on a lower-body or full-body day; {slot.session!r}"
                    " has none",
                )
            if slot.variation != "bodyweight" or slot.dose.load_kg:
                self.bad(
                    f"{path}.variation", f"a warm-up stays bodyweight and unloaded (got {rung}, {slot.dose})"
                )

    # --- every session accounted for, and the deloads ------------------------------------------------------------

    def unplaced(self) -> None:
        unplaced: set[tuple[int, str]] = set()
        for i, item in enumerate(self.plan.unplaced):
            path = f"$.unplaced[{i}]"
            if self.where(path, item) is None:
                continue
            cell = (item.week, item.session)
            if cell in self.placed:
                self.bad(path, f"week {item.week}, {item.session!r} has a slot: it cannot also be unplaced")
            elif cell in unplaced:
                self.bad(path, f"week {item.week}, {item.session!r} is listed twice")
            unplaced.add(cell)
        for week in range(1, self.plan.weeks + 1):
            for name in self.week_sessions(week):
                if (week, name) not in self.placed and (week, name) not in unplaced:
                    self.bad("$.unplaced", f"week {week}, {name!r} has neither a slot nor an entry here")

    def deload_weeks(self) -> None:
        expected = sorted({slot.week for slot in self.plan.slots if slot.deload})
        if list(self.plan.deload_weeks) != expected:
            self.bad(
                "$.deload_weeks",
                f"must be the weeks of the deload slots, in order, {expected} (got {list(self.plan.deload_weeks)})",
            )
