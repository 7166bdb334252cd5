#!/usr/bin/python3
"""Checks that one exported report is readable when printed on A4 landscape.

Usage: check_print.py REPORT_ID REPORT.xlsx REPORT.pdf   (the PDF made from the xlsx by LibreOffice)

The PDF is the truth: it is what the printer gets. From it we measure every character's
printed size (pdfminer's LTChar.size already includes the page scaling), the number of pages,
and, from the cell borders, how many table columns each page shows. The xlsx tells us what the
sizes were before scaling (styles.xml) and which columns repeat on every page (workbook.xml).

The report passes when
  - no text on any page (title, header, body, footnote, signature line, page footer) is printed
    smaller than 9 pt, and
  - LibreOffice printed it at 70% or more, unless its columns are split across pages with the
    key columns repeated on each page, and
  - if its columns are split across pages, the key columns are repeated (otherwise a right-hand
    page cannot be matched to a person).
Prints one summary line; on failure also one line per problem, naming the report and the
figure, and exits with status 1.

Run with Debian's own /usr/bin/python3: pdfminer comes from the Debian package python3-pdfminer
(scripts/setup-debian), which another python3 on PATH (pyenv, a venv) does not see.
"""

import collections
import re
import sys
import xml.etree.ElementTree as ElementTree
import zipfile

from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTLine, LTTextLine

SMALLEST_READABLE_TEXT_PT = 9.0
SMALLEST_READABLE_SCALE_PERCENT = 70
# Sizes read from the PDF carry rounding noise of a few hundredths of a point (11 pt at 82%
# comes out as 8.99, 9.00 and 9.02), so a size this close to the line counts as on it.
SIZE_NOISE_PT = 0.05

SPREADSHEET_NAMESPACE = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
CELL_TAG = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}c"
TEXT_TAG = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}t"


def column_number(letters):
    """'A' -> 1, 'O' -> 15, 'AA' -> 27."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def read_xlsx(path):
    """What the file asks for: the body's font size before scaling, the number of bordered table
    columns, the repeated columns (e.g. 'A:B', or None), and the page setup it sets."""
    with zipfile.ZipFile(path) as xlsx:
        styles = ElementTree.fromstring(xlsx.read("xl/styles.xml"))
        # Every built-in report is a single sheet, written as sheet1.
        sheet = ElementTree.fromstring(xlsx.read("xl/worksheets/sheet1.xml"))
        workbook = xlsx.read("xl/workbook.xml").decode("utf-8")
        shared_strings = []
        if "xl/sharedStrings.xml" in xlsx.namelist():
            strings = ElementTree.fromstring(xlsx.read("xl/sharedStrings.xml"))
            for item in strings.findall("x:si", SPREADSHEET_NAMESPACE):
                shared_strings.append("".join(t.text or "" for t in item.iter(TEXT_TAG)))

    font_sizes = [float(font.find("x:sz", SPREADSHEET_NAMESPACE).get("val"))
                  for font in styles.find("x:fonts", SPREADSHEET_NAMESPACE)]
    cell_formats = styles.find("x:cellXfs", SPREADSHEET_NAMESPACE)
    format_font_size = [font_sizes[int(xf.get("fontId", 0))] for xf in cell_formats]
    format_has_border = [int(xf.get("borderId", 0)) != 0 for xf in cell_formats]

    # The body size is the size most of the written characters have (the data rows dominate).
    characters_by_size = collections.Counter()
    bordered_columns = set()
    for cell in sheet.iter(CELL_TAG):
        style = int(cell.get("s", 0))
        column = column_number(re.match(r"[A-Z]+", cell.get("r")).group())
        if format_has_border[style]:
            bordered_columns.add(column)
        value = cell.find("x:v", SPREADSHEET_NAMESPACE)
        if cell.get("t") == "inlineStr":
            text = "".join(t.text or "" for t in cell.iter(TEXT_TAG))
        elif cell.get("t") == "s" and value is not None:
            text = shared_strings[int(value.text)]
        else:
            text = value.text if value is not None and value.text else ""
        characters_by_size[format_font_size[style]] += len(text.strip())
    body_size = characters_by_size.most_common(1)[0][0]
    table_columns = max(bordered_columns) - min(bordered_columns) + 1 if bordered_columns else 0

    # _xlnm.Print_Titles looks like  'Sheet'!$A:$B,'Sheet'!$3:$3  (columns, rows, or both).
    repeated_columns = None
    titles = re.search(r'<definedName name="_xlnm\.Print_Titles"[^>]*>([^<]*)<', workbook)
    if titles:
        columns = re.search(r"!\$([A-Z]+):\$([A-Z]+)(?:,|$)", titles.group(1))
        if columns:
            repeated_columns = f"{columns.group(1)}:{columns.group(2)}"

    page_setup = sheet.find("x:pageSetup", SPREADSHEET_NAMESPACE)
    fits_to_page = sheet.find("x:sheetPr/x:pageSetUpPr[@fitToPage='1']", SPREADSHEET_NAMESPACE) is not None
    if fits_to_page:
        asked = "fit to width" if page_setup.get("fitToHeight") == "0" else "fit to page"
    elif page_setup is not None and page_setup.get("scale"):
        asked = f"set to {page_setup.get('scale')}%"
    else:
        asked = "no scaling set"
    return body_size, table_columns, repeated_columns, asked


def read_pdf(path):
    """What was printed, per page: each character's size with its text line, and the x positions
    of the table's vertical borders."""
    pages = []
    for layout in extract_pages(path):
        characters = []  # (printed size, page number, text of its line)
        border_positions = set()

        def walk(item):
            if isinstance(item, LTTextLine):
                line_text = item.get_text().strip()
                for character in item:
                    if isinstance(character, LTChar) and character.get_text().strip():
                        characters.append((character.size, len(pages) + 1, line_text))
            elif isinstance(item, LTChar):
                # Text pdfminer leaves out of lines (inside a figure) still counts.
                if item.get_text().strip():
                    characters.append((item.size, len(pages) + 1, item.get_text()))
            elif isinstance(item, LTLine):
                # A cell border between two columns: a vertical line, taller than a few points.
                if abs(item.x1 - item.x0) < 1 and item.height > 3:
                    border_positions.add(round(item.x0))
            elif hasattr(item, "__iter__"):
                for child in item:
                    walk(child)

        walk(layout)
        pages.append((characters, sorted(border_positions)))
    return pages


