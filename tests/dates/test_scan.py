"""The scanner's interface (timeline.dates.scan.scan): every date of running text with its
offsets, kind, span, TIMEX3 value, flag and anchor, as the extraction calls it."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from timeline.dates.periods import When
from timeline.dates.scan import Found, scan

D = datetime.date
REFERENCE = D(2025, 2, 18)  # a Tuesday


def _rows(found: list[Found]) -> list[tuple[str, str, str, int | None]]:
    return [(f.text, f.kind, f.value, f.anchor) for f in found]


def test_chinese_news_text_with_offsets_and_anaphora() -> None:
    text = "1月20日，特朗普宣誓就职。次日，他宣布一项计划；两天后，马斯克表示怀疑。"
    found = scan(text, reference=REFERENCE)
    assert _rows(found) == [
        ("1月20日", "relative", "2025-01-20", None),
        ("次日", "anaphoric", "2025-01-21", 0),
        ("两天后", "anaphoric", "2025-01-23", 1),
    ]
    for f in found:
        assert text[f.start : f.end] == f.text
    assert [f.start for f in found] == [0, text.index("次日"), text.index("两天后")]
    assert found[1].when == When(D(2025, 1, 21), D(2025, 1, 22), "day")
    assert found[1].offset == "+P1D" and found[2].offset == "+P2D"


def test_without_reference_relative_dates_stay_unresolved() -> None:
    text = "2025年1月20日特朗普就职，次日宣布计划。昨天白宫回应。"
    found = scan(text, reference=None)
    assert _rows(found) == [
        ("2025年1月20日", "absolute", "2025-01-20", None),
        ("次日", "anaphoric", "2025-01-21", 0),  # counted from the absolute date
        ("昨天", "relative", "", None),
    ]
    assert found[2].when is None and found[2].flag is None


def test_an_anaphoric_date_with_nothing_before_counts_from_the_reference() -> None:
    [found] = scan("次日", reference=REFERENCE)
    assert (found.value, found.anchor) == ("2025-02-19", None)


def test_same_year_counts_from_a_coarser_date() -> None:
    text = "2019年，公司成立。同年5月，它上市。"
    assert _rows(scan(text, reference=REFERENCE)) == [
        ("2019年", "absolute", "2019", None),
        ("同年5月", "anaphoric", "2019-05", 0),
    ]


def test_a_bare_weekday_follows_the_tense_the_caller_gives() -> None:
    wednesday = D(2025, 2, 19)
    text = "他周二抵达。"
    past = scan(text, reference=wednesday, future=lambda offset: False)
    coming = scan(text, reference=wednesday, future=lambda offset: True)
    plain = scan(text, reference=wednesday)
    assert [(f.text, f.value, f.tense_sensitive) for f in past] == [("周二", "2025-02-18", True)]
    assert coming[0].value == "2025-02-25"
    assert plain[0].value == "2025-02-18"  # the reference's ISO week


def test_the_tense_is_asked_at_the_expression() -> None:
    asked: list[int] = []

    def future(offset: int) -> bool:
        asked.append(offset)
        return False

    scan("会议定于周五举行。", reference=REFERENCE, future=future)
    assert asked == [4]


def test_traditional_characters_and_a_weekday_beside_the_date() -> None:
    text = "上週二，兩國於2025年2月17日（星期一）簽署協議。"
    assert _rows(scan(text, reference=REFERENCE)) == [
        ("上週二", "relative", "2025-02-11", None),
        ("2025年2月17日（星期一）", "absolute", "2025-02-17", None),
    ]


def test_english_news_text() -> None:
    text = "The talks opened on Feb 17, 2025. The next day, ministers met; a week later they left."
    found = scan(text, reference=REFERENCE)
    assert _rows(found) == [
        ("Feb 17, 2025", "absolute", "2025-02-17", None),
        ("The next day", "anaphoric", "2025-02-18", 0),
        ("a week later", "anaphoric", "2025-02-25", 1),
    ]
    assert found[2].when is not None and found[2].when.approximate


def test_mixed_chinese_and_english() -> None:
    text = "特朗普在Feb 17说，last Tuesday的会谈很好。"
    assert _rows(scan(text, reference=REFERENCE)) == [
        ("Feb 17", "relative", "2025-02-17", None),
        ("last Tuesday", "relative", "2025-02-11", None),
    ]


def test_doubtful_dates_are_flagged_never_guessed() -> None:
    text = "会议定于3/4/2025举行，2025年2月18日（星期三）公布，几天后结束。"
    found = scan(text, reference=REFERENCE)
    assert [f.text for f in found] == ["3/4/2025", "2025年2月18日（星期三）", "几天后"]
    assert all(f.when is None and f.value == "" and f.flag for f in found)
    assert found[0].flag is not None and "ambiguous" in found[0].flag
    assert found[1].flag == "2025-02-18 is a Tuesday, not a Wednesday"


def test_the_longest_expression_wins() -> None:
    [found] = scan("2025年2月9日至10日", reference=REFERENCE)
    assert (found.value, found.when) == (
        "2025-02-09/2025-02-10",
        When(D(2025, 2, 9), D(2025, 2, 11), "day"),
    )


def test_language_limits_the_grammar() -> None:
    text = "2月17日 and Feb 18"
    assert [f.text for f in scan(text, reference=REFERENCE, language="zh")] == ["2月17日"]
    assert [f.text for f in scan(text, reference=REFERENCE, language="en")] == ["Feb 18"]


PIECES = st.sampled_from(
    ["2月17日", "次日", "，", "昨天", " the next day ", "Feb 9-10, 2025", "周二", "3/4/2025"]
    + ["同年", "x", "3月"]
)


@given(st.lists(PIECES, max_size=12))
def test_finds_are_in_order_and_never_overlap(pieces: list[str]) -> None:
    text = "".join(pieces)
    found = scan(text, reference=REFERENCE)
    for before, after in zip(found, found[1:], strict=False):
        assert before.end <= after.start
    for index, f in enumerate(found):
        assert text[f.start : f.end] == f.text and f.start < f.end
        assert f.anchor is None or 0 <= f.anchor < index
        assert (f.when is None) == (f.value == "") or f.value.endswith("_REF")


def test_a_tense_of_none_leaves_the_rules_without_tense() -> None:
    # The mandate runs out on June 3 (no past nor future): the nearest June 3, not last year's.
    text = "The mandate of the city council runs out on June 3."
    unknown = scan(text, reference=D(2019, 3, 10), future=lambda offset: None)
    past = scan(text, reference=D(2019, 3, 10), future=lambda offset: False)
    assert [f.value for f in unknown] == ["2019-06-03"]
    assert [f.value for f in past] == ["2018-06-03"]


def test_a_date_without_a_year_near_the_reference_stays_nearest_whatever_the_tense() -> None:
    # Within 60 days on the other side of the tense: the nearest one.
    text = "The firm had planned the rollout for October 23 at first."
    assert [f.value for f in scan(text, reference=D(2020, 9, 30), future=lambda o: False)] == [
        "2020-10-23"
    ]
    # Further: the tense decides (the last one up to the reference).
    assert [f.value for f in scan(text, reference=D(2020, 6, 30), future=lambda o: False)] == [
        "2019-10-23"
    ]


def test_the_end_of_a_year_is_december() -> None:
    found = scan("项目预计今年年底完工，去年年末开工。", reference=REFERENCE)
    assert [(f.text, f.when, f.mod) for f in found] == [
        ("今年年底", When(D(2025, 12, 1), D(2026, 1, 1), "month", True), "END"),
        ("去年年末", When(D(2024, 12, 1), D(2025, 1, 1), "month", True), "END"),
    ]
    [late] = scan("late 2024", reference=REFERENCE)
    assert late.when == When(D(2024, 10, 1), D(2025, 1, 1), "month", True)


def test_words_that_are_no_dates() -> None:
    text = (
        "就在前一日凌晨，獵鷹九號火箭發射，往後遞延一日；國家冬季兩項中心和北京2022年冬奧會。"
        "这笔资金将来自阿联酋。"
    )
    assert [(f.text, f.value) for f in scan(text, reference=REFERENCE)] == [
        ("前一日", "2025-02-17"),
        ("2022年", "2022"),
    ]


def test_an_offset_before_a_noun_counts_from_that_event() -> None:
    text = "The bridge opened on Wednesday, four years after work began; three weeks after March 3."
    found = scan(text, reference=REFERENCE)
    assert [(f.text, f.value, f.anchor) for f in found] == [
        ("Wednesday", "2025-02-19", None),
        ("four years after", "", None),
        ("three weeks after March 3", "2025-03-24", None),
    ]
    assert found[1].flag is not None and "event named after it" in found[1].flag
    following = scan(
        "Supplies resume tomorrow, the rest following a day later.", reference=REFERENCE
    )
    assert [(f.text, f.value) for f in following] == [
        ("tomorrow", "2025-02-19"),
        ("a day later", "2025-02-20"),
    ]


def test_holidays_as_news_names_them() -> None:
    found = scan(
        "《魔童闹海》于刚刚结束的蛇年春节档亮相，国庆档和2019年暑期档。", reference=D(2025, 2, 6)
    )
    assert [(f.text, f.when) for f in found] == [
        ("蛇年春节档", When(D(2025, 1, 28), D(2025, 2, 5), "day")),
        ("国庆档", When(D(2024, 10, 1), D(2024, 10, 8), "day")),
        ("2019年暑期档", When(D(2019, 6, 1), D(2019, 9, 1), "month", True)),
    ]
    assert scan("后者于2019年前暑期档惊艳亮相", reference=D(2025, 2, 6)) == []


def test_chinese_news_forms() -> None:
    text = (
        "發言人周志浩昨表示，2月17日晚7时通车，10月12日下午13:00公布；"
        "2011年第三季，隔年，當年第三季。"
    )
    found = scan(text, reference=REFERENCE)
    assert [(f.text, f.value) for f in found] == [
        ("昨", "2025-02-17"),
        ("2月17日晚7时", "2025-02-17T19:00"),
        ("10月12日下午13:00", "2024-10-12T13:00"),
        ("2011年第三季", "2011-Q3"),
        ("隔年", "2012"),
        ("當年第三季", "2012-Q3"),
    ]
