"""Render a service tab as an officer sees it: one tab of a .xlsx → PDF (LibreOffice, headless) → PNG (pdftoppm)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
from openpyxl.worksheet.properties import PageSetupProperties

TOOLS = ("soffice", "pdftoppm")
FIT_COLUMNS = 12


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def render_tab(workbook: Path, tab: str, out_png: Path, work_dir: Path, max_rows: int = 40) -> Path:
    """The first page of `tab` alone, A3 landscape: a tab of up to `FIT_COLUMNS` columns fitted to the page width
    (every column seen), a wider one at its natural size (its left part, legible, as on screen); returns the
    PNG's path."""
    book = openpyxl.load_workbook(workbook)
    for title in book.sheetnames:
        if title != tab:
            book.remove(book[title])
    sheet = book[tab]
    if sheet.max_row > max_rows:  # a page is enough to see widths and formats; long tabs would shrink to dots
        sheet.delete_rows(max_rows + 1, sheet.max_row - max_rows)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
    narrow = sheet.max_column <= FIT_COLUMNS
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=narrow)
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.page_setup.scale = None if narrow else 100
    sheet.print_options.gridLines = True
    work_dir.mkdir(parents=True, exist_ok=True)
    single = work_dir / f"{out_png.stem}.xlsx"
    book.save(single)
    profile = work_dir / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work_dir), str(single)], check=True, capture_output=True, timeout=180)
    pdf = single.with_suffix(".pdf")
    out_png.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(out_png.with_suffix(""))], check=True, capture_output=True, timeout=60)
    return out_png
