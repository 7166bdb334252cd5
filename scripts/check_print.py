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
    page cannot be matched to a person), and
  - the 填报单位 / 填报日期 row is printed whole on page 1, and no page prints a cut-off piece of
    it, and
  - no character is printed across a cell border (a header or a cell wider or taller than its
    cell), and
  - on a table one page wide, the title stands in the middle of the table and the table in the
    middle of the page, and
  - a form that fits on one page prints on one: no columns split off although the table fits one
    page wide at the smallest readable scale, no rows carried onto a second page although every
    page's content together fits the height of one.
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
    texts_by_row = collections.defaultdict(list)
    for cell in sheet.iter(CELL_TAG):
        value = cell.find("x:v", SPREADSHEET_NAMESPACE)
        if cell.get("t") == "inlineStr":
            text = "".join(t.text or "" for t in cell.iter(TEXT_TAG))
        elif cell.get("t") == "s" and value is not None:
            text = shared_strings[int(value.text)]
        else:
            continue
        texts_by_row[int(re.search(r"\d+", cell.get("r")).group())].append(text)
    title = "".join(texts_by_row.get(1, []))
    meta = [text for text in texts_by_row.get(2, []) if "填报" in text]
    # Each piece of the meta row (填报单位：…, 填报人：…, 填报日期：…) on its own.
    meta_pieces = [piece for text in meta for piece in re.split(r"[\s\u3000]+", text) if piece]
    column_widths = []
    for column in sheet.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}col"):
        count = int(column.get("max")) - int(column.get("min")) + 1
        column_widths += [float(column.get("width"))] * count
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
    return body_size, table_columns, repeated_columns, asked, title, meta_pieces, column_widths


def read_pdf(path):
    """What was printed, per page: each character's size with its text line, the x positions of
    the table's vertical borders, and for the layout checks every character's box, every border
    line, every text line and the page's size."""
    pages = []
    for layout in extract_pages(path):
        characters = []  # (printed size, page number, text of its line)
        border_positions = set()
        boxes = []  # (x0, y0, x1, y1, character)
        lines = []  # (x0, y0, x1, y1) of each border line
        text_lines = []  # (x0, y0, x1, y1, text)

        def walk(item):
            if isinstance(item, LTTextLine):
                line_text = item.get_text().strip()
                text_lines.append((item.x0, item.y0, item.x1, item.y1, line_text))
                for character in item:
                    if isinstance(character, LTChar) and character.get_text().strip():
                        characters.append((character.size, len(pages) + 1, line_text))
                        boxes.append((character.x0, character.y0, character.x1, character.y1,
                                      character.get_text()))
            elif isinstance(item, LTChar):
                # Text pdfminer leaves out of lines (inside a figure) still counts.
                if item.get_text().strip():
                    characters.append((item.size, len(pages) + 1, item.get_text()))
            elif isinstance(item, LTLine):
                lines.append((item.x0, item.y0, item.x1, item.y1))
                # A cell border between two columns: a vertical line, taller than a few points.
                if abs(item.x1 - item.x0) < 1 and item.height > 3:
                    border_positions.add(round(item.x0))
            elif hasattr(item, "__iter__"):
                for child in item:
                    walk(child)

        walk(layout)
        pages.append((characters, sorted(border_positions), boxes, lines, text_lines, layout.bbox))
    return pages


def crossing(boxes, lines):
    """Characters a border line passes through: text printed over the edge of its cell."""
    crossed = []
    for x0, y0, x1, y1, character in boxes:
        width, height = x1 - x0, y1 - y0
        inner = (x0 + 0.3 * width, y0 + 0.3 * height, x1 - 0.3 * width, y1 - 0.3 * height)
        for lx0, ly0, lx1, ly1 in lines:
            vertical = abs(lx1 - lx0) < 1
            if vertical and inner[0] < lx0 < inner[2] and min(ly0, ly1) < inner[1] and max(ly0, ly1) > inner[3]:
                crossed.append(character)
                break
            if not vertical and abs(ly1 - ly0) < 1 and inner[1] < ly0 < inner[3] \
                    and min(lx0, lx1) < inner[0] and max(lx0, lx1) > inner[2]:
                crossed.append(character)
                break
    return crossed


