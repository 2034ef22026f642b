"""Packed arithmetic: the link costs of a Viterbi step added up for every way in at once, as fields of one int.

Why it is exact. When every finite link cost is a non-negative multiple of ``unit`` = 2**-k (k at most
``_PACK_SHIFT``), and so is every live state's cost, each such number is ``n * unit`` with ``n`` a small
non-negative int, and a float holds ``n * unit`` exactly as long as ``n`` stays below 2**53. A sum of such
floats is then exact in any order: each partial sum is again a multiple of ``unit`` far below 2**53, so no
addition rounds. Adding the ints ``n`` instead gives the same numbers times ``unit``, hence the same minima,
the same choices and the same ties as adding the floats one by one. Each left projection gets one field of 16 or
32 bits; a hard link's refusal counts ``inf``, more than any finite sum, and the field has room for every link
refusing at once plus the top bit that taking the least of two fields at once needs (that bit is free in both
operands, so ``(a | high) - b`` never borrows across fields, and its top bit says which is smaller). Whenever the
costs do not fit (a negative cost, a finer unit, fields that would overflow), the step is taken the general way.
"""

from __future__ import annotations

import operator
import sys
from array import array
from typing import TYPE_CHECKING

import attrs

from ._problem import _INF

if TYPE_CHECKING:
    from ._stages import _States, _Transition


_PACK_SHIFT = 24
"""The finest power of two (2**-24) the packed costs may be multiples of."""


@attrs.frozen(slots=True)
class _Packing:
    """How a transition's link costs add up exactly as ints, many at once (one field per left projection).

    When every finite link cost is a non-negative multiple of ``unit`` = 1/``scale`` (a power of two), sums of
    such costs and of the live states' costs (when they are multiples of it too) are exact in floats whatever
    the order of the additions, so adding the scaled ints gives the same numbers. A hard link's refusal
    counts ``inf``, more than any finite sum, and the fields have room for all the links refusing and for the
    top bit that finding the least of two fields at once needs.
    """

    scale: float
    unit: float
    inf: int
    """Stands for a refusal; a sum of ``inf`` or more is a refusal."""
    top: int
    """The largest finite sum of the link costs (scaled)."""
    size: int
    """Bytes per field."""
    bits: int
    code: str
    """The ``array`` type code of a field."""
    ones: int
    high: int

    @staticmethod
    def of(
        scales: list[tuple[float, int]], shift: int, size: int, most: float, width: int
    ) -> _Packing | None:
        """Links with these ``scales`` packed with a unit of 2**-shift or finer and fields of ``size`` bytes
        or more, with room for states that cost up to ``most``; None when the fields would overflow."""
        shift = max([shift, *[need for _, need in scales]])
        scale = float(1 << shift)
        top = sum([int(v * scale) for v, _ in scales])
        for bytes_ in (2, 4) if size == 2 else (4,):
            code = _CODES.get(bytes_)
            if code is None:
                continue
            bits = 8 * bytes_
            inf = (1 << (bits - 1)) // (len(scales) + 1)
            if top + most * scale < inf:
                ones = int.from_bytes((b"\x01" + bytes(bytes_ - 1)) * width, "little")
                return _Packing(
                    scale=scale,
                    unit=1.0 / scale,
                    inf=inf,
                    top=top,
                    size=bytes_,
                    bits=bits,
                    code=code,
                    ones=ones,
                    high=ones << (bits - 1),
                )
        return None

    def spread(self, keys: bytes | None, ids: list[int], column: list[int]) -> int:
        """The packed int whose field j holds ``column[ids[j]]``; ``keys`` is ``bytes(ids)`` (None when a
        class number does not fit in a byte)."""
        size = self.size
        if keys is None:
            parts = [v.to_bytes(size, "little") for v in map(column.__getitem__, ids)]
            return int.from_bytes(b"".join(parts), "little")
        # byte by byte: each byte plane of the fields is a translation of the class numbers
        buf = bytearray(size * len(ids))
        pad = bytes(256 - len(column))
        for p in range(size):
            buf[p::size] = keys.translate(bytes([(v >> (8 * p)) & 255 for v in column]) + pad)
        return int.from_bytes(buf, "little")


_CODES = {array(code).itemsize: code for code in "LIH"}

_LOOK = 64
"""How many live states a packed step takes between two looks at whether the rest can still lower a field."""

_MANY = 256
"""From how many live states on a packed step orders them and builds their rows from differences (fewer
are quicker taken as they come)."""
"""An ``array`` type code per field size in bytes."""


