"""A county's sheet of returning people, as a township clerk gets it: ROWS rows over 5
townships × 30 villages × 45 grids (6,750 grids), the grid written 第3网格 or 第三网格, every
person with an ID number of their own, and 24 rows with a mistake a clerk makes (an ID number
whose check digit is wrong, a date that does not exist), so the import has problems to list.

    /usr/bin/python3 county_sheet.py OUT.xlsx ROWS

Needs openpyxl (Debian: python3-openpyxl); written in write-only mode so 100,000 rows take
little memory. Prints the sheet rows (1-based, the header is row 1) of the bad rows as JSON.
"""
import datetime
import json
import sys

import openpyxl

TOWNSHIPS = ["青山", "白水", "石门", "龙泉", "桃源"]
VILLAGES_PER_TOWNSHIP, GRIDS_PER_VILLAGE = 30, 45
HEADER = ["序号", "乡镇", "村", "网格", "姓名", "性别", "身份证号码", "联系电话", "户籍地址", "现住址",
          "返乡日期", "出发地", "交通工具", "车次", "返乡原因", "备注"]
DIGITS = "零一二三四五六七八九"
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "伟芳娜敏静强磊军洋勇艳杰"
BAD_ROWS = 24


def chinese(n):
    """1..99 in Chinese numerals, as villages write 第十二网格."""
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    return DIGITS[n // 10] + "十" + (DIGITS[n % 10] if n % 10 else "")


def check_digit(first17):
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS)) % 11]


def id_number(i):
    """A valid, unique ID number for row i: a birth date per block of 999, a sequence in it."""
    block, seq = divmod(i, 999)
    born = datetime.date(1950, 1, 1) + datetime.timedelta(days=block * 97)
    first17 = f"430124{born:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)


def main():
    out, rows = sys.argv[1], int(sys.argv[2])
    cells = len(TOWNSHIPS) * VILLAGES_PER_TOWNSHIP * GRIDS_PER_VILLAGE
    step = rows // BAD_ROWS
    bad = {step // 2 + k * step: ("id" if k % 2 == 0 else "date") for k in range(BAD_ROWS)}
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("返乡人员")
    sheet.append(HEADER)
    for i in range(rows):
        g = i % cells
        town, village, grid = g // (VILLAGES_PER_TOWNSHIP * GRIDS_PER_VILLAGE), g // GRIDS_PER_VILLAGE % VILLAGES_PER_TOWNSHIP, g % GRIDS_PER_VILLAGE + 1
        number = id_number(i)
        male = int(number[16]) % 2 == 1
        date = f"2026-{1 + i % 10:02d}-{1 + i % 28:02d}"
        if bad.get(i) == "id":
            number = number[:17] + ("0" if number[17] != "0" else "1")
        elif bad.get(i) == "date":
            date = "2026-02-30"
        sheet.append([
            str(i + 1), TOWNSHIPS[town] + "镇", "东西南北上下"[village % 6] + chinese(village // 6 + 1) + "村",
            f"第{chinese(grid)}网格" if i % 3 == 0 else f"第{grid}网格",
            SURNAMES[i % 10] + GIVEN[i // 10 % 12] + GIVEN[i // 120 % 12], "男" if male else "女", number,
            f"139{i:08d}", "湖南省长沙市宁乡市", f"{grid}组{i % 90 + 1}号", date,
            ["广东省深圳市南山区", "浙江省杭州市西湖区", "上海市浦东新区"][i % 3], ["高铁", "自驾", "飞机", "大巴"][i % 4],
            f"G{1000 + i % 900}", "探亲", None,
        ])
    book.save(out)
    print(json.dumps(sorted(i + 2 for i in bad)))


if __name__ == "__main__":
    main()
