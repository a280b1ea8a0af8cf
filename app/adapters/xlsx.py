"""Workbook on a local .xlsx file: read with python-calamine (several times faster than openpyxl), written with
openpyxl; officer tabs are left as they are, Thai text intact."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import stat
import tempfile
import zipfile
from pathlib import Path
from typing import Protocol, Sequence
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.formatting.rule import Rule
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet
from python_calamine import CalamineError, CalamineWorkbook

from app.sheets.grid import (DATE_FORMAT, DATETIME_FORMAT, Cell, CellNotes, Grid, Link, RangeWrite, TabStyle,
                             WriteStats, wrapped_lines)
from app.errors import BackendError
from app.sync.ports import TabNotFound

EPOCH = dt.datetime(1899, 12, 30)
SERVICE_TAB_COLOUR = "808080"
MAX_CELL_CHARS = 32_767  # Excel's limit; openpyxl cuts longer text when it reads
FORMULA_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"})
# A formula cell as openpyxl writes it: the formula, then an empty cached value (which this module fills in).
_FORMULA_CELL = re.compile(rb'<c r="(?P<ref>[A-Z]{1,3}[0-9]{1,7})"(?P<attrs>[^>]*)>'
                           rb'(?P<formula><f[^>]*?(?:/>|>[^<]*</f>))<v ?/></c>')
# Excel's locale-and-calendar prefix: Thai (041E) with the Thai Buddhist calendar (07); Excel and LibreOffice
# both show the year in พ.ศ. (LibreOffice does not read the newer "[$-th-TH,107]" spelling).
NUMBER_FORMATS = {DATE_FORMAT: "[$-107041E]dd/mm/yyyy", DATETIME_FORMAT: "[$-107041E]dd/mm/yyyy hh:mm"}
LINE_HEIGHT = 15  # points per line of the default 11 pt font
PIXELS_PER_WIDTH_UNIT = 7  # a column width in openpyxl counts characters of the default font, about 7 px
MARK_PREFIX = "sme_service_tab_"  # workbook-level defined names: comment = the service tab's title, refers to its tab


def to_cell(value: object) -> Cell:
    """A reader's value → the same Cell Google's UNFORMATTED_VALUE/SERIAL_NUMBER read gives."""
    if value.__class__ is float:  # the most common by far: calamine reads every number as float; Google gives 3
        return int(value) if value.is_integer() else value
    if isinstance(value, dt.datetime):
        serial = ((value.replace(tzinfo=None) if value.tzinfo else value) - EPOCH).total_seconds() / 86400
        return int(serial) if serial == int(serial) else serial
    if isinstance(value, dt.date):
        return (value - EPOCH.date()).days
    if isinstance(value, dt.time):
        return (value.hour * 3600 + value.minute * 60 + value.second) / 86400
    if isinstance(value, dt.timedelta):  # a duration cell ([h]:mm): Google gives it as days
        return value.total_seconds() / 86400
    if isinstance(value, float) and value.is_integer():  # a float of another class (numpy's)
        return int(value)
    if value == "":
        return None
    return value  # type: ignore[return-value]


_AS_READ = frozenset({str, int, bool})  # cells that are already what Google gives (but for "", checked first)


def _row(values: list) -> list[Cell]:
    """One calamine row as Cells; the common types inline, the rest through to_cell."""
    return [None if v == "" else v if v.__class__ in _AS_READ else to_cell(v) for v in values]


def trimmed(rows: list[list[Cell]]) -> Grid:
    """Drop trailing empty cells of each row and trailing empty rows, as Google does."""
    out: Grid = []
    for row in rows:
        end = len(row)
        while end and row[end - 1] is None:
            end -= 1
        out.append(list(row[:end]))
    while out and not out[-1]:
        out.pop()
    return out


class SavedTabs(Protocol):
    """Where the service tabs as last saved are kept, with the digest of the file that holds them (the run store)."""

    def saved_tabs(self, workbook: str) -> tuple[str, dict[str, Grid]] | None: ...
    def keep_saved_tabs(self, workbook: str, digest: str, tabs: dict[str, Grid]) -> None: ...


class XlsxWorkbook:
    """A .xlsx file; every write is one atomic save (temp file + rename), skipped when nothing changes.

    With `saved`, the service tabs as saved are kept beside the file's SHA-256: while the file's bytes are exactly
    those of our last save, those tabs are taken from there instead of being parsed again; any other change to the
    file (an officer's edit anywhere) changes the digest, and everything is read from the file."""

    max_cell_chars = MAX_CELL_CHARS

    def __init__(self, path: Path, saved: SavedTabs | None = None) -> None:
        self.path = Path(path)
        self._saved = saved
        self._titles: list[str] | None = None
        self._owned: dict[str, str] = {}

    @property
    def label(self) -> str:
        return self.path.name

    def _open(self, **kwargs) -> openpyxl.Workbook:
        try:
            return openpyxl.load_workbook(self.path, **kwargs)
        except FileNotFoundError:
            raise BackendError(f"workbook {self.path} not found") from None
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
            raise BackendError(f"workbook {self.path} cannot be opened as .xlsx: {exc}") from exc

    def _bytes(self) -> bytes:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            raise BackendError(f"workbook {self.path} not found") from None
        except OSError as exc:
            raise BackendError(f"workbook {self.path} cannot be read: {exc.strerror or exc}") from exc

    def _reader(self, data: bytes | None = None) -> CalamineWorkbook:
        try:
            return CalamineWorkbook.from_filelike(io.BytesIO(self._bytes() if data is None else data))
        except CalamineError as exc:
            raise BackendError(f"workbook {self.path} cannot be opened as .xlsx: {exc}") from exc

    @property
    def _key(self) -> str:
        return str(self.path.resolve())

    def tab_titles(self) -> list[str]:
        if self._titles is None:
            book = self._open(read_only=True)
            self._titles, self._owned = list(book.sheetnames), _marks(book)
            book.close()
        return list(self._titles)

    def owned_tabs(self) -> dict[str, str]:
        self.tab_titles()
        return dict(self._owned)

    def read(self, titles: Sequence[str]) -> dict[str, Grid]:
        data = self._bytes()  # read once: the digest and the parse see the same bytes
        saved = self._saved.saved_tabs(self._key) if self._saved is not None else None
        kept = saved[1] if saved is not None and saved[0] == hashlib.sha256(data).hexdigest() else {}
        book = self._reader(data)
        try:
            for title in titles:
                if title not in book.sheet_names:
                    raise TabNotFound(f"{self.label}: no tab named {title!r}")
            return {t: kept[t] if t in kept else _grid(book, t) for t in titles}
        finally:
            book.close()

    def write(self, writes: Sequence[RangeWrite], styles: Sequence[TabStyle] = (),
              notes: CellNotes | None = None) -> WriteStats:
        """Service tabs written and styled in one save; `notes` is not used: a local workbook gets no cell notes
        (the problems tab links to each cell)."""
        existing = set(self.tab_titles())
        missing = [s for s in styles if s.title not in existing]
        unmarked = [s for s in styles if s.title not in self.owned_tabs().values()]
        if not writes and not missing and not unmarked:
            return WriteStats()
        book = self._open(rich_text=True)  # officer cells in bold or colour keep their runs of formatting
        cached = self._cached_formula_values(book)
        marked = set(_marks(book).values())
        for style in styles:
            sheet = book[style.title] if style.title in book.sheetnames else book.create_sheet(style.title)
            if style.title not in marked:
                _mark(book, style)
            for w in (w for w in writes if w.tab == style.title):
                _put(sheet, w)
            _apply_style(sheet, style)
        for w in (w for w in writes if w.tab not in {s.title for s in styles}):
            if w.tab not in book.sheetnames:
                raise TabNotFound(f"{self.label}: no tab named {w.tab!r}")
            _put(book[w.tab], w)
        try:
            self._save(book, cached, [s.title for s in styles])
        except OSError as exc:  # read-only file or folder, disk full, locked by another program
            raise BackendError(f"บันทึก {self.label} ไม่ได้ ไฟล์เดิมไม่เปลี่ยน (cannot save {self.path}: "
                               f"{exc.strerror or exc}; the workbook is unchanged)") from exc
        self._titles, self._owned = list(book.sheetnames), _marks(book)
        cells = sum(len(row) for w in writes for row in w.values)
        return WriteStats(requests=1, cells=cells, tabs_created=tuple(s.title for s in missing))

    def _cached_formula_values(self, book: openpyxl.Workbook) -> dict[str, dict[str, object]]:
        """Tab → cell → the value Excel last computed for each officer formula. openpyxl saves formulas without
        their values, so without these every formula cell would read as blank until Excel opens the file again."""
        formulas = {sheet.title: {cell.coordinate for cell in sheet._cells.values() if cell.data_type == "f"}
                    for sheet in book.worksheets}
        formulas = {title: cells for title, cells in formulas.items() if cells}
        if not formulas:
            return {}
        values = self._open(read_only=True, data_only=True)
        try:
            found: dict[str, dict[str, object]] = {}
            for title, cells in formulas.items():
                for row in values[title].iter_rows():
                    for cell in row:
                        if getattr(cell, "coordinate", None) in cells and cell.value is not None:
                            found.setdefault(title, {})[cell.coordinate] = cell.value
            return found
        finally:
            values.close()

    def _save(self, book: openpyxl.Workbook, cached: dict[str, dict[str, object]], service_tabs: list[str]) -> None:
        """Save atomically over the file a symlink points to (the link stays), keeping the file's mode and the
        formulas' values; with a store, its service tabs as saved are kept there with the file's digest."""
        target = Path(os.path.realpath(self.path))
        mode = stat.S_IMODE(target.stat().st_mode)
        fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=target.parent)
        os.close(fd)
        try:
            book.save(tmp)
            parts = {book[title].path.lstrip("/"): values for title, values in cached.items()}
            if parts:
                _fill_formula_values(Path(tmp), parts)
            os.chmod(tmp, mode)
            if self._saved is not None and service_tabs:
                self._keep(Path(tmp).read_bytes(), service_tabs)  # before the rename: an edit after it is not ours
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _keep(self, data: bytes, service_tabs: list[str]) -> None:
        """The service tabs exactly as the saved bytes hold them (read back, so they read as from the file)."""
        book = self._reader(data)
        try:
            self._saved.keep_saved_tabs(self._key, hashlib.sha256(data).hexdigest(),
                                        {t: _grid(book, t) for t in service_tabs})
        finally:
            book.close()

    def cell_link(self, tab: str, row: int, col: int) -> str:
        return f"{self.path.name} › {tab}!{get_column_letter(col)}{row}"