def main():
    report_id, xlsx_path, pdf_path = sys.argv[1:4]
    body_size, table_columns, repeated_columns, asked = read_xlsx(xlsx_path)
    pages = read_pdf(pdf_path)
    characters = [character for page_characters, _ in pages for character in page_characters]
    if not characters:
        print(f"FAIL {report_id}: the PDF has no text at all ({pdf_path})")
        return 1

    # The scale LibreOffice used: the body's printed size over its size in the file.
    printed_sizes = collections.Counter(round(size, 1) for size, _, _ in characters)
    printed_body_size = printed_sizes.most_common(1)[0][0]
    scale_percent = round(100 * printed_body_size / body_size)

    smallest_size, smallest_page, smallest_line = min(characters)

    # A page that shows fewer table columns than the sheet has means the columns were split
    # across pages. Pages without a table (a footnote carried over) have no borders to count.
    columns_per_page = [len(borders) - 1 for _, borders in pages if len(borders) >= 2]
    columns_split = any(count < table_columns for count in columns_per_page)
    # Repeated columns print at the same place on every page, so every table page must start
    # with the same borders as page 1.
    repeated_in_pdf = False
    if repeated_columns:
        first, last = (column_number(letters) for letters in repeated_columns.split(":"))
        key_borders = [borders[: last - first + 2] for _, borders in pages if len(borders) >= 2]
        repeated_in_pdf = all(borders == key_borders[0] for borders in key_borders)

    page_word = "page" if len(pages) == 1 else "pages"
    summary = f"{report_id}: scale {scale_percent}% ({asked}), smallest text {smallest_size:.1f} pt"
    summary += f", {len(pages)} {page_word}"
    if columns_split and repeated_in_pdf:
        summary += f", columns split across pages with {repeated_columns} repeated"
    elif columns_split:
        summary += ", columns split across pages"
    print(summary)

    problems = []
    too_small = [size for size, _, _ in characters if size < SMALLEST_READABLE_TEXT_PT - SIZE_NOISE_PT]
    if too_small:
        problems.append(f"{len(too_small)} of {len(characters)} characters printed below "
                        f"{SMALLEST_READABLE_TEXT_PT:g} pt, the smallest at {smallest_size:.1f} pt "
                        f"(page {smallest_page}: “{smallest_line[:40]}”)")
    if scale_percent < SMALLEST_READABLE_SCALE_PERCENT and not (columns_split and repeated_in_pdf):
        problems.append(f"printed at {scale_percent}% scale, below {SMALLEST_READABLE_SCALE_PERCENT}% "
                        f"(the file asks: {asked}; its {body_size:g} pt body text prints at "
                        f"{printed_body_size:.1f} pt)")
    # A number or date too wide for its column prints as ### (Excel and LibreOffice alike).
    overflowing = sorted({line for _, _, line in characters if "###" in line})
    if overflowing:
        problems.append(f"{len(overflowing)} cells print as ### (a number or date wider than its "
                        f"column), e.g. “{overflowing[0][:40]}”")
    if columns_split and not repeated_in_pdf:
        problems.append(f"columns split across pages without the key columns repeated on each page "
                        f"(Print_Titles columns in the xlsx: {repeated_columns or 'none'})")
    for problem in problems:
        print(f"FAIL {report_id}: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
