"""The messy household file of the import tests, in .xlsx and .csv form.

Title merged across the top, a blank row, a two-row header with merged group cells, columns
in a shuffled order under synonyms and with full-width spaces, numbers stored as text with
元 and thousands separators, dates as text (2025.03, 1985-3-15, 20100601) and Excel serials,
full-width digits and a lower-case x in ID numbers, an ID number Excel turned into a float.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from lianbang.transfer.tests.files import Merge, excel_serial, valid_id

SUB_HEADER = [
    "",
    "姓\u3000名",
    "身份证号\u3000",
    "与户主关系",
    "性别",
    "出生日期",
    "文化程度",
    "在校生状况",
    "劳动技能",
    "",
    "务工地点",
    "务工时间",
    "务工企业",
    "工资性收入（元）",
    "经营性收入",
    "财产性收入",
    "转移性收入",
    "生产经营性支出",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
]
GROUPS = {0: "户号", 9: "健康状况", 18: "是否参加城乡居民基本医疗保险", 19: "联系电话", 20: "户类型",
          21: "楼栋号", 22: "单元", 23: "房号", 24: "备注", 25: "村民小组"}  # fmt: skip
WIDTH = len(SUB_HEADER)
H2_HEAD = "53011319920715005x"
H2_WIFE_FLOAT = 5.3011319900101e17  # 530113199001010027 after Excel made it a number
H3_HEAD = "530113199001010019"
H4_BAD = valid_id("53011319880606001")[:-1] + ("1" if valid_id("53011319880606001")[-1] != "1" else "2")


def merges() -> list[Merge]:
    title = (0, 0, 0, WIDTH - 1, "东川区易地扶贫搬迁户家庭成员信息表（2025年度）")
    vertical = [(2, col, 3, col, text) for col, text in GROUPS.items()]
    groups = [(2, 1, 2, 8, "成员信息"), (2, 10, 2, 12, "务工情况"), (2, 13, 2, 17, "收入情况（元）")]
    return [title, *vertical, *groups]


def row(**values: Any) -> list[Any]:
    cells: list[Any] = [None] * WIDTH
    for index, value in values.items():
        cells[int(index.removeprefix("c"))] = value
    return cells


def household_cells(number: str, tail: dict[str, Any]) -> dict[str, Any]:
    return {"c0": number, **tail}


def data_rows(*, csv: bool = False) -> list[list[Any]]:
    """Rows 5–13 of the sheet (row numbers as Excel shows them)."""
    h1 = {
        "c18": "是",
        "c19": "13812345678" if csv else 13812345678.0,
        "c20": "脱贫户",
        "c21": "7" if csv else 7.0,
        "c22": "2",
        "c23": "302" if csv else 302.0,
        "c13": "42,000元",
        "c15": 300,
        "c16": "1,800",
    }
    h2 = {"c18": "是", "c20": "脱贫户", "c21": "7", "c22": "1", "c23": "101", "c13": "30000"}
    h3 = {
        "c18": "√",
        "c20": "一般户",
        "c21": "7",
        "c22": "1",
        "c23": "102",
        "c13": "5,000元",
        "c24": "新搬入",
    }
    h4 = {"c18": "是", "c20": "脱贫户", "c21": "7", "c22": "1", "c23": "103"}
    birth = "1980-01-01" if csv else date(1980, 1, 1)
    serial = str(excel_serial(date(2024, 5, 1))) if csv else excel_serial(date(2024, 5, 1))
    wife_id = "5.30113E+17" if csv else H2_WIFE_FLOAT
    return [
        # 5: 张三, ID in full-width digits with a trailing space; wage as "42,000元"
        row(
            **household_cells("530113-000001", h1),
            c1="张三",
            c2="５３０１１３１９８００１０１００１４ ",
            c3="户主",
            c4="男",
            c5=birth,
            c6="初中",
            c8="普通劳动力",
            c9="健康",
            c10="县外省内",
            c11="2025.03",
            c12="某电子厂",
        ),
        # 6: 李梅, a date typed as 1985-3-15
        row(
            **household_cells("530113-000001", h1),
            c1="李梅",
            c2="530113198503150025",
            c3="配偶",
            c4="女",
            c5="1985-3-15",
            c6="小学",
            c8="普通劳动力",
            c9="健康",
        ),
        # 7: 张小明, a date typed as 20100601
        row(
            **household_cells("530113-000001", h1),
            c1="张小明",
            c2="530113201006010034",
            c3="之子",
            c4="男",
            c5="20100601",
            c7="初中",
            c8="无劳动力",
            c9="健康",
        ),
        # 8: 王强, a lower-case x; the start of work as an Excel serial number
        row(
            **household_cells("530113-000002", h2),
            c1="王强",
            c2=H2_HEAD,
            c3="户主",
            c4="男",
            c6="高中",
            c8="技能劳动力",
            c9="健康",
            c10="省外",
            c11=serial,
            c12="某建筑公司",
        ),
        # 9: 赵丽, whose ID Excel stored as a number: the whole household is refused
        row(
            **household_cells("530113-000002", h2),
            c1="赵丽",
            c2=wife_id,
            c3="配偶",
            c4="女",
            c6="初中",
            c8="普通劳动力",
            c9="健康",
        ),
        row(),  # 10: an empty row is skipped
        # 11: 刘军, 乡（镇）外县内 in full-width brackets, 一般户, 20240801
        row(
            **household_cells("530113-000003", h3),
            c1="刘军",
            c2=H3_HEAD,
            c3="户主",
            c4="男",
            c6="初中",
            c8="普通劳动力",
            c9="健康",
            c10="乡（镇）外县内",
            c11="20240801",
            c12="县城物流园",
        ),
        # 12: a wrong check character
        row(
            **household_cells("530113-000004", h4),
            c1="陈芳",
            c2=H4_BAD,
            c3="户主",
            c4="女",
            c6="初中",
            c8="普通劳动力",
            c9="健康",
        ),
        # 13: no household number
        row(c1="无名", c2="530113198001010014", c3="户主", c8="普通劳动力", c9="健康", c6="初中"),
    ]


def sheet_rows(*, csv: bool = False) -> list[list[Any]]:
    """The whole sheet. For .csv the merged cells are spelled out the way Excel saves them."""
    title: list[Any] = ["东川区易地扶贫搬迁户家庭成员信息表（2025年度）"] + [None] * (WIDTH - 1)
    top: list[Any] = [None] * WIDTH
    for col, text in GROUPS.items():
        top[col] = text
    top[1], top[10], top[13] = "成员信息", "务工情况", "收入情况（元）"
    return [title, [None] * WIDTH, top, SUB_HEADER, *data_rows(csv=csv)]
