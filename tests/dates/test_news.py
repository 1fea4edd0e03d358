"""Held-out check of timeline.dates.normalize: date expressions as news sentences write them.

Each case is the date expression of a realistic sentence (quoted in the comment) of an
article published on 2025-02-18, a Tuesday, with the span a careful reader would give it.
"""

import datetime

import pytest

from timeline.dates.normalize import Precision, When, WhenError, parse_when

D = datetime.date
PUBLISHED = D(2025, 2, 18)
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


def day(
    year: int, month: int, first: int, last: int | None = None, *, approx: bool = False
) -> When:
    end = D(year, month, last or first) + datetime.timedelta(days=1)
    return When(D(year, month, first), end, "day", approx)


def around(start: D, end: D, precision: Precision = "day") -> When:
    return When(start, end, precision, True)


def month(year: int, number: int) -> When:
    start = D(year, number, 1)
    return When(start, (start + datetime.timedelta(days=31)).replace(day=1), "month")


def at(year: int, month: int, d: int, hour: int, minute: int = 0) -> When:
    return When(datetime.datetime(year, month, d, hour, minute, tzinfo=SHANGHAI), None, "datetime")


NEWS = [
    # 据新华社报道，国务院常务会议昨天召开。
    ("昨天", day(2025, 2, 17)),
    # 该公司在上周四发布了新一代模型。
    ("上周四", day(2025, 2, 13)),
    # 发布会定于下周三上午10点举行。
    ("下周三上午10点", at(2025, 2, 26, 10)),
    # 这一政策将于3月份正式实施。
    ("3月份", month(2025, 3)),
    # 项目预计于今年年底完工。
    ("今年年底", around(D(2025, 12, 1), D(2026, 1, 1), "month")),
    # 截至2024年底，全国共有……
    ("2024年底", around(D(2024, 12, 1), D(2025, 1, 1), "month")),
    # 2月中旬以来，多地出现降雪。
    ("2月中旬", around(D(2025, 2, 11), D(2025, 2, 21))),
    # 三天前，该公司宣布裁员。
    ("三天前", day(2025, 2, 15)),
    # 去年上半年，出口同比增长6.9%。
    ("去年上半年", around(D(2024, 1, 1), D(2024, 7, 1), "month")),
    # 今年一季度财报显示……
    ("今年一季度", around(D(2025, 1, 1), D(2025, 4, 1), "month")),
    # 上个月，欧盟委员会发布了指南。
    ("上个月", month(2025, 1)),
    # 本周五将举行投票。
    ("本周五", day(2025, 2, 21)),
    # 新规于2015年3月3號起施行。(a Hong Kong report)
    ("2015年3月3號", day(2015, 3, 3)),
    # 二〇二五年二月十四日，峰会闭幕。
    ("二〇二五年二月十四日", day(2025, 2, 14)),
    # 会议将于7月13日至15日在上海举行。
    ("7月13日至15日", day(2025, 7, 13, 15)),
    # 两个月前，该公司完成了新一轮融资。
    ("两个月前", month(2024, 12)),
    # 该法案于上月底获得通过。
    ("上月底", around(D(2025, 1, 21), D(2025, 2, 1))),
    # 本届展会为期三天，将于3月初开幕。
    ("3月初", around(D(2025, 3, 1), D(2025, 3, 11))),
    # 北京时间2月17日凌晨2点，SpaceX发射了……
    ("北京时间2月17日凌晨2点", at(2025, 2, 17, 2)),
    # 上週二，立法會通過了預算案。(traditional)
    ("上週二", day(2025, 2, 11)),
    # 下個月將公布結果。(traditional)
    ("下個月", month(2025, 3)),
    # The company said on Monday that it would cut 5% of jobs.
    ("on Monday", day(2025, 2, 17)),
    # Regulators met last Thursday to discuss the merger.
    ("last Thursday", day(2025, 2, 13)),
    # The summit will take place next Wednesday.
    ("next Wednesday", day(2025, 2, 26)),
    # Shares fell sharply yesterday.
    ("yesterday", day(2025, 2, 17)),
    # The deal is expected to close in March.
    ("in March", month(2025, 3)),
    # Revenue rose 12% in the fourth quarter of 2024.
    ("the fourth quarter of 2024", around(D(2024, 10, 1), D(2025, 1, 1), "month")),
    # Production will start in the first half of 2026.
    ("the first half of 2026", around(D(2026, 1, 1), D(2026, 7, 1), "month")),
    # The law takes effect in early April.
    ("early April", around(D(2025, 4, 1), D(2025, 4, 11))),
    # The factory closed at the end of 2012.
    ("the end of 2012", around(D(2012, 12, 1), D(2013, 1, 1), "month")),
    # The model was released three weeks ago.
    ("three weeks ago", day(2025, 1, 28, approx=True)),
    # Three months later, the company went public. (counted from the article's date)
    ("three months later", month(2025, 5)),
    # The festival runs from 13 to 15 July.
    ("from 13 to 15 July", day(2025, 7, 13, 15)),
    # The conference, held August 27th - 29th, 2025, ...
    ("August 27th - 29th, 2025", day(2025, 8, 27, 29)),
    # Voting opens on the 4th of July.
    ("the 4th of July", day(2025, 7, 4)),
    # Filings are due Q1 2025.
    ("Q1 2025", around(D(2025, 1, 1), D(2025, 4, 1), "month")),
    # The talks, held Monday, Feb 17, ended without agreement.
    ("Monday, Feb 17", day(2025, 2, 17)),
    # The bill passed last year.
    ("last year", When(D(2024, 1, 1), D(2025, 1, 1), "year")),
    # Trading resumes the day after tomorrow.
    ("the day after tomorrow", day(2025, 2, 20)),
    # He was born on 31/10/1974.
    ("31/10/1974", day(1974, 10, 31)),
    # The strike began mid-February.
    ("mid-February", around(D(2025, 2, 11), D(2025, 2, 21))),
    # Polls open in two weeks.
    ("in two weeks", day(2025, 3, 4, approx=True)),
]

# Sentences whose date a careful reader would not pin down: each must be refused.
VAGUE = [
    "几天后",  # 几天后，法国宣布……: "a few days later"
    "近日",  # 近日，某部门发布通知: "recently"
    "日前",  # 日前，记者从……获悉: "a few days ago"
    "两三天前",  # "two or three days ago"
    "峰会期间",  # "during the summit"
    "a few weeks ago",
    "recently",
    "earlier this year, perhaps",
    "3/4/2025",  # March 4 or 3 April
]


@pytest.mark.parametrize(("text", "expected"), NEWS)
def test_news_expressions(text: str, expected: When) -> None:
    assert parse_when(text, reference=PUBLISHED, tz="Asia/Shanghai") == expected


@pytest.mark.parametrize("text", VAGUE)
def test_vague_news_expressions_are_refused(text: str) -> None:
    with pytest.raises(WhenError, match="cannot read a date in"):
        parse_when(text, reference=PUBLISHED, tz="Asia/Shanghai")
