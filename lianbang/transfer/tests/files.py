"""Spreadsheets built by the tests themselves: .xlsx (xlsxwriter), .xls (xlwt), .csv."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from lianbang.common.validators import id_check_char

Merge = tuple[int, int, int, int, Any]  # first row, first col, last row, last col, value

HEADER = [
    "户编号",
    "户主姓名",
    "姓名",
    "证件号码",
    "与户主关系",
    "性别",
    "出生日期",
    "民族",
    "文化程度",
    "在校生状况",
    "健康状况",
    "劳动技能",
    "务工所在地",
    "务工时间",
    "务工企业名称",
    "是否参加城乡居民基本医疗保险",
    "工资性收入",
    "生产经营性收入",
    "财产性收入",
    "转移性收入",
    "生产经营性支出",
    "人均纯收入",
    "联系电话",
    "户类型",
    "楼栋",
    "单元",
    "楼层",
    "房号",
]


def valid_id(first17: str) -> str:
    return first17 + id_check_char(first17)


def excel_serial(day: date) -> int:
    return (day - date(1899, 12, 30)).days


def household_rows(
    number: str = "530113-000001", room: str = "302", ids: Sequence[str] | None = None
) -> list[list[Any]]:
    """One household of three in the national layout (DOMAIN §10's sample family); with other
    ``ids`` the birth dates and sexes follow the ID numbers."""
    head, wife, son = ids or ("530113198001010014", "530113198503150025", "530113201006010034")
    common = ["脱贫户", "7", "2", 3, room]
    income = [42000, 0, 300, 1800, 0, 14700]
    return [
        [
            number,
            "张三",
            "张三",
            head,
            "户主",
            _sex(head),
            _birth(head),
            "汉族",
            "初中",
            "",
            "健康",
            "普通劳动力",
            "县外省内",
            "2025-03-01",
            "某电子厂",
            "是",
            *income,
            "13812345678",
            *common,
        ],
        [
            number,
            "张三",
            "李梅",
            wife,
            "配偶",
            _sex(wife),
            _birth(wife),
            "汉族",
            "小学",
            "",
            "健康",
            "普通劳动力",
            "",
            "",
            "",
            "是",
            *income,
            "13812345678",
            *common,
        ],
        [
            number,
            "张三",
            "张小明",
            son,
            "之子",
            _sex(son),
            _birth(son),
            "汉族",
            "",
            "初中",
            "健康",
            "无劳动力",
            "",
            "",
            "",
            "是",
            *income,
            "13812345678",
            *common,
        ],
    ]


def _birth(id_number: str) -> str:
    return f"{id_number[6:10]}-{id_number[10:12]}-{id_number[12:14]}"


def _sex(id_number: str) -> str:
    return "男" if int(id_number[16]) % 2 else "女"


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    merges: Sequence[Merge] = (),
    start_row: int = 0,
    text_columns: Sequence[int] = (),
) -> Path:
    """Numbers stay numbers and text stays text, as a clerk's Excel would keep them."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("户信息")
    day_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for first_row, first_col, last_row, last_col, value in merges:
        sheet.merge_range(first_row, first_col, last_row, last_col, value)
    merged_cells = {(m[0], m[1]) for m in merges}
    for r, row in enumerate(rows, start=start_row):
        for c, value in enumerate(row):
            if (r, c) in merged_cells or value is None or value == "":
                continue
            if c in text_columns or isinstance(value, str):
                sheet.write_string(r, c, str(value))
            elif isinstance(value, date):
                sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), day_format)
            else:
                sheet.write(r, c, value)
    workbook.close()
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["" if v is None else v for v in row] for row in rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xls(path: Path, rows: Sequence[Sequence[Any]]) -> Path:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("户信息")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    workbook.save(str(path))
    return path