def _fill_formula_values(path: Path, parts: dict[str, dict[str, object]]) -> None:
    """Rewrite the saved file with each formula's last value in its `<v>`, as Excel itself stores it."""
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            values = parts.get(info.filename)
            if values:
                data = _FORMULA_CELL.sub(lambda m: _with_value(m, values), data)
            out.writestr(info, data)


def _with_value(match: re.Match, values: dict[str, object]) -> bytes:
    value = values.get(match["ref"].decode())
    if value is None:
        return match[0]
    if isinstance(value, bool):
        kind, text = "b", str(int(value))
    elif isinstance(value, (int, float, dt.date, dt.time)):
        kind, text = "n", repr(to_cell(value))
    elif str(value) in FORMULA_ERRORS:
        kind, text = "e", str(value)
    else:
        kind, text = "str", escape(str(value))
    attrs = re.sub(rb' t="[^"]*"', b"", match["attrs"])
    return b'<c r="%s"%s t="%s">%s<v>%s</v></c>' % (match["ref"], attrs, kind.encode(), match["formula"],
                                                     text.encode())
def _marks(book: openpyxl.Workbook) -> dict[str, str]:
    """Service tab title → the tab its mark refers to (Excel keeps the reference when a tab is renamed)."""
    found = {}
    for name, defined in book.defined_names.items():
        if name.startswith(MARK_PREFIX) and defined.comment:
            tabs = [tab for tab, _cells in defined.destinations if tab in book.sheetnames]
            if tabs:
                found[defined.comment] = tabs[0]
    return found


