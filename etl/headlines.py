"""Stage 4c: fact candidates → one headline value per metric, or none.

Takes the prose facts and the template-table cells of one report; marks the facts that state
the report's headline values (``Fact.headline``) and gives the validation issues found while
choosing. Precision before recall: when the candidates for a metric disagree and nothing in the
report settles it, no value is chosen and the report is flagged.

Template-era reports: applications received is table 3's R01 总计, reconsiderations table 4's
复议 总计, lawsuits 直接起诉 总计 + 复议后起诉 总计; the prose is checked against them (V6).
"""

from __future__ import annotations

from collections import defaultdict

from etl.model import Fact, Issue
from etl.prose import FINE_TO_KEY


def _distinct(facts: list[Fact]) -> list[float]:
    return sorted({f.value for f in facts if f.value is not None})


def _mark(fact: Fact, metric: str | None = None, dimension: str | None = None) -> Fact:
    fact.headline = True
    if metric:
        fact.metric = metric
    if dimension:
        fact.dimension = dimension
    return fact


def _cell(cells: list[Fact], table: int, row: str, column: str) -> Fact | None:
    return next((c for c in cells if c.table == table and c.row == row and c.column == column), None)


def _from_cell(metric: str, cell: Fact, value: float | None = None, flags: list[str] | None = None) -> Fact:
    return Fact(metric=metric, value=cell.value if value is None else value, raw=cell.raw, evidence=cell.evidence,
                start=cell.start, end=cell.end, page=cell.page, headline=True,
                flags=[f"table{cell.table}:{cell.row}:{cell.column}", *(flags or [])])


def _table_total(cells: list[Fact], row: str) -> tuple[float | None, Fact | None, list[str]]:
    """A table-4 group's 总计, or the sum of its parts when the total cell is blank."""
    total = _cell(cells, 4, row, "总计")
    if total is None:
        return None, None, []
    if total.value is not None:
        return total.value, total, []
    parts = [_cell(cells, 4, row, c) for c in ("维持", "纠正", "其他", "尚未审结")]
    stated = [p.value for p in parts if p is not None and p.value is not None]
    if stated:
        return float(sum(stated)), total, ["total_from_parts"]
    # every cell blank: the report states no case of this kind
    return 0.0, total, ["blank_cells_read_as_none"]


def choose_headlines(prose: list[Fact], cells: list[Fact]) -> tuple[list[Fact], list[Issue], list[str]]:
    """Returns the derived headline facts to add, the issues, and report flags."""
    added: list[Fact] = []
    issues: list[Issue] = []
    flags: list[str] = []
    by_metric: dict[str, list[Fact]] = defaultdict(list)
    for f in prose:
        by_metric[f.metric].append(f)

    channel_total = _choose_channels(by_metric["channel"], flags)
    _choose_proactive(by_metric["proactive_total"], channel_total, flags, by_metric["channel"])

    table_values: dict[str, Fact] = {}
    r01 = _cell(cells, 3, "R01", "总计")
    if r01 is not None and r01.value is not None:
        table_values["applications_received"] = _from_cell("applications_received", r01)
    recon, recon_cell, recon_flags = _table_total(cells, "复议")
    if recon_cell is not None and recon is not None:
        table_values["reconsideration"] = _from_cell("reconsideration", recon_cell, recon, recon_flags)
    direct, direct_cell, direct_flags = _table_total(cells, "直接起诉")
    after, _after_cell, after_flags = _table_total(cells, "复议后起诉")
    if direct_cell is not None and direct is not None and after is not None:
        table_values["litigation"] = _from_cell(
            "litigation", direct_cell, direct + after,
            ["sum_of_direct_and_after_reconsideration", *direct_flags, *after_flags])

    for metric in ("applications_received", "reconsideration", "litigation", "consultations"):
        candidates = by_metric[metric]
        if metric in table_values:
            table_fact = table_values[metric]
            added.append(table_fact)
            for value in _distinct(candidates):
                if value != table_fact.value:
                    where = next(f for f in candidates if f.value == value)
                    issues.append(Issue("V6", "warning",
                                        f"{metric}: the text says {value:g}, the table says {table_fact.value:g}",
                                        [where.evidence[:200], table_fact.flags[0]]))
            continue
        _choose_single(metric, candidates, flags)
    return added, issues, flags


def _choose_single(metric: str, candidates: list[Fact], flags: list[str]) -> None:
    stated = [f for f in candidates if "stated_none" not in f.flags]
    values = _distinct(stated) or _distinct(candidates)
    pool = stated if _distinct(stated) else candidates
    if len(values) == 1:
        _mark(next(f for f in pool if f.value == values[0]))
    elif len(values) > 1:
        flags.append(f"{metric}_ambiguous")


def _choose_channels(facts: list[Fact], flags: list[str]) -> float | None:
    """Mark one fact per fine channel; gazette and other ways both count as "other"."""
    by_fine: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.dimension:
            by_fine[f.dimension].append(f)
    total = 0.0
    for fine, group in by_fine.items():
        values = _distinct(group)
        if len(values) > 1:
            # the sentence that states the proactive total and lists its channels settles it
            listed = [f for f in group if "主动公开" in f.evidence or "disclos" in f.evidence]
            if len(_distinct(listed)) == 1:
                group, values = listed, _distinct(listed)
        if len(values) != 1:
            flags.append(f"channel_{fine}_ambiguous")
            continue
        chosen = next(f for f in group if f.value == values[0])
        chosen.flags.append(f"channel:{fine}")
        _mark(chosen, dimension=FINE_TO_KEY.get(fine, fine))
        total += values[0]
    return total if by_fine else None


# Channels counted in events, not items: they are never part of the proactive total.
_NOT_ITEM_CHANNELS = ("press_conference",)


def _choose_proactive(facts: list[Fact], channel_total: float | None, flags: list[str],
                      channels: list[Fact] | None = None) -> None:
    strong = [f for f in facts if "weak" not in f.flags]
    for pool in (strong, facts):
        values = _distinct(pool)
        if not values:
            continue
        if len(values) == 1:
            chosen = next(f for f in pool if f.value == values[0])
            if pool is not strong and _other_channels_counted(chosen, channels or []):
                # "在门户网站主动公开…685条，在微信公众号发布213条": the portal's share, not the total
                flags.append("proactive_total_partial")
                return
            if pool is not strong and _channel_unsettled(chosen, channels or []):
                # "在政务网站主动发布…20条，…向政务网站报送信息102条": which count is the portal's is unclear
                flags.append("proactive_total_ambiguous")
                return
            _mark(chosen)
            return
        if channel_total is not None and channel_total in values:
            _mark(next(f for f in pool if f.value == channel_total))
            return
        flags.append("proactive_total_ambiguous")
        return


def _channel_unsettled(weak: Fact, channels: list[Fact]) -> bool:
    """Whether the channel a weak total was read with has other, different counts."""
    own = [f for f in channels if f.start == weak.start and f.value == weak.value]
    return any(f.dimension == o.dimension and f.value != weak.value and not f.headline
               for o in own for f in channels)


def _other_channels_counted(weak: Fact, channels: list[Fact]) -> bool:
    """Whether a channel other than the one a weak total was read with has a count of items."""
    # chosen channel facts carry their output key as dimension (see _choose_channels)
    own = {f.dimension for f in channels if f.start == weak.start and f.value == weak.value}
    return any(f.headline and f.dimension not in own and f.dimension not in _NOT_ITEM_CHANNELS for f in channels)
