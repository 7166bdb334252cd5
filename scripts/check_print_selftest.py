#!/usr/bin/python3
"""Proves scripts/check_print.py fails where a printed form is wrong: for each defect it checks,
a small xlsx with that defect (and one without any) is written with openpyxl, turned into a PDF
by LibreOffice, and checked; the check must fail on each defective file, naming the defect, and
pass on the good one.

Usage: check_print_selftest.py OUT_DIR   (run by scripts/check-reports-in-libreoffice)
"""

import os
import subprocess
import sys
import tempfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.pagebreak import Break

HERE = os.path.dirname(os.path.abspath(__file__))
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = Font(name="宋体", size=11)


def form(path, *, meta_right_width=None, header_height=None, title_columns=None, break_at=None,
         row_break_at=None, centred=True):
    """A one-page form of 6 columns and 8 rows, with one defect when asked."""
    book = Workbook()
    sheet = book.active
    widths = [6, 10, 23, 12, 12, 20]
    for i, width in enumerate(widths):
        sheet.column_dimensions[chr(65 + i)].width = width
    last = chr(65 + (title_columns or len(widths)) - 1)
    sheet["A1"] = "居家隔离人员名单"
    sheet["A1"].font = Font(name="宋体", size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.merge_cells(f"A1:{last}1")
    sheet["A2"] = "填报单位：青山镇石桥村村委会"
    sheet.merge_cells("A2:D2")
    right = "E2" if meta_right_width is None else "F2"
    sheet[right] = "填报日期：2026年12月5日"
    sheet[right].alignment = Alignment(horizontal="right", wrap_text=True)
    if meta_right_width is None:
        sheet.merge_cells("E2:F2")
    else:
        sheet.column_dimensions["F"].width = meta_right_width
    headers = ["序号", "姓名", "身份证号码", "隔离方式", "开始隔离时间", "新增密接和次密接人数合计（人）"]
    for i, text in enumerate(headers):
        cell = sheet.cell(row=3, column=i + 1, value=text)
        cell.font = FONT
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[3].height = header_height or 45
    for r in range(8):
        values = [r + 1, f"张三{r}", f"43018219900101{r:04d}", "居家隔离", "2026-11-20", "青山镇"]
        for i, value in enumerate(values):
            cell = sheet.cell(row=4 + r, column=i + 1, value=value)
            cell.font = FONT
            cell.border = BOX
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9
    sheet.print_options.horizontalCentered = centred
    if break_at:
        sheet.col_breaks.append(Break(id=break_at))
    if row_break_at:
        sheet.row_breaks.append(Break(id=row_break_at))
    book.save(path)


def check(directory, name, **defect):
    xlsx = os.path.join(directory, f"{name}.xlsx")
    form(xlsx, **defect)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", directory, xlsx],
                       check=True, capture_output=True, timeout=120)
    pdf = os.path.join(directory, f"{name}.pdf")
    result = subprocess.run([sys.executable, os.path.join(HERE, "check_print.py"), name, xlsx, pdf],
                            capture_output=True, text=True)
    return result.returncode, result.stdout


def main():
    directory = sys.argv[1]
    os.makedirs(directory, exist_ok=True)
    cases = [
        ("good", {}, None),
        ("clipped_meta", {"meta_right_width": 8}, "meta row is cut off"),
        ("header_overflow", {"header_height": 15}, "across a cell border"),
        ("off_centre_title", {"title_columns": 3}, "title is off the middle"),
        ("table_off_centre", {"centred": False}, "table is off the middle of the page"),
        ("split_needlessly", {"break_at": 3}, "fits one page wide"),
        ("rows_carried_over", {"row_break_at": 7}, "fits one"),
    ]
    failures = []
    for name, defect, expected in cases:
        code, output = check(directory, name, **defect)
        if expected is None and code != 0:
            failures.append(f"the good form fails: {output.strip()}")
        if expected is not None and (code == 0 or expected not in output):
            failures.append(f"{name}: expected a failure naming “{expected}”, got: {output.strip()}")
    for failure in failures:
        print(f"SELFTEST FAIL {failure}")
    print(f"check_print.py self-test: {len(cases) - len(failures)} of {len(cases)} cases as expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
