"""Every error hipplan raises derives from :class:`HipplanError`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["BudgetExceeded", "Conflict", "HipplanError", "Infeasible", "InvalidInput", "MissingExtra"]


class HipplanError(Exception):
    """Base class of every error hipplan raises on purpose."""


class InvalidInput(HipplanError, ValueError):
    """A value, a file or a JSON document that hipplan cannot accept.

    The message names the field (or the JSON path), the value and the rule it breaks.
    ``problems`` holds one line per problem when several were found at once.
    """

    def __init__(self, message: str, problems: Sequence[str] = (), *, field: str | None = None) -> None:
        super().__init__(message)
        self.problems: tuple[str, ...] = tuple(problems) or (message,)
        self.field = field


class Conflict:
    """One rule taking part in a conflict, in a coach's words: ``text`` says the rule, ``detail`` why it refuses
    here (empty when the rule says it all), ``sessions`` where it binds."""

    __slots__ = ("detail", "rule", "sessions", "text")

    def __init__(self, rule: str, text: str, sessions: Iterable[str] = (), detail: str = "") -> None:
        self.rule = rule
        self.text = text
        self.sessions = tuple(sessions)
        self.detail = detail

    @property
    def line(self) -> str:
        """The rule as a line of a message: its text, then its detail."""
        return f"{self.text}: {self.detail}" if self.detail else self.text

    def __repr__(self) -> str:
        return f"Conflict(rule={self.rule!r}, text={self.text!r}, sessions={self.sessions!r}, detail={self.detail!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Conflict):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[str, str, tuple[str, ...], str]:
        return (self.rule, self.text, self.sessions, self.detail)


class Infeasible(HipplanError):
    """No plan satisfies every hard rule.

    ``conflicts`` is a minimal set of rules that cannot all hold together: drop any one of them and a plan exists.
    ``ways_out`` holds concrete changes, in a coach's words, each of which lifts a part of the conflict; the
    message ends with them.
    """

    def __init__(
        self,
        message: str,
        conflicts: Sequence[Conflict] = (),
        ways_out: Sequence[str] = (),
        *,
        head: str = "",
        notes: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.conflicts: tuple[Conflict, ...] = tuple(conflicts)
        self.ways_out: tuple[str, ...] = tuple(ways_out)
        self.head = head
        """The opening sentence: which weeks no plan fits (or that none satisfies every rule)."""
        self.notes: tuple[str, ...] = tuple(notes)
        """What is not a rule's doing but explains the conflict (sessions no role belongs on)."""

    @classmethod
    def of(
        cls, head: str, conflicts: Sequence[Conflict], ways_out: Sequence[str], notes: Sequence[str] = ()
    ) -> Infeasible:
        """The error with its message written from its parts: the head, the rules (a line each, then the
        notes), the ways out."""
        lines = [f"- {conflict.line}" for conflict in conflicts] + [f"- {note}" for note in notes]
        message = "\n".join(
            [
                f"{head}. These rules cannot all hold:",
                *lines,
                "Ways out:",
                *(f"- {way}" for way in ways_out),
            ]
        )
        return cls(message, conflicts, ways_out, head=head, notes=notes)


class BudgetExceeded(HipplanError, RuntimeError):
    """A search used up its step budget before it could finish; ``explored`` says how far it got."""

    def __init__(self, message: str, explored: int = 0) -> None:
        super().__init__(message)
        self.explored = explored


class MissingExtra(HipplanError, ImportError):
    """An optional feature needs a library that is not installed; the message names the extra to install."""


def require(module: str, extra: str) -> object:
    """Import an optional library, or raise :class:`MissingExtra` naming the extra that brings it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtra(
            f"this feature needs {module!r}; install it with: pip install 'hipplan[{extra}]'"
        ) from exc
