"""Excel import use cases: check a filled-in needs survey or activity plan, then import it.

Every row is read and checked (the sheet's own rules, then the entity rules of
``records.clean``) before anything is written. While any row is bad nothing is imported,
unless the person chooses to import only the good rows; the good rows are then written in
one transaction (``records.create_many``; an activity plan's events and trials together with
``conversion.create_together``), so an import is all of them or none.

An activity plan's row of 種別 実証実験・現場試行 becomes a trial (``RowResult.entity``); the
check lists those rows, and notes rows whose title reads as a trial
(``classification.reads_as_trial``) but that would be stored as events, which 現場試行数 does
not count (a note, not an error: the row still imports as written).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jcim_desktop.domain import entities
from jcim_desktop.domain.classification import TRIAL_KIND_LABEL, reads_as_trial
from jcim_desktop.domain.fiscal import fiscal_year_of
from jcim_desktop.errors import UserError, ValidationError
from jcim_desktop.reports import excel_import as sheets
from jcim_desktop.reports.excel_import import CellError, RowResult, SheetResult
from jcim_desktop.services import conversion, records
from jcim_desktop.services.changes import Changes
from jcim_desktop.services.context import AppContext

Progress = Callable[[int, int, str], None]

SUMMARY_LIMIT = 20

ENTITIES: tuple[str, ...] = ("needs", "events")
"""What a workbook fills in: needs (the needs survey, ニーズ調査票) or events (the activity plan, 活動計画表)."""

__all__ = [
    "ENTITIES",
    "CellError",
    "ImportCheck",
    "ImportReport",
    "RowResult",
    "import_workbook",
    "preview_import",
    "write_template",
]


@dataclass
class ImportCheck:
    """The result of checking a file; nothing has been written."""

    entity: str
    path: Path
    sheet: SheetResult
    notes: list[CellError] = field(default_factory=list)
    """Rows that import, but perhaps not as meant (an event whose title reads as a trial)."""

    @property
    def trial_rows(self) -> list[int]:
        """The good rows that become trials (an activity plan's 実証実験・現場試行)."""
        return [r.row_number for r in self.sheet.rows if r.ok and r.entity == "trials"]

    @property
    def problems(self) -> list[str]:
        """Sheet-level problems (not an .xlsx, missing columns …): while any, nothing is importable."""
        return self.sheet.problems

    @property
    def rows(self) -> list[RowResult]:
        return self.sheet.rows

    @property
    def errors(self) -> list[CellError]:
        return self.sheet.errors

    @property
    def total(self) -> int:
        return self.sheet.total

    @property
    def good_count(self) -> int:
        return self.sheet.good_count

    @property
    def bad_count(self) -> int:
        return self.sheet.bad_count

    @property
    def bad_rows(self) -> list[int]:
        return [r.row_number for r in self.sheet.rows if not r.ok]

    @property
    def ok(self) -> bool:
        """Everything can be imported."""
        return not self.problems and self.total > 0 and self.bad_count == 0

    @property
    def importable(self) -> bool:
        """At least the good rows can be imported."""
        return not self.problems and self.good_count > 0

    def messages(self) -> list[str]:
        """Every problem in Japanese: sheet problems, then ``N行目 X列（項目）: …`` per cell."""
        return [*self.problems, *(str(e) for e in self.errors)]

    def _kinds(self) -> str:
        """「活動・行事 3 行、実証実験 2 行」 of the good rows (just the label when all are one kind)."""
        label = entities.ENTITY_LABELS[self.entity]
        trials = len(self.trial_rows)
        if not trials:
            return label
        return f"{label} {self.good_count - trials:,} 行、{entities.ENTITY_LABELS['trials']} {trials:,} 行"

    def _notes(self, limit: int) -> list[str]:
        lines: list[str] = []
        trial_rows = self.trial_rows
        if trial_rows:
            rows = "、".join(str(n) for n in trial_rows[:limit]) + ("…" if len(trial_rows) > limit else "")
            lines.append(f"種別が「{TRIAL_KIND_LABEL}」の {len(trial_rows):,} 行（{rows}行目）は実証実験として登録します。")
        if self.notes:
            lines.append("次の行を確かめてください（このままでも取り込めます）:")
            lines += [str(n) for n in self.notes[:limit]]
            if len(self.notes) > limit:
                lines.append(f"ほか {len(self.notes) - limit:,} 件")
        return lines

    def summary(self, limit: int = SUMMARY_LIMIT) -> str:
        name = self.path.name
        if self.problems:
            return f"「{name}」を取り込めません。\n" + "\n".join(self.problems)
        if self.ok:
            return "\n".join([f"「{name}」の {self.total:,} 行はすべて取り込めます（{self._kinds()}）。", *self._notes(limit)])
        lines = [str(e) for e in self.errors]
        shown = lines[:limit]
        head = (
            f"「{name}」の {self.total:,} 行のうち {self.bad_count:,} 行に誤りがあります"
            f"（正しい行 {self.good_count:,} 行）。"
        )
        tail = [f"ほか {len(lines) - len(shown):,} 件"] if len(lines) > len(shown) else []
        return "\n".join([head, *shown, *tail, *self._notes(limit)])


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote, and which rows it left out (only with ``only_good_rows``)."""

    entity: str
    path: Path
    total: int
    record_ids: list[str]
    skipped_rows: list[int] = field(default_factory=list)
    skipped_errors: list[CellError] = field(default_factory=list)
    trial_ids: list[str] = field(default_factory=list)
    """Those of ``record_ids`` that are trials (an activity plan's 実証実験・現場試行 rows)."""

    @property
    def imported(self) -> int:
        return len(self.record_ids)

    @property
    def changes(self) -> Changes:
        trials = set(self.trial_ids)
        changes = Changes.records(self.entity, [i for i in self.record_ids if i not in trials])
        return changes | Changes.records("trials", self.trial_ids) if trials else changes

    def summary(self) -> str:
        label = entities.ENTITY_LABELS[self.entity]
        if self.trial_ids:
            text = (f"「{self.path.name}」から{label}を {self.imported - len(self.trial_ids):,} 件、"
                    f"{entities.ENTITY_LABELS['trials']}を {len(self.trial_ids):,} 件登録しました。")
        else:
            text = f"「{self.path.name}」から{label}を {self.imported:,} 件登録しました。"
        if self.skipped_rows:
            rows = "、".join(str(n) for n in self.skipped_rows[:SUMMARY_LIMIT])
            more = f" ほか {len(self.skipped_rows) - SUMMARY_LIMIT:,} 行" if len(self.skipped_rows) > SUMMARY_LIMIT else ""
            text += f"\n誤りのある {len(self.skipped_rows):,} 行は取り込んでいません（{rows}行目{more}）。"
        return text


# -- templates ----------------------------------------------------------------------------------


def _no_workbook(entity: str) -> ValueError:
    return ValueError(f"no Excel workbook for {entity!r} (one of {', '.join(ENTITIES)})")


def write_template(
    ctx: AppContext, entity: str, path: Path | str, *, survey_name: str = "", fiscal_year: int | None = None
) -> Path:
    """The workbook of ``entity`` (``ENTITIES``) for this installation's organisation: the needs
    survey called ``survey_name``, or the activity plan of ``fiscal_year`` (this fiscal year when None)."""
    if entity == "needs":
        return sheets.write_needs_template(path, org_name=ctx.org_name, survey_name=survey_name,
                                           registry=ctx.registry, data_dir=ctx.data_dir)
    if entity == "events":
        return sheets.write_events_template(path, org_name=ctx.org_name,
                                            fiscal_year=fiscal_year or fiscal_year_of(records.today()),
                                            registry=ctx.registry, data_dir=ctx.data_dir)
    raise _no_workbook(entity)


# -- checking ------------------------------------------------------------------------------------


def _read(ctx: AppContext, entity: str, path: Path | str, fiscal_year: int | None,
          progress: Progress | None) -> SheetResult:
    if entity == "needs":
        return sheets.read_needs_sheet(path, progress=progress, registry=ctx.registry)
    if entity == "events":
        return sheets.read_events_sheet(path, fiscal_year=fiscal_year, progress=progress, registry=ctx.registry)
    raise _no_workbook(entity)


def _apply_entity_rules(ctx: AppContext, entity: str, sheet: SheetResult, progress: Progress | None) -> None:
    """Run ``records.clean`` on every row the sheet reader accepted; put its messages on the cells."""
    if sheet.problems:
        return
    good = [r for r in sheet.rows if r.ok]
    for done, row in enumerate(good, start=1):
        assert row.data is not None
        row_entity = row.entity or entity
        try:
            records.clean(ctx, row_entity, row.data)
        except ValidationError as exc:
            for field_name, message in exc.errors.items():
                letter, label = sheet.field_columns.get(field_name, ("", entities.field_label(row_entity, field_name)))
                for line in message.splitlines():
                    row.errors.append(CellError(row.row_number, letter, label, line))
            row.data = None
        if progress is not None and done % sheets.PROGRESS_EVERY == 0:
            progress(done, len(good), f"{done:,}行を確かめました…")


def preview_import(
    ctx: AppContext, entity: str, path: Path | str, *, fiscal_year: int | None = None,
    progress: Progress | None = None,
) -> ImportCheck:
    """Check a workbook of ``entity`` (``ENTITIES``) row by row; nothing is written. File problems
    are in ``problems``. An activity plan is read as of ``fiscal_year``, without it its template's."""
    sheet = _read(ctx, entity, path, fiscal_year, progress)
    _apply_entity_rules(ctx, entity, sheet, progress)
    return ImportCheck(entity, Path(path), sheet, _trial_notes(entity, sheet))


def _trial_notes(entity: str, sheet: SheetResult) -> list[CellError]:
    """Good event rows whose title reads as a trial: they would not count in 現場試行数."""
    if entity != "events" or sheet.problems:
        return []
    letter, label = sheet.field_columns.get("event_type", ("", "種別"))
    notes = []
    for row in sheet.rows:
        if row.ok and row.entity is None and row.data is not None and reads_as_trial(row.data.get("title")):
            notes.append(CellError(
                row.row_number, letter, label,
                f"「{row.data['title']}」は実証実験・現場試行のようです。現場試行数に数えるには種別を「{TRIAL_KIND_LABEL}」にし、"
                "自治体を1つ入力してください（このままでは活動・行事として登録します）。",
            ))
    return notes


# -- importing ----------------------------------------------------------------------------------


def _refuse(check: ImportCheck, only_good_rows: bool) -> None:
    """Raise ``UserError`` unless ``check`` may be written (as a whole, or its good rows)."""
    name = check.path.name
    if check.problems:
        raise UserError(f"「{name}」を取り込めません。何も登録していません。\n" + "\n".join(check.problems))
    if check.total == 0:
        raise UserError(f"「{name}」に取り込む行がありません。何も登録していません。")
    if check.bad_count and not only_good_rows:
        raise UserError(
            check.summary()
            + "\n何も登録していません。誤りを直してもう一度取り込むか、正しい行だけを取り込んでください。"
        )
    if check.good_count == 0:
        raise UserError(check.summary() + "\n正しい行が1つもないため、何も登録していません。")


def import_workbook(
    ctx: AppContext,
    entity: str,
    path: Path | str,
    *,
    fiscal_year: int | None = None,
    only_good_rows: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a workbook of ``entity`` (``ENTITIES``; an activity plan as planned events, 開催予定日
    kept verbatim for parse_planned). Any bad row stops the import (``UserError`` listing the
    problems, nothing written) unless ``only_good_rows``: then the good rows are imported in one
    transaction. ``fiscal_year`` as for ``preview_import``."""
    check = preview_import(ctx, entity, path, fiscal_year=fiscal_year, progress=progress)
    _refuse(check, only_good_rows)
    good = [r for r in check.rows if r.ok and r.data is not None]
    items = [(r.entity or check.entity, r.data) for r in good if r.data is not None]
    if progress is not None:
        progress(0, len(items), f"{len(items):,}件を登録しています…")
    try:
        if any(entity != check.entity for entity, _ in items):
            created = conversion.create_together(ctx, items)
        else:
            created = records.create_many(ctx, check.entity, [data for _, data in items])
    except ValidationError as exc:  # cannot happen after the check, but never show a traceback
        raise UserError(f"「{check.path.name}」を取り込めませんでした。何も登録していません。\n{exc.message}") from exc
    if progress is not None:
        progress(len(items), len(items), f"{len(created):,}件を登録しました。")
    bad = [r for r in check.rows if not r.ok]
    return ImportReport(
        check.entity,
        check.path,
        check.total,
        [r.id for r in created],
        [r.row_number for r in bad],
        [e for r in bad for e in r.errors],
        [r.id for r in created if r.entity == "trials"],
    )
