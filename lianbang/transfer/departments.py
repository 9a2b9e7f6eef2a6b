"""Department screening lists (部门筛查预警, DOMAIN §8): one template per department, and the
thresholds that decide which rows are warnings. Matching and applying are in ``screening.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lianbang.accounts.models import Department
from lianbang.transfer.columns import Kind, header_key

# Defaults of the configurable thresholds (an administrator overrides them in the admin).
THRESHOLDS: dict[str, tuple[str, Decimal]] = {
    "medical_security.priority": ("医保：脱贫户和监测对象合规自付医疗费用", Decimal("5000")),
    "medical_security.others": ("医保：其他人员合规自付医疗费用", Decimal("20000")),
    "education.expense": ("教育：非义务教育阶段教育支出", Decimal("10000")),
}


def threshold(key: str) -> Decimal:
    from lianbang.transfer.models import ScreeningThreshold

    stored = ScreeningThreshold.objects.filter(key=key).values_list("amount", flat=True).first()
    return stored if stored is not None else THRESHOLDS[key][1]


@dataclass(frozen=True)
class ListColumn:
    key: str
    title: str
    kind: Kind
    required: bool = False
    synonyms: tuple[str, ...] = ()
    example: object = ""


ID = ListColumn(
    "id_number", "证件号码", Kind.ID, True, ("身份证号", "身份证号码", "公民身份号码", "证件号"), ""
)
NAME = ListColumn("name", "姓名", Kind.TEXT, False, ("人员姓名", "患者姓名", "学生姓名"), "")
YEAR = ListColumn("year", "年度", Kind.INT, False, ("结算年度", "统计年度"), 2026)


@dataclass(frozen=True)
class ListTemplate:
    department: str
    title: str
    note: str
    columns: tuple[ListColumn, ...]

    @property
    def label(self) -> str:
        return str(Department(self.department).label)

    def lookup(self, text: object) -> str | None:
        key = header_key(text)
        for column in self.columns:
            if key and key in {header_key(s) for s in (column.title, column.key, *column.synonyms)}:
                return column.key
        return None


def _t(department: Department, title: str, note: str, *columns: ListColumn) -> ListTemplate:
    return ListTemplate(department.value, title, note, (ID, NAME, *columns))


D = Department
TEMPLATES: dict[str, ListTemplate] = {
    t.department: t
    for t in (
        _t(
            D.MEDICAL_SECURITY,
            "医保 合规自付医疗费用名单",
            "年度累计合规自付医疗费用；脱贫户和监测对象达到阈值A、其他人员达到阈值B的计入该户收入记录的合规自付医疗支出",
            ListColumn(
                "amount",
                "合规自付医疗费用",
                Kind.MONEY,
                True,
                ("合规自付", "合规自付金额", "个人自付合规费用"),
                23000,
            ),
            YEAR,
        ),
        _t(
            D.HEALTH,
            "卫健 新确诊大病名单",
            "新确诊的大病（或慢性病）：记为成员的确诊事件并更新健康状况",
            ListColumn("diagnosed_on", "确诊日期", Kind.DATE, True, ("诊断日期", "确诊时间"), "2026-10-08"),
            ListColumn("category", "病种类别", Kind.TEXT, False, ("类别",), "大病"),
            ListColumn("disease", "疾病名称", Kind.TEXT, False, ("病种", "诊断"), ""),
        ),
        _t(
            D.EDUCATION,
            "教育 辍学及教育支出名单",
            "辍学：记为辍学事件，在校生状况改为辍学；非义务教育支出达到阈值的计入该户收入记录的教育支出",
            ListColumn("dropout_on", "辍学日期", Kind.DATE, False, ("辍学时间",), "2026-09-15"),
            ListColumn("expense", "非义务教育支出", Kind.MONEY, False, ("教育支出", "教育费用"), ""),
            YEAR,
        ),
        _t(
            D.CIVIL_AFFAIRS,
            "民政 低保特困变动名单",
            "低保、特困供养的纳入或退出：更新成员的救助信息",
            ListColumn("benefit", "救助类型", Kind.TEXT, True, ("保障类型", "类型"), "低保"),
            ListColumn("change", "变动类型", Kind.TEXT, True, ("变动情况", "变动"), "纳入"),
            ListColumn("changed_on", "变动日期", Kind.DATE, False, ("变动时间",), "2026-10-01"),
        ),
        _t(
            D.HUMAN_RESOURCES,
            "人社 失业登记名单",
            "失业登记：记为失业事件，登记日期前开始的务工信息清空",
            ListColumn(
                "registered_on", "失业登记日期", Kind.DATE, True, ("登记日期", "失业日期"), "2026-10-20"
            ),
            ListColumn("employer", "原就业单位", Kind.TEXT, False, ("原单位",), ""),
        ),
        _t(
            D.DISABLED_FEDERATION,
            "残联 新增或加重残疾名单",
            "新办或换发残疾证：健康状况改为残疾并记下类别、等级和事件",
            ListColumn("disability_type", "残疾类别", Kind.TEXT, True, ("残疾类型",), "肢体"),
            ListColumn("grade", "残疾等级", Kind.INT, True, ("等级",), 2),
            ListColumn("certified_on", "办证日期", Kind.DATE, True, ("评定日期", "发证日期"), "2026-10-12"),
        ),
        _t(
            D.EMERGENCY,
            "应急 受灾人员名单",
            "受灾：记为该户的自然灾害事件（损失金额、房屋是否受损）",
            ListColumn("occurred_on", "受灾日期", Kind.DATE, True, ("灾害日期", "受灾时间"), "2026-08-03"),
            ListColumn("loss", "直接经济损失", Kind.MONEY, False, ("损失金额", "经济损失"), 12000),
            ListColumn("house_damaged", "房屋是否受损", Kind.BOOL, False, ("房屋受损",), "否"),
            ListColumn("disaster", "灾害类型", Kind.TEXT, False, ("灾种",), "洪涝"),
        ),
        _t(
            D.HOUSING,
            "住建 住房安全鉴定名单",
            "住房安全鉴定结果（安全/不安全，或 A、B 级安全，C、D 级不安全）：更新该户住房是否安全",
            ListColumn(
                "safe",
                "住房是否安全",
                Kind.TEXT,
                True,
                ("鉴定结果", "住房安全鉴定结果", "住房安全"),
                "不安全",
            ),
            ListColumn("assessed_on", "鉴定日期", Kind.DATE, False, ("鉴定时间",), "2026-09-20"),
        ),
        _t(
            D.WATER,
            "水利 饮水安全名单",
            "饮水安全核查结果：更新该户饮水是否安全",
            ListColumn("safe", "饮水是否安全", Kind.TEXT, True, ("饮水安全", "核查结果"), "不安全"),
            ListColumn("assessed_on", "核查日期", Kind.DATE, False, ("核查时间",), "2026-09-20"),
        ),
    )
}