def _mark(book: openpyxl.Workbook, style: TabStyle) -> None:
    used = {name for name in book.defined_names if name.startswith(MARK_PREFIX)}
    name = next(f"{MARK_PREFIX}{n}" for n in range(1, len(used) + 2) if f"{MARK_PREFIX}{n}" not in used)
    tab = style.title.replace("'", "''")
    book.defined_names[name] = DefinedName(name, comment=style.owner_mark or style.title, attr_text=f"'{tab}'!$A$1")


def _grid(book: CalamineWorkbook, title: str) -> Grid:
    return trimmed([_row(row) for row in book.get_sheet_by_name(title).to_python(skip_empty_area=False)])


def _set_raw(cell, value: object) -> None:
    """Store a value as typed: text that starts with "=" stays text, never a formula (like RAW). A Link is its
    text with an internal hyperlink to the cell."""
    if isinstance(value, Link):
        cell.value = value.text
        target = f"{quote_sheet(value.tab)}!{get_column_letter(value.col)}{value.row}"
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=target)
        cell.font = Font(color="0563C1", underline="single")
        return
    if cell.hyperlink is not None:
        cell.hyperlink = None
        cell.font = Font()
    cell.value = None if value == "" else value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _put(sheet: Worksheet, write: RangeWrite) -> None:
    for r, row in enumerate(write.values):
        for c, value in enumerate(row):
            _set_raw(sheet.cell(row=write.row + r, column=write.col + c), value)


