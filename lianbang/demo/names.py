"""Names, places and employers that read like Dongchuan (东川, Kunming, Yunnan).

Frequencies are rough, for realism only. Employer names are invented from parts and do not
name real companies.
"""

from __future__ import annotations

import random

from lianbang.demo.draws import Weighted, integer, one_of

# Surname frequencies (per mille, roughly), tilted to Yunnan where 李 杨 张 赵 are common.
SURNAMES = Weighted(
    [
        ("李", 95),
        ("张", 78),
        ("王", 70),
        ("杨", 62),
        ("刘", 45),
        ("陈", 42),
        ("赵", 32),
        ("黄", 20),
        ("周", 20),
        ("吴", 18),
        ("罗", 18),
        ("马", 16),
        ("徐", 14),
        ("朱", 13),
        ("何", 13),
        ("胡", 12),
        ("孙", 12),
        ("高", 11),
        ("郭", 10),
        ("林", 9),
        ("段", 9),
        ("唐", 9),
        ("谢", 8),
        ("宋", 8),
        ("郑", 8),
        ("梁", 7),
        ("韩", 7),
        ("冯", 7),
        ("董", 7),
        ("邓", 7),
        ("曹", 6),
        ("彭", 6),
        ("许", 6),
        ("蒋", 6),
        ("沈", 5),
        ("田", 6),
        ("付", 6),
        ("钱", 4),
        ("袁", 5),
        ("余", 6),
        ("肖", 5),
        ("龚", 4),
        ("汪", 4),
        ("卢", 5),
        ("鲁", 5),
        ("尹", 5),
        ("苏", 5),
        ("饶", 4),
        ("施", 4),
        ("毛", 4),
        ("邹", 4),
        ("熊", 5),
        ("严", 3),
        ("雷", 4),
        ("吕", 4),
        ("范", 4),
        ("包", 3),
        ("普", 3),
        ("代", 4),
        ("左", 3),
    ]
)
# Surnames frequent among the district's minority peoples, used for about half of them.
ETHNIC_SURNAMES = {
    "彝族": Weighted([("李", 6), ("普", 5), ("罗", 4), ("杨", 3), ("毕", 2), ("者", 1), ("禄", 1)]),
    "回族": Weighted([("马", 8), ("纳", 3), ("沙", 3), ("丁", 2), ("白", 2), ("撒", 1)]),
    "苗族": Weighted([("王", 4), ("杨", 4), ("陶", 3), ("项", 3), ("熊", 3), ("韩", 2)]),
}
ETHNICITIES = Weighted([("汉族", 86.0), ("彝族", 8.5), ("回族", 3.0), ("苗族", 2.0), ("布依族", 0.5)])

_MALE_OLDER = "国建明华文平志德福荣贵发学正兴光永金成富忠顺昌祥林海云春生才友全洪军勇强兵伟刚东有家开万新保元"
_MALE_YOUNGER = (
    "浩宇轩子俊杰涛鹏磊博翔睿泽晨阳鑫豪航皓辰凯铭宸然文一天思嘉明锦逸霖诚毅峰斌超亮飞龙健森宏志旭振"
)
_FEMALE_OLDER = "秀英兰芳珍桂凤玉梅琼花翠莲菊美琴云芬萍丽红艳华春燕霞娟敏仙会存粉香"
_FEMALE_YOUNGER = "欣怡梓涵雨萱思佳悦诗婷琳雪静慧瑶妍可馨紫晨语彤若曦一婉丹倩颖丽娜敏洁玉月梦晓"
_GIVEN = {
    ("M", False): _MALE_OLDER,
    ("M", True): _MALE_YOUNGER,
    ("F", False): _FEMALE_OLDER,
    ("F", True): _FEMALE_YOUNGER,
}


def pick_surname(rng: random.Random, ethnicity: str) -> str:
    ethnic = ETHNIC_SURNAMES.get(ethnicity)
    if ethnic is not None and rng.random() < 0.5:
        return ethnic.pick(rng)
    return SURNAMES.pick(rng)


def person_name(rng: random.Random, surname: str, sex: str, birth_year: int) -> str:
    """Surname + one or two given-name characters; names changed with the generations."""
    younger = birth_year >= 1990 if rng.random() < 0.85 else birth_year < 1990
    pool = _GIVEN[sex, younger]
    first = one_of(rng, pool)
    if rng.random() < 0.22:
        return surname + first
    if younger and rng.random() < 0.04:
        return surname + first + first  # 婷婷, 明明
    return surname + first + one_of(rng, pool)


def phone_number(rng: random.Random) -> str:
    """A mobile number matching ^1[3-9]\\d{9}$ (DOMAIN §9)."""
    prefix = one_of(rng, _PHONE_PREFIXES)
    return f"{prefix}{integer(rng, 0, 99_999_999):08d}"


_PHONE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "147",
    "150",
    "151",
    "152",
    "153",
    "155",
    "157",
    "158",
    "159",
    "166",
    "173",
    "177",
    "180",
    "181",
    "182",
    "183",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
)

