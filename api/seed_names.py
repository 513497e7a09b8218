"""Names, numbers and places of the demo data set: Chinese vocabulary, valid phones and resident ID numbers.

Everything draws from one Faker (zh_CN) and one random.Random, both seeded by the caller, so that a seed always
gives the same data set. Names are unique across the whole data set (streets must be, compounds and communities
are by parent) so that a search finds what a demo script expects.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable
from datetime import date, timedelta

from faker import Faker
from faker.providers.person.zh_CN import Provider as PersonProvider
from stdnum.cn import ric

# Compounds built after the housing reform get estate names; older ones are named after the road or work unit.
ESTATE_WORDS = [
    "阳光", "幸福", "和谐", "金色", "翠竹", "锦绣", "书香", "康乐", "紫荆", "丽景", "碧水", "玉兰", "春晖", "嘉禾",
    "龙湖", "世纪", "星河", "悦澜", "馨园", "香榭", "明珠", "东方", "华府", "海棠", "桂花", "银杏", "枫林", "柳岸",
    "泉城", "鸿福", "瑞景", "怡和", "盛世", "融侨", "新城", "远洋", "中海", "绿地", "金地", "保利", "万科", "滨河",
    "御景", "文华", "雅苑", "清华", "博雅", "长安", "安泰", "盛和", "聚福", "新华", "建设", "朝阳", "晨光", "曙光",
]
ESTATE_SUFFIXES = ["花园", "家园", "小区", "苑", "公寓", "雅居", "名都", "华庭", "嘉园", "府", "城", "湾", "里", "新苑"]
OLD_SUFFIXES = ["小区", "新村", "宿舍", "北里", "南里", "东区", "西区", "家属院"]
WORK_UNITS = ["机床厂", "纺织厂", "电业局", "粮食局", "供销社", "钢铁厂", "造纸厂", "水利局", "化肥厂", "铁路局", "邮电局"]
COMMUNITY_WORDS = [
    "和平", "友谊", "团结", "光明", "振兴", "文化", "民主", "解放", "胜利", "前进", "建国", "永安", "太平", "安康",
    "新风", "长青", "向阳", "东风", "红旗", "青年", "育才", "花园", "春风", "南苑", "北苑", "西苑", "东苑", "百花",
]
FIRM_WORDS = [
    "金桥", "万家", "锦华", "安居", "恒信", "诚和", "鑫源", "宏达", "顺心", "嘉宝", "佳和", "邦德", "丰泽", "德润",
    "汇通", "华润", "信达", "诚信", "安泰", "家和", "乐居", "惠民", "同心", "红心", "明德", "润泽", "康宁", "百福",
]
FIRM_SUFFIXES = ["物业服务有限公司", "物业管理有限公司", "物业服务集团有限公司", "物业管理服务有限公司"]
# County codes (GB/T 2260) that exist for every birth year we draw, in the cities of the shipped rule packs.
ID_AREA_CODES = [
    "110101", "110102", "110105", "110106", "110108", "310101", "310104", "310105", "310106", "310107", "310109",
    "310110", "370102", "370103", "370104", "370105", "370202", "370203", "320102", "320104", "320106", "330102",
]
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                   "156", "157", "158", "159", "166", "176", "177", "178", "180", "181", "182", "185", "186", "187",
                   "188", "189", "191", "198", "199"]

_SURNAMES = list(PersonProvider.last_names.keys())
_SURNAME_WEIGHTS = list(PersonProvider.last_names.values())
_GIVEN = list(PersonProvider.first_names)


class NameBook:
    """Draws names and numbers; remembers what it gave out where uniqueness is required."""

    def __init__(self, faker: Faker, rng: random.Random) -> None:
        self.faker = faker
        self.rng = rng
        self._used: set[str] = set()
        self._id_numbers: set[str] = set()
        self._valid_county_years: dict[tuple[str, int], bool] = {}
        # Cumulative weights once, so that 300,000 surnames cost one bisect each.
        self._surname_cum = list(itertools.accumulate(_SURNAME_WEIGHTS))

    def _unique(self, draw: Callable[[], str], fallback: str) -> str:
        for _ in range(30):
            name = draw()
            if name not in self._used:
                self._used.add(name)
                return name
        counter = 2
        while f"{fallback}{counter}" in self._used:
            counter += 1
        name = f"{fallback}{counter}"
        self._used.add(name)
        return name

    def road(self) -> str:
        return self.faker.street_name()

    def street(self) -> str:
        return self._unique(lambda: f"{self.faker.street_name()}街道", "新区街道")

    def community(self) -> str:
        def draw() -> str:
            if self.rng.random() < 0.5:
                return f"{self.rng.choice(COMMUNITY_WORDS)}{self.rng.choice(['', '里', '路', '街', '桥'])}社区"
            return f"{self.faker.street_name()}社区"

        return self._unique(draw, "新建社区")

    def compound(self, *, old: bool) -> str:
        def draw() -> str:
            if old:
                if self.rng.random() < 0.3:
                    return f"{self.faker.city_name()}{self.rng.choice(WORK_UNITS)}{self.rng.choice(OLD_SUFFIXES)}"
                return f"{self.faker.street_name()}{self.rng.choice(OLD_SUFFIXES)}"
            name = f"{self.rng.choice(ESTATE_WORDS)}{self.rng.choice(ESTATE_SUFFIXES)}"
            return name + self.rng.choice(["", "", "", "二期", "三期"])

        return self._unique(draw, "安置小区")

    def firm(self) -> str:
        return self._unique(
            lambda: f"{self.faker.city_name()}{self.rng.choice(FIRM_WORDS)}{self.rng.choice(FIRM_SUFFIXES)}",
            "同心物业服务有限公司",
        )

    def address(self, road: str) -> str:
        return f"{road}{self.rng.randint(1, 999)}号"

    def person(self) -> str:
        surname = _SURNAMES[bisect.bisect_left(self._surname_cum, self.rng.random() * self._surname_cum[-1])]
        given = self.rng.choice(_GIVEN)
        if self.rng.random() < 0.6:
            given += self.rng.choice(_GIVEN)
        return surname + given

    def mobile(self) -> str:
        return f"{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"

    def id_number(self, *, born_after: int = 1940, born_before: int = 2004) -> str:
        """A resident identity card number (GB 11643) that python-stdnum accepts, never given out twice.

        The check character and the birth date are valid by construction; whether the county code existed in the
        birth year is all that remains, so ric.is_valid runs once per county and year (its lookup is slow)."""
        while True:
            area = self.rng.choice(ID_AREA_CODES)
            born = date(born_after, 1, 1) + timedelta(days=self.rng.randrange((born_before - born_after) * 365))
            body = f"{area}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
            number = body + ric.calc_check_digit(body + "?")  # it ignores the last character
            if number in self._id_numbers:
                continue
            known = self._valid_county_years.get((area, born.year))
            if known is None:
                known = self._valid_county_years[(area, born.year)] = ric.is_valid(number)
            if known:
                self._id_numbers.add(number)
                return number
