"""The break rule ("a break every N minutes") on plain intervals: no database, no Flask.

A block is her work with no pause of a full break between its pieces; it may last at most
`every` minutes. Idle time of at least `length` minutes (between tasks or between windows)
is a break.
"""
from __future__ import annotations

Interval = tuple[int, int]  # [start, end) in minutes after midnight


def work_blocks(intervals, length: int) -> list[Interval]:
    """The blocks of a day's work: intervals joined while the pause between them is shorter than a break."""
    blocks: list[list[int]] = []
    for start, end in sorted(intervals):
        if blocks and start - blocks[-1][1] < length:
            blocks[-1][1] = max(blocks[-1][1], end)
        else:
            blocks.append([start, end])
    return [(s, e) for s, e in blocks]


def too_long_blocks(intervals, every: int, length: int) -> list[Interval]:
    """The blocks that last longer than `every` minutes without a break."""
    return [(s, e) for s, e in work_blocks(intervals, length) if e - s > every]


def split_at_breaks(windows, every: int, length: int) -> tuple[Interval, ...]:
    """`windows` cut into stretches of at most `every` minutes with a break of `length` after each.

    Work put anywhere inside the stretches keeps the rule: a block never outlasts its stretch, and
    stretches are a full break apart. Both planners plan in these stretches, so the optimiser, which
    counts minutes per window without times of day, needs nothing else to keep the rule.
    """
    out: list[Interval] = []
    stretch_start = None
    last_end = None
    for start, end in sorted(windows):
        if stretch_start is None or start - last_end >= length:
            stretch_start = start  # rested since the last stretch: a new one starts here
        while True:
            stretch_end = stretch_start + every
            piece = (max(start, stretch_start), min(end, stretch_end))
            if piece[1] > piece[0]:
                out.append(piece)
                last_end = piece[1]
            if end <= stretch_end:
                break
            stretch_start = stretch_end + length
    return tuple(out)


def required_breaks(intervals, every: int, length: int) -> list[Interval]:
    """The breaks a day's work needs, each right after its block: where the next work would
    otherwise make the block longer than `every` minutes."""
    out = []
    block_start = None
    previous_end = None
    for start, end in sorted(intervals):
        if block_start is not None and end - block_start > every:
            out.append((previous_end, previous_end + length))
            block_start = start
        elif block_start is None or start - previous_end >= length:
            block_start = start
        previous_end = end if previous_end is None else max(previous_end, end)
    return out
