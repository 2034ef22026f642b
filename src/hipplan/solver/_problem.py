"""The problem model: variables with finite domains, hard constraints in named groups, weighted soft costs;
and :func:`evaluate`, the cost of one complete assignment."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from typing import Any

import attrs

_INF = math.inf


@attrs.frozen(kw_only=True, eq=False)
class Constraint:
    """One hard or soft constraint as posted: its scope, its function and how it is named."""

    scope: tuple[Hashable, ...]
    function: Callable[..., Any]
    """A predicate (hard) or a cost (soft), called with the scope's values as positional arguments."""
    hard: bool
    group: str
    weight: float = 1.0
    label: str = ""
    key: Hashable | None = None
    """What the constraint does, independent of the variables it binds; ``None`` shares nothing."""
    symmetric: bool = False
    """Whether the function's result depends only on the values its scope holds, not on which variable holds
    which: any reordering of its arguments gives the same result."""


_Posted = tuple[tuple[int, ...], Callable[..., Any], bool, str, float, str, Hashable | None]
"""A constraint as posted: scope (variable indices), function, hard, group, weight, label, key."""


@attrs.define(slots=True)
class _Columns:
    """The constraints field by field, in the order posted; ``size`` says how many were posted then."""

    scopes: list[tuple[int, ...]]
    functions: list[Callable[..., Any]]
    hards: list[bool]
    groups: list[str]
    weights: list[float]
    labels: list[str]
    keys: list[Hashable | None]
    size: int


class _LiveView(Mapping[Hashable, Any]):
    """A read-only view of one of a problem's per-variable tables, brought up to date whenever it is read (the
    tables are filled lazily, so that declaring a variable stays cheap)."""

    __slots__ = ("_data", "_problem")

    def __init__(self, problem: Problem, data: dict[Hashable, Any]) -> None:
        self._problem = problem
        self._data = data

    def __getitem__(self, key: Hashable) -> Any:
        self._problem._fill_views()
        return self._data[key]

    def __iter__(self) -> Iterator[Hashable]:
        self._problem._fill_views()
        return iter(self._data)

    def __len__(self) -> int:
        self._problem._fill_views()
        return len(self._data)

    def __repr__(self) -> str:
        self._problem._fill_views()
        return f"{type(self).__name__}({self._data!r})"


class NoSolution(Exception):
    """No assignment satisfies every hard constraint; ``nodes`` says how much was explored to prove it."""

    def __init__(self, message: str, nodes: int = 0) -> None:
        super().__init__(message)
        self.nodes = nodes


@attrs.frozen(kw_only=True, hash=False)
class Solution:
    """An optimal assignment, its total soft cost (sum of weight x cost) and the steps spent finding it."""

    assignment: Mapping[Hashable, Hashable]
    cost: float
    nodes: int


