"""Dominance between the live states of a Viterbi step, every state against every other, as packed ints.

A state r of a stage is outdone by a state b of its class (the same transitions open to both) when
``g[r] - g[b] > T(b, l) - T(r, l)`` for every next state l: whatever comes next, going on from b is strictly
cheaper than going on from r, so r is never the cheapest way into anything, nor tied with it. Dropping r changes
no optimum and no choice between equal ones. ``_Transition.margin(b)[r]`` bounds the right-hand side, link by
link (``most``). The general pruning tests every state against the few cheapest of its class; a stage whose
next stage reads all of it (a soft link per variable) keeps most of its thousands of states that way, although
nearly all of them are outdone by some state near them. ``prune_all`` tests them against every state, all at
once:

- every number is a multiple of ``unit`` = 2**-k (the states' costs and the bounds, else nothing is done here),
  so each is ``n * unit`` with ``n`` an int, and ``g[r] - g[b] - margin(b)[r] > 0`` holds exactly when
  ``n_r - n_b - m_b(r) >= 1`` in ints, without the tolerance that floats need;
- one field per right projection, with a top ("guard") bit: ``A`` holds ``n_r + H + O`` in field r and ``B_b``
  holds ``m_b(r) + O + n_b + 1``, where ``H`` is the guard bit's value and ``O`` lifts every bound to zero or
  more. The fields are wide enough that every field of ``A - B_b`` stays within 0 and 2H: no field borrows from
  the next, and its guard bit is set exactly when r is outdone by b;
- ``B_b`` is the sum over the soft links of each one's packed bounds from b's value class (``_Bounds``), found
  as the sum at the links' most common classes plus a difference where b reads another class (the same int).

The states are taken cheapest first as dominators, each unless an earlier one outdid it (whatever it outdoes,
that one outdoes too: being strictly worse for every next state is transitive); the scan stops once no state is
dear enough for the next one to outdo. ``margin_of`` reads ``margin(b)`` for every right projection off the same
packed sums: each sum of such numbers is exact in floats, so it is the same list the links give one by one.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from ._problem import _INF

if TYPE_CHECKING:
    from ._enumerate import _Local
    from ._stages import _States, _Transition

_SHIFT = 24
"""The finest power of two (2**-24) the numbers may be multiples of."""

_LOOK = 32
"""After how many dominators the scan looks again at which states are outdone already (to skip them)."""


def _units(values: Iterable[float]) -> int | None:
    """The finest power of two (as its exponent) the values are multiples of; None when one is not a finite
    number or needs a finer one than 2**-_SHIFT."""
    shift = 0
    # (costs take few distinct values: each is looked at once)
    for v in set(values):
        if v != v or v in (_INF, -_INF):
            return None
        den = v.as_integer_ratio()[1]
        if den > 1 << shift:
            shift = den.bit_length() - 1
            if shift > _SHIFT:
                return None
    return shift


_CODES = {array(code).itemsize: code for code in "QLIH"}
"""An ``array`` type code per field size in bytes."""


def _pack(values: list[int], size: int) -> int:
    """The int whose field j (``size`` bytes) holds ``values[j]`` (each non-negative and below 2**(8*size))."""
    fields = array(_CODES[size], values)
    if sys.byteorder != "little":
        fields.byteswap()
    return int.from_bytes(fields.tobytes(), "little")


def _unpack(packed: int, size: int, width: int) -> array[int]:
    """The ``width`` fields of ``size`` bytes of ``packed``."""
    fields = array(_CODES[size])
    fields.frombytes(packed.to_bytes(size * width, "little"))
    if sys.byteorder != "little":
        fields.byteswap()
    return fields


def bounds_shift(trans: _Transition) -> int | None:
    """The finest power of two (its exponent) the soft links' bounds of ``trans`` are multiples of; None when
    one is not a finite number or needs a finer one than 2**-_SHIFT (worked out once per transition)."""
    shift = trans.dom_shift
    if shift is not None and shift < 0:
        shift = trans.dom_shift = _units([v for _, most in trans.soft for line in most for v in line])
    return shift


class _Bounds:
    """A transition's soft bounds packed in units of 2**-shift: per link and value class, one field of ``size``
    bytes per right projection holding the link's bound from that class, lifted by the link's ``lift`` so that
    none is negative; and per state b, their sum over the links (``margin(b)`` plus ``lift``)."""

    def __init__(self, trans: _Transition, shift: int, size: int) -> None:
        self.trans = trans
        self.size = size
        self.scale = scale = float(1 << shift)
        soft = trans.soft
        self.lifts = [
            -min(0, min([int(v * scale) for line in most for v in line], default=0)) for _, most in soft
        ]
        self.lift = sum(self.lifts)
        self.top = sum([max([int(v * scale) for line in most for v in line], default=0) for _, most in soft])
        """The largest sum of the bounds (in units, not lifted)."""
        self.vectors: dict[tuple[int, int], int] = {}
        self.common: list[int] = []
        """Per link, the value class most right projections read (worked out when first needed)."""
        self.base: int | None = None

    def column(self, k: int, c: int) -> int:
        """Link ``k``'s lifted bounds from value class ``c``, packed."""
        vec = self.vectors.get((k, c))
        if vec is None:
            trans, size = self.trans, self.size
            ids, most = trans.soft[k]
            line = [int(v * self.scale) + self.lifts[k] for v in most[c]]
            if len(line) <= 256:
                # byte by byte: each byte plane of the fields is a translation of the class numbers
                keys = trans.dom_keys.get(k)
                if keys is None:
                    keys = trans.dom_keys[k] = bytes(ids)
                buf = bytearray(size * trans.size)
                pad = bytes(256 - len(line))
                for p in range(size):
                    buf[p::size] = keys.translate(bytes([(v >> (8 * p)) & 255 for v in line]) + pad)
                vec = int.from_bytes(buf, "little")
            else:
                vec = _pack([line[i] for i in ids], size)
            self.vectors[(k, c)] = vec
        return vec

    def of(self, b: int) -> int:
        """Per right projection r, ``margin(b)[r]`` plus ``lift``, in units, packed: the sum at the links'
        most common classes plus a difference where b reads another (the same int)."""
        total = self.base
        if total is None:
            self.common = [
                max(range(len(most)), key=ids.count) if ids else 0 for ids, most in self.trans.soft
            ]
            total = 0
            for k, c in enumerate(self.common):
                total += self.column(k, c)
            self.base = total
        common, vectors = self.common, self.vectors
        for k, (ids, _) in enumerate(self.trans.soft):
            c = ids[b]
            d = common[k]
            if c != d:
                delta = vectors.get((k, ~c))
                if delta is None:
                    delta = vectors[(k, ~c)] = self.column(k, c) - self.column(k, d)
                total += delta
        return total