# Dongchuan's towns, where the relocated households came from (迁出地), and village names.
_TOWNS = ("汤丹镇", "因民镇", "阿旺镇", "乌龙镇", "红土地镇", "拖布卡镇", "舍块乡", "铜都街道")
_VILLAGE_STEMS = (
    "岔河",
    "大水井",
    "小田坝",
    "新田",
    "老村",
    "箐口",
    "石羊",
    "龙潭",
    "梨园",
    "松林",
    "白泥井",
    "黑山",
    "中村",
    "大坪子",
    "落雪",
    "菜园",
    "马鞍山",
    "小河",
    "干沟",
    "凹子",
    "头村",
    "格勒",
    "野牛坪",
    "青龙",
    "海子",
    "碑根",
    "杉木",
    "沙坝",
)
VILLAGES = tuple(f"{town}{stem}村" for town in _TOWNS for stem in _VILLAGE_STEMS)

_BRANDS = (
    "鑫达",
    "恒通",
    "华兴",
    "宏远",
    "永盛",
    "福源",
    "金桥",
    "锦程",
    "瑞丰",
    "嘉和",
    "天成",
    "兴业",
    "隆昌",
    "盛泰",
    "润和",
    "新宇",
    "联创",
    "博源",
)
_TOWNSHIP_EMPLOYERS = (
    "安置区帮扶车间（服装加工）",
    "安置区帮扶车间（电子组装）",
    "安置区帮扶车间（手工编织）",
    "安置区物业服务中心",
    "社区便民服务中心",
    "安置区扶贫超市",
    "铜都街道农贸市场",
    "个体经营（餐饮）",
    "个体经营（零售）",
    "个体经营（运输）",
)
_COUNTY_TRADES = (
    "建材有限公司",
    "农业开发有限公司",
    "矿业有限公司",
    "商贸有限公司",
    "建筑工程有限公司",
    "中药材种植专业合作社",
    "运输有限公司",
)
_PROVINCE_PLACES = ("昆明", "曲靖", "玉溪", "安宁", "嵩明")
_PROVINCE_TRADES = (
    "物流有限公司",
    "建筑劳务有限公司",
    "食品有限公司",
    "物业管理有限公司",
    "餐饮管理有限公司",
    "家政服务有限公司",
    "机械制造有限公司",
)
_COAST_PLACES = ("宁波", "东莞", "上海", "苏州", "杭州", "深圳", "广州", "温州")
_COAST_TRADES = (
    "电子有限公司",
    "服装有限公司",
    "精密制造有限公司",
    "物流有限公司",
    "家具有限公司",
    "汽车配件有限公司",
)

#: Employers by 务工所在地 code.
EMPLOYERS: dict[str, tuple[str, ...]] = {
    "in_township": _TOWNSHIP_EMPLOYERS,
    "in_county": tuple(f"东川区{b}{t}" for b in _BRANDS for t in _COUNTY_TRADES),
    "in_province": tuple(f"{p}{b}{t}" for p in _PROVINCE_PLACES for b in _BRANDS for t in _PROVINCE_TRADES),
    "out_of_province": tuple(f"{p}{b}{t}" for p in _COAST_PLACES for b in _BRANDS for t in _COAST_TRADES),
}
PUBLIC_WELFARE_EMPLOYERS = (
    "安置区公益性岗位（保洁）",
    "安置区公益性岗位（治安巡逻）",
    "安置区公益性岗位（护林防火）",
    "安置区公益性岗位（楼栋管理）",
)
#: 就业渠道 by 务工所在地: the "五个一批" channels plus self-found work.
CHANNELS: dict[str, Weighted[str]] = {
    "in_township": Weighted([("帮扶车间吸纳", 5), ("产业带动", 3), ("自主就业", 2)]),
    "in_county": Weighted([("园区带动", 5), ("产业带动", 3), ("自主就业", 2)]),
    "in_province": Weighted([("主城帮扶转移", 6), ("自主就业", 4)]),
    "out_of_province": Weighted([("劳务输出", 6), ("自主就业", 4)]),
}

STREET_NAMES = ("铜都街道", "碧谷街道")
_NAME_HEADS = "馨康和福安乐惠祥泰兴宁瑞丰盛嘉荣"
_NAME_TAILS = "安泰悦园苑居城景华源盛康"


def place_name(index: int, suffix: str) -> str:
    """A unique two-character place name for ``index`` (0-based): 馨安社区, 康泰社区 …"""
    combos = len(_NAME_HEADS) * len(_NAME_TAILS)
    head, tail = divmod(index % combos, len(_NAME_TAILS))
    name = _NAME_HEADS[head] + _NAME_TAILS[tail]
    return f"{name}{index // combos + 1}{suffix}" if index >= combos else f"{name}{suffix}"


def street_name(index: int) -> str:
    if index < len(STREET_NAMES):
        return STREET_NAMES[index]
    return place_name(index, "街道")


_DIGITS = "零一二三四五六七八九"


def chinese_number(value: int) -> str:
    """1 → 一, 11 → 十一, 25 → 二十五; larger numbers stay in Arabic digits."""
    if not 0 < value < 100:
        return str(value)
    tens, ones = divmod(value, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")