class Problem:
    """Variables with finite domains, hard constraints in named groups and weighted soft costs."""

    def __init__(self) -> None:
        self._names: list[Hashable] = []
        self._index: dict[Hashable, int] = {}
        self._domains: list[tuple[Hashable, ...]] = []
        self._domain_ids: list[int] = []
        self._interned_domains: dict[tuple[Hashable, ...], int] = {}
        self._stages: list[int] = []
        # one record per constraint, cheap to post; the solver reads them as columns, built when first needed
        self._posted: list[_Posted] = []
        self._symmetric: set[int] = set()
        """The constraints (by index) declared symmetric."""
        self._columns: _Columns | None = None
        self._constraints: tuple[Constraint, ...] = ()
        # the read-only views, filled in when asked for
        self._domain_view: dict[Hashable, tuple[Hashable, ...]] = {}
        self._stage_view: dict[Hashable, int] = {}
        self._cache: Any = None
        """The solver's work on this problem (see ``_prepare.cache_of``), dropped on any change."""

    def __repr__(self) -> str:
        hard = sum(self._hards)
        return (
            f"<Problem: {len(self._names)} variables, {hard} hard and"
            f" {len(self._hards) - hard} soft constraints>"
        )

    # building

    def variable(self, name: Hashable, domain: Sequence[Hashable], *, stage: int = 0) -> None:
        """Declare a variable with its values in preference order (earlier values win ties)."""
        index = self._index
        count = len(self._names)
        if index.setdefault(name, count) != count:
            raise ValueError(f"variable {name!r} is declared twice")
        try:
            if stage.__class__ is not int and (isinstance(stage, bool) or not isinstance(stage, int)):
                raise TypeError(f"'stage' of variable {name!r} must be an int (got {stage!r})")
            values = tuple(domain)
            interned = self._interned_domains
            found = interned.get(values)
            if found is None:
                # a domain seen before was checked then
                if len(set(values)) != len(values):
                    seen: set[Hashable] = set()
                    for value in values:
                        if value in seen:
                            raise ValueError(f"domain of variable {name!r} lists {value!r} twice")
                        seen.add(value)
                found = interned[values] = len(interned)
        except BaseException:
            del index[name]
            raise
        self._names.append(name)
        self._domains.append(values)
        self._domain_ids.append(found)
        self._stages.append(stage)
        self._cache = None

    def require(
        self,
        scope: Sequence[Hashable],
        predicate: Callable[..., bool],
        *,
        group: str,
        label: str = "",
        key: Hashable | None = None,
        symmetric: bool = False,
    ) -> None:
        """Add a hard constraint: ``predicate(*values of scope)`` must be true.

        ``key`` says what the predicate does, whatever variables it binds: constraints with equal keys (and
        equal hardness and weight) must give equal results for equal values, and the solver shares its work
        between them. ``symmetric=True`` declares that the result depends only on the values the scope holds,
        counted with their multiplicity, not on which variable holds which (a count, a sum, a set of values):
        the solver may then call the predicate with the values in any order and, while it searches, ask
        whether any completion of a partial assignment can still satisfy it.
        """
        self._add(
            scope, predicate, hard=True, group=group, weight=1.0, label=label, key=key, symmetric=symmetric
        )

    def prefer(
        self,
        scope: Sequence[Hashable],
        cost: Callable[..., float],
        *,
        weight: float = 1.0,
        group: str = "soft",
        label: str = "",
        key: Hashable | None = None,
        symmetric: bool = False,
    ) -> None:
        """Add a soft constraint: the solver minimises the sum of ``weight * cost(*values of scope)``.

        ``key`` and ``symmetric`` mean what they mean for :meth:`require`.
        """
        if weight.__class__ is not float and (
            isinstance(weight, bool) or not isinstance(weight, int | float)
        ):
            raise ValueError(f"'weight' must be a finite number (got {weight!r})")
        if not math.isfinite(weight):
            raise ValueError(f"'weight' must be a finite number (got {weight!r})")
        self._add(
            scope,
            cost,
            hard=False,
            group=group,
            weight=float(weight),
            label=label,
            key=key,
            symmetric=symmetric,
        )

    def _add(
        self,
        scope: Sequence[Hashable],
        function: Callable[..., Any],
        *,
        hard: bool,
        group: str,
        weight: float,
        label: str,
        key: Hashable | None,
        symmetric: bool = False,
    ) -> None:
        if not callable(function):
            raise TypeError(f"the constraint's function must be callable (got {function!r})")
        if group.__class__ is not str and not isinstance(group, str):
            raise TypeError(f"'group' must be a string (got {group!r})")
        if scope.__class__ is not tuple and scope.__class__ is not list:
            scope = tuple(scope)
        index = self._index
        try:
            size = len(scope)
            if size == 2:
                indices: tuple[int, ...] = (index[scope[0]], index[scope[1]])
            elif size == 1:
                indices = (index[scope[0]],)
            elif size:
                indices = operator.itemgetter(*scope)(index)
            else:
                indices = ()
        except (KeyError, TypeError):
            missing = [n for n in scope if not isinstance(n, Hashable) or n not in index]
            raise ValueError(
                f"constraint scope names undeclared variable(s): {', '.join(map(repr, missing))}"
            ) from None
        if key is not None:
            hash(key)
        if symmetric:
            self._symmetric.add(len(self._posted))
        self._posted.append((indices, function, hard, group, weight, label, key))
        self._cache = None

    # the constraints as columns (one list per field, in the order posted)

    def _cols(self) -> _Columns:
        cols = self._columns
        if cols is None or cols.size != len(self._posted):
            posted = self._posted
            if posted:
                scopes, functions, hards, groups, weights, labels, keys = map(list, zip(*posted, strict=True))
                cols = _Columns(scopes, functions, hards, groups, weights, labels, keys, len(posted))
            else:
                cols = _Columns([], [], [], [], [], [], [], 0)
            self._columns = cols
        return cols

    @property
    def _scopes(self) -> list[tuple[int, ...]]:
        return self._cols().scopes

    @property
    def _functions(self) -> list[Callable[..., Any]]:
        return self._cols().functions

    @property
    def _hards(self) -> list[bool]:
        return self._cols().hards

    @property
    def _groups(self) -> list[str]:
        return self._cols().groups

    @property
    def _weights(self) -> list[float]:
        return self._cols().weights

    @property
    def _keys(self) -> list[Hashable | None]:
        return self._cols().keys

    # read-only views

    @property
    def variables(self) -> tuple[Hashable, ...]:
        """The variable names in declaration order."""
        return tuple(self._names)

    @property
    def domains(self) -> Mapping[Hashable, tuple[Hashable, ...]]:
        """Each variable's domain, as declared (a live read-only view)."""
        return _LiveView(self, self._domain_view)

    @property
    def stages(self) -> Mapping[Hashable, int]:
        """Each variable's stage (a live read-only view)."""
        return _LiveView(self, self._stage_view)

    def _fill_views(self) -> None:
        done = len(self._domain_view)
        if done < len(self._names):
            names = self._names[done:]
            self._domain_view.update(zip(names, self._domains[done:], strict=True))
            self._stage_view.update(zip(names, self._stages[done:], strict=True))

    @property
    def constraints(self) -> tuple[Constraint, ...]:
        """Every constraint, hard and soft, in the order posted."""
        if len(self._constraints) != len(self._posted):
            names = self._names
            self._constraints = tuple(
                Constraint(
                    scope=tuple(names[i] for i in scope),
                    function=function,
                    hard=hard,
                    group=group,
                    weight=weight,
                    label=label,
                    key=key,
                    symmetric=ci in self._symmetric,
                )
                for ci, (scope, function, hard, group, weight, label, key) in enumerate(self._posted)
            )
        return self._constraints

    @property
    def hard(self) -> tuple[Constraint, ...]:
        """The hard constraints in the order posted."""
        return tuple(c for c in self.constraints if c.hard)

    @property
    def soft(self) -> tuple[Constraint, ...]:
        """The soft constraints in the order posted."""
        return tuple(c for c in self.constraints if not c.hard)

    @property
    def groups(self) -> tuple[str, ...]:
        """The groups of the hard constraints, sorted."""
        return tuple(sorted({g for g, hard in zip(self._groups, self._hards, strict=True) if hard}))


def evaluate(problem: Problem, assignment: Mapping[Hashable, Hashable]) -> float | None:
    """The cost of a complete assignment under ``problem``: None when a value is outside its domain, a variable
    has none, or a hard constraint is broken."""
    values: list[Hashable] = []
    for name, domain in zip(problem._names, problem._domains, strict=True):
        if name not in assignment or assignment[name] not in domain:
            return None
        values.append(assignment[name])
    cost = 0.0
    for scope, fn, is_hard, weight in zip(
        problem._scopes, problem._functions, problem._hards, problem._weights, strict=True
    ):
        result = fn(*(values[i] for i in scope))
        if is_hard:
            if not result:
                return None
        else:
            cost += weight * result
    return cost