def packed_incoming(trans: _Transition, f: _States) -> tuple[array[int], _Packing] | None:
    """Per left projection, the least over the live states of their cost plus the link costs, in units of
    the packing's ``unit`` (``inf`` or more: a hard link refuses every way in); None when the costs do not
    pack (see ``_Packing``)."""
    if trans.scales is None:
        return None
    # the states' costs must be multiples of the unit too, and leave room below ``inf``
    finest = max([1, *[x.as_integer_ratio()[1] for _, x in f]])
    if finest > 1 << _PACK_SHIFT:
        return None
    packing = trans.packing
    most = max([x for _, x in f])
    if packing is None or finest > packing.scale or most * packing.scale >= packing.inf - packing.top:
        shift = finest.bit_length() - 1
        size = 2
        if packing is not None:
            shift = max(shift, int(packing.scale).bit_length() - 1)
            size = packing.size
        packing = trans.packing = _Packing.of(trans.scales, shift, size, most, trans.width)
        trans.rows.clear()
        trans.vectors.clear()
        if packing is None:
            return None
    scale = packing.scale
    high, ones, turn, least = packing.high, packing.ones, packing.bits - 1, None
    full = (1 << packing.bits) - 1
    rows = trans.rows
    width = packing.size * trans.width
    trans.taken = len(f)
    if len(f) <= _MANY:
        for r, x in f:
            row = rows.get(r)
            if row is None:
                row = rows[r] = packed_row(trans, r, packing)
            if x:
                row += int(x * scale) * ones
            if least is None:
                least = row
            else:
                # per field, the smaller of the two (both have the field's top bit free): the top bit of
                # (least | high) - row tells where row is smaller, spread over its field by a product
                mask = ((((least | high) - row) & high) >> turn) * full
                least ^= (least ^ row) & mask
    else:
        least = _many_incoming(trans, f, packing)
    out = array(packing.code)
    out.frombytes((least or 0).to_bytes(width, "little"))
    if sys.byteorder != "little":
        out.byteswap()
    return out, packing


def _many_incoming(trans: _Transition, f: _States, packing: _Packing) -> int | None:
    """``packed_incoming``'s fields for many live states.

    The states are taken in order of the least they can bring (their cost plus their least link costs): once
    that is no less than every field, no state left can lower one, and the fields are final (the same minima,
    as the order of a minimum does not matter); the fields are looked at every ``_LOOK`` states. Each state's
    row is built from differences (see ``packed_row``), and the states' costs, which take few values, are
    spread over the fields once per value."""
    scale = packing.scale
    high, ones, turn, least = packing.high, packing.ones, packing.bits - 1, None
    full = (1 << packing.bits) - 1
    rows = trans.rows
    lifts: dict[float, int] = {}
    bounds = list(map(operator.add, [x for _, x in f], trans.low_all([r for r, _ in f])))
    look = _LOOK
    width = packing.size * trans.width
    for done, k in enumerate(sorted(range(len(f)), key=bounds.__getitem__)):
        if done == look:
            look += _LOOK
            fields = array(packing.code)
            fields.frombytes(least.to_bytes(width, "little") if least is not None else b"")
            if sys.byteorder != "little":
                fields.byteswap()
            highest = max(fields, default=packing.inf)
            if highest < packing.inf and bounds[k] * scale >= highest:
                trans.taken = done
                break
        r, x = f[k]
        row = rows.get(r)
        if row is None:
            row = rows[r] = packed_row(trans, r, packing, True)
        if x:
            lift = lifts.get(x)
            if lift is None:
                lift = lifts[x] = int(x * scale) * ones
            row += lift
        if least is None:
            least = row
        else:
            mask = ((((least | high) - row) & high) >> turn) * full
            least ^= (least ^ row) & mask
    return least


def packed_row(trans: _Transition, r: int, packing: _Packing, many: bool = False) -> int:
    """The packed link costs from right projection ``r`` to every left projection.

    The sum over the links of their packed columns. With ``many`` (rows for many states to come), found as the
    sum with each link at its most common value class (worked out once) plus, for each link where ``r`` reads
    another class, the difference of the two columns: the same int (the fields are a positional notation, so
    sums and differences carry over exactly), with one addition per link where ``r`` is unusual rather than
    one per link."""
    if not many:
        vectors = trans.vectors
        total = 0
        for k, b in enumerate(trans.b_of):
            c = b[r]
            vec = vectors.get((k, c))
            if vec is None:
                vec = _column(trans, packing, k, c)
            total += vec
        return total
    vectors = trans.vectors
    common = trans.common
    if not common:
        common.extend([max(range(max(b, default=-1) + 1), key=b.count) if b else 0 for b in trans.b_of])
    found = vectors.get((-1, 0))
    if found is None:
        found = 0
        for k, c in enumerate(common):
            found += _column(trans, packing, k, c)
        vectors[(-1, 0)] = found
    total = found
    for k, b in enumerate(trans.b_of):
        c = b[r]
        d = common[k]
        if c != d:
            delta = vectors.get((k, ~c))
            if delta is None:
                delta = vectors[(k, ~c)] = _column(trans, packing, k, c) - _column(trans, packing, k, d)
            total += delta
    return total


def _column(trans: _Transition, packing: _Packing, k: int, c: int) -> int:
    """Link ``k``'s costs from value class ``c`` to every left projection, packed."""
    vectors = trans.vectors
    vec = vectors.get((k, c))
    if vec is None:
        ids, tables = trans.factors[k]
        scale, inf = packing.scale, packing.inf
        column = [inf if table[c] == _INF else int(table[c] * scale) for table in tables]
        keys = trans.keys.get(k, b"")
        if keys == b"":
            keys = trans.keys[k] = bytes(ids) if len(tables) <= 256 else None
        vec = vectors[(k, c)] = packing.spread(keys, ids, column)
    return vec


def _scale(rows: list[list[float]], scales: list[tuple[float, int]]) -> list[tuple[float, int]] | None:
    """``scales`` and, for one more link with these costs, its largest finite cost and the finest power of two
    they need; None when a cost is negative (or not a number) or needs a unit finer than 2**-_PACK_SHIFT."""
    values = set().union(*rows)
    values.discard(_INF)
    shift = 0
    for v in values:
        if not v >= 0.0:
            return None
        den = v.as_integer_ratio()[1]
        if den > 1 << shift:
            shift = den.bit_length() - 1
            if shift > _PACK_SHIFT:
                return None
    scales.append((max(values, default=0.0), shift))
    return scales