def quote_sheet(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _apply_style(sheet: Worksheet, style: TabStyle) -> None:
    """Frozen bold wrapped header, column widths, number formats, bold total rows, status colours; xlsx has no
    warning-only protection, so service tabs are marked grey instead."""
    sheet.freeze_panes = sheet.cell(row=style.frozen_rows + 1, column=1)
    sheet.sheet_properties.tabColor = SERVICE_TAB_COLOUR
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E6E6E6")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for col, width in enumerate(style.widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = round(width / PIXELS_PER_WIDTH_UNIT, 1)
    lines = {1: max([wrapped_lines(c.value, w) for c, w in zip(sheet[1], style.widths)] + [1])}
    wrapped_top, top = Alignment(wrap_text=True, vertical="top"), Alignment(vertical="top")  # one object, many cells
    for col in style.wrapped():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.alignment = wrapped_top
            lines[cell.row] = max(lines.get(cell.row, 1), wrapped_lines(cell.value, style.widths[col - 1]))
    width = sheet.max_column  # once: sheet[row] finds it by scanning every cell, for every row asked
    for number, count in lines.items():  # LibreOffice keeps a row one line high unless told
        sheet.row_dimensions[number].height = LINE_HEIGHT * count if count > 1 else None
        if count > 1 and number > 1:  # a tall row reads from its top line
            for col in range(1, width + 1):
                cell = sheet.cell(row=number, column=col)
                if not cell.alignment.wrap_text:
                    cell.alignment = top
    plain, bold = Font(), Font(bold=True)
    for row in sheet.iter_rows(min_row=2):  # a total row that moved leaves no bold behind
        for cell in row:
            if cell.font.b and cell.row not in style.bold_rows:
                cell.font = plain
    for number in style.bold_rows:
        for col in range(1, width + 1):
            sheet.cell(row=number, column=col).font = bold
    for fmt in style.formats():
        pattern = NUMBER_FORMATS.get(fmt.pattern, fmt.pattern)
        for (cell,) in sheet.iter_rows(min_row=fmt.first_row, max_row=fmt.last_row, min_col=fmt.column,
                                       max_col=fmt.column):
            cell.number_format = pattern
    sheet.conditional_formatting = ConditionalFormattingList()
    for colour in style.status_colours:
        letter = get_column_letter(colour.column)
        prefix = colour.prefix.replace('"', '""')
        rule = Rule(type="beginsWith", operator="beginsWith", text=colour.prefix,
                    formula=[f'LEFT({letter}{colour.first_row},{len(colour.prefix)})="{prefix}"'],
                    dxf=DifferentialStyle(fill=PatternFill(bgColor=colour.rgb)))
        sheet.conditional_formatting.add(f"{letter}{colour.first_row}:{letter}{colour.last_row or 1048576}", rule)


def create_xlsx(path: Path, tabs: dict[str, list[list]]) -> None:
    """Write a new workbook (officer tabs for the demo and benchmarks); dates become real date cells."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in tabs.items():
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                _set_raw(sheet.cell(row=r, column=c), value)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, dt.datetime):
                    cell.number_format = "DD/MM/YYYY HH:MM:SS"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