def exact_bounds(trans: _Transition, local: _Local) -> bool:
    """Whether the soft links' bounds of ``trans`` and the local costs of ``local`` are multiples of a power of
    two no finer than 2**-_SHIFT: then the states a step reaches from ``local``'s assignments with packed link
    costs are multiples of one too, and ``prune_all`` tests every one against every other."""
    if local.dyadic is None:
        local.dyadic = _units(local.costs) is not None
    return local.dyadic and bounds_shift(trans) is not None


def _bounds(trans: _Transition, shift: int, size: int) -> _Bounds:
    found = trans.dom_bounds.get((shift, size))
    if found is None:
        found = trans.dom_bounds[(shift, size)] = _Bounds(trans, shift, size)
    return cast(_Bounds, found)


def margin_of(trans: _Transition, b: int) -> list[float] | None:
    """``trans.margin(b)``, the same numbers, from the packed bounds; None when they are not multiples of a
    power of two (work them out another way)."""
    shift = bounds_shift(trans)
    if shift is None:
        return None
    probe = _bounds(trans, shift, 8)
    need = (probe.top + 2 * probe.lift + 1).bit_length() + 1
    size = next((s for s in (2, 4, 8) if 8 * s >= need and s in _CODES), 0)
    if not size:
        return None
    bounds = _bounds(trans, shift, size)
    lift, unit = bounds.lift, 1.0 / bounds.scale
    # (each sum of the bounds is exact in floats, so the same number whatever the order of the additions)
    return [(v - lift) * unit for v in _unpack(bounds.of(b), size, trans.size)]


def prune_all(trans: _Transition, g: dict[int, float]) -> _States | None:
    """The states of ``g`` that no state of their class outdoes (see the module), in projection order, the
    cheapest always kept; None when the numbers are not multiples of one power of two (prune another way)."""
    shift = bounds_shift(trans)
    if shift is None:
        return None
    g_shift = _units(g.values())
    if g_shift is None:
        return None
    shift = max(shift, g_shift)
    scale = float(1 << shift)
    n = [0] * trans.size
    for r, x in g.items():
        n[r] = int(x * scale)
    probe = _bounds(trans, shift, 8)
    lift, tops = probe.lift, probe.top
    most_g = max(n)
    if min(n) < 0:
        return None  # (the states' costs less the least are never negative; if one were, prune another way)
    # room in a field for every value either int takes, twice over, and the guard bit: 2, 4 or 8 bytes
    need = (most_g + tops + 2 * lift + 2).bit_length() + 2
    size = next((b for b in (2, 4, 8) if 8 * b >= need and b in _CODES), 0)
    if not size:
        return None
    bits = 8 * size
    guard = 1 << (bits - 1)
    width = trans.size
    bounds = _bounds(trans, shift, size)
    ones = _pack([1] * width, size)
    a = _pack([v + guard + lift for v in n], size)
    # per class, the guard bits of its live states
    kinds = trans.kinds
    masks: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    for r in g:
        members.setdefault(kinds[r], []).append(r)
    order = sorted(g, key=g.__getitem__)
    first = order[0]
    dead = 0
    flags = b""
    """The top byte of each field of ``dead`` as last looked at (a state found outdone since is still taken as
    a dominator: what it outdoes is outdone by what outdid it too)."""
    least_bound = -lift
    highest = most_g
    shifted: dict[int, int] = {}
    """Per cost of a dominator (in units), ``a`` less that cost plus one in every field."""
    for done, b in enumerate(order):
        nb = n[b]
        if nb + least_bound + 1 > highest:
            break
        if done % _LOOK == 0 and dead:
            flags = dead.to_bytes(size * width, "little")[size - 1 :: size]
        if flags and flags[b] & 0x80:
            continue
        kind = kinds[b]
        mask = masks.get(kind)
        if mask is None:
            fields = [0] * width
            for r in members[kind]:
                fields[r] = guard
            mask = masks[kind] = _pack(fields, size)
        bound = bounds.of(b)
        # (b's own field reads guard - 1 - margin(b)[b], and margin(b)[b] = 0: b never outdoes itself)
        lowered = shifted.get(nb)
        if lowered is None:
            lowered = shifted[nb] = a - (nb + 1) * ones
        dead |= (lowered - bound) & mask
    if dead:
        dead &= ~(guard << (bits * first))
    if not dead:
        return tuple(sorted(g.items()))
    flags = dead.to_bytes(size * width, "little")[size - 1 :: size]
    return tuple(sorted([(r, x) for r, x in g.items() if not flags[r] & 0x80]))