def main():
    report_id, xlsx_path, pdf_path = sys.argv[1:4]
    body_size, table_columns, repeated_columns, asked, title, meta_pieces, column_widths = read_xlsx(xlsx_path)
    pages = read_pdf(pdf_path)
    characters = [character for page in pages for character in page[0]]
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
    columns_per_page = [len(page[1]) - 1 for page in pages if len(page[1]) >= 2]
    columns_split = any(count < table_columns for count in columns_per_page)
    # Repeated columns print at the same place on every page, so every table page must start
    # with the same borders as page 1.
    repeated_in_pdf = False
    if repeated_columns:
        first, last = (column_number(letters) for letters in repeated_columns.split(":"))
        key_borders = [page[1][: last - first + 2] for page in pages if len(page[1]) >= 2]
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
    problems += layout_problems(pages, title, meta_pieces, column_widths, columns_split)
    for problem in problems:
        print(f"FAIL {report_id}: {problem}")
    return 1 if problems else 0


# The widest table (in column width units, padding included) that fits A4 landscape with the
# default margins at 82%, the smallest scale that keeps 11 pt text at 9 pt (src/report/xlsx.rs).
ONE_PAGE_WIDE_UNITS = 135 / 0.82
COLUMN_PADDING_UNITS = 0.71
PAGE_FOOTER = re.compile(r"^第\s*\d+\s*页")


def squeeze(text):
    return re.sub(r"[\s\u3000]+", "", text)


def layout_problems(pages, title, meta_pieces, column_widths, columns_split):
    """The layout checks of the print: a clipped meta row, text across a border, an off-centre
    title, a form that fits one page printed on two."""
    problems = []
    first_text = squeeze("".join(line[4] for line in pages[0][4]))
    for piece in meta_pieces:
        if squeeze(piece) not in first_text:
            problems.append(f"the meta row is cut off on page 1: “{piece}” is not printed whole")
    for number, page in enumerate(pages[1:], start=2):
        for line in page[4]:
            text = squeeze(line[4])
            # A cut piece keeps its label's colon (填报单位：青山); a column headed 联系电话 is
            # not a piece of the meta row.
            if "：" in text and any(text != squeeze(piece) and squeeze(piece).startswith(text)
                                   for piece in meta_pieces):
                problems.append(f"page {number} prints a cut-off piece of the meta row: “{line[4]}”")
    for number, page in enumerate(pages, start=1):
        crossed = crossing(page[2], page[3])
        if crossed:
            problems.append(f"page {number}: {len(crossed)} characters printed across a cell border "
                            f"(a header or cell wider or taller than its cell), e.g. “{''.join(crossed[:12])}”")
    first_page = pages[0]
    verticals = [line for line in first_page[3] if abs(line[2] - line[0]) < 1]
    title_lines = [line for line in first_page[4] if title and squeeze(line[4]) == squeeze(title)]
    if verticals and title_lines and not columns_split:
        left = min(line[0] for line in verticals)
        right = max(line[0] for line in verticals)
        table_middle = (left + right) / 2
        title_middle = (title_lines[0][0] + title_lines[0][2]) / 2
        page_middle = (first_page[5][0] + first_page[5][2]) / 2
        if abs(title_middle - table_middle) > 0.02 * (right - left):
            problems.append(f"the title is off the middle of the table by {title_middle - table_middle:.0f} pt")
        if abs(table_middle - page_middle) > 0.03 * (first_page[5][2] - first_page[5][0]):
            problems.append(f"the table is off the middle of the page by {table_middle - page_middle:.0f} pt")
    table_units = sum(width + COLUMN_PADDING_UNITS for width in column_widths)
    if columns_split and table_units <= ONE_PAGE_WIDE_UNITS:
        problems.append(f"columns split across pages although the table ({table_units:.0f} units) "
                        f"fits one page wide ({ONE_PAGE_WIDE_UNITS:.0f})")
    if len(pages) > 1 and not columns_split:
        def height(page):
            tops = [line[3] for line in page[4] if not PAGE_FOOTER.match(line[4])] + \
                [max(line[1], line[3]) for line in page[3]]
            bottoms = [line[1] for line in page[4] if not PAGE_FOOTER.match(line[4])] + \
                [min(line[1], line[3]) for line in page[3]]
            return max(tops) - min(bottoms) if tops else 0
        # What a page holds: its height less the default margins (0.75 in at top and bottom,
        # with the page number in the bottom one).
        usable = (pages[0][5][3] - pages[0][5][1]) - 2 * 54
        total = sum(height(page) for page in pages)
        if total <= usable:
            problems.append(f"{len(pages)} pages, though everything on them ({total:.0f} pt) fits one "
                            f"({usable:.0f} pt)")
    return problems


if __name__ == "__main__":
    sys.exit(main())
