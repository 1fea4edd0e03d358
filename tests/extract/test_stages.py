"""The extractor's parts: layout undone with offsets kept, names found, what is not an
event date, English articles, datelines and refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from timeline.extract.layout import Text, undo_layout
from timeline.extract.names import Gazetteer
from timeline.extract.page import read_page
from timeline.extract.pipeline import ExtractError, NoPublicationDateError, extract
from timeline.extract.sentences import split


def sentences(text: Text, *, chinese: bool) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in split(text, read_page(text), chinese=chinese)]


PUBLISHED = dt.date(2025, 2, 18)


def test_layout_is_undone_and_offsets_point_back() -> None:
    original = (
        "美 国 开 放 人 工智 能 研 究\n中 心（OpenAI）1月 31日推出了最新\n"
        "模型 o3 mini。\n\nLe\nChat 上线。"
    )
    text = undo_layout(original, chinese=True)
    assert (
        text.clean
        == "美国开放人工智能研究中心（OpenAI）1月31日推出了最新模型o3 mini。\n\nLe Chat上线。"
    )
    start = text.clean.index("1月31日")
    first, last = text.span(start, start + len("1月31日"))
    assert original[first:last] == "1月 31日"
    assert [text.clean[a:b] for a, b in sentences(text, chinese=True)] == [
        "美国开放人工智能研究中心（OpenAI）1月31日推出了最新模型o3 mini。",
        "Le Chat上线。",
    ]
    assert text.locator(*text.span(start, start + 5)) == "paragraph 1"


def test_a_page_break_inside_a_sentence_is_joined_but_not_after_a_heading() -> None:
    original = (
        "欧洲要与世界重新同步\n\n据谷歌官方博客介绍，此次发布的更新进一步增强了\n\n"
        "“双子座”模型的能力。"
    )
    text = undo_layout(original, chinese=True)
    assert (
        text.clean == "欧洲要与世界重新同步\n\n据谷歌官方博客介绍，此次发布的更新进一步增强了"
        "“双子座”模型的能力。"
    )
    assert len(sentences(text, chinese=True)) == 2


def test_english_sentences_keep_abbreviations() -> None:
    text = undo_layout(
        "Talks began on Feb. 9 in Paris.\nThe U.S. did not sign. It left.", chinese=False
    )
    assert [text.clean[a:b] for a, b in sentences(text, chinese=False)] == [
        "Talks began on Feb. 9 in Paris.",
        "The U.S. did not sign.",
        "It left.",
    ]


def test_the_gazetteer_takes_the_longest_name_and_skips_risky_ones() -> None:
    gazetteer = Gazetteer(
        [
            ("Meta", ["元", "“元”公司"]),
            ("French Government", ["法国"]),
            ("Mistral AI", ["法国米斯特拉尔人工智能公司"]),
            ("European Union", ["EU"]),
            ("Government of China", ["中国"]),
        ]
    )
    orgs, places = gazetteer.find(
        "法国米斯特拉尔人工智能公司与“元”公司投资5000亿美元，法国总统在巴黎说，EUR不是EU；中国人工智能企业深度求索"
    )
    assert [m.name for m in orgs] == ["Mistral AI", "Meta", "French Government", "European Union"]
    assert [m.name for m in places] == ["巴黎"]


@pytest.mark.parametrize(
    "sentence",
    [
        "今后4年投资5000亿美元。",
        "峰会为期两天，共有1000个代表团参加。",
        "68岁的张先生说，他等了3个月。",
        "截至7月27日，累计客流达到120万人次。",
        "今年以来，人工智能技术继续保持迅猛发展态势。",
        "这是2月10日在法国巴黎拍摄的人工智能行动峰会现场。",
        "他出版了《2024年的回忆》一书。",
    ],
)
def test_what_is_not_an_event_date_is_not_proposed(sentence: str) -> None:
    assert extract(sentence, published=PUBLISHED).candidates == []


def test_an_unresolved_reference_says_why_instead_of_guessing() -> None:
    result = extract("会议闭幕当天，双方签署了协议。", published=PUBLISHED)
    assert result.candidates == []
    assert [(s.when, s.reason) for s in result.skipped] == [
        ("会议闭幕当天", "not dated: refers to '会议', not dated in the article")
    ]


def test_an_english_article() -> None:
    text = (
        "The AI Action Summit opened in Paris on Feb. 10 and ran for two days. At the close "
        "of the summit, 60 countries signed a statement. Figures are as of Feb 1. A few days "
        "later, Google released Gemini 2.0 Flash."
    )
    result = extract(text, published=PUBLISHED, lang="auto")
    assert result.lang == "en"
    got = [(c.when, c.start, c.approximate, c.title) for c in result.candidates]
    assert got == [
        (
            "Feb. 10",
            "2025-02-10",
            False,
            "The AI Action Summit opened in Paris and ran for two days",
        ),
        ("At the close of the summit", "2025-02-10", False, "60 countries signed a statement"),
        ("A few days later", "2025-02-13", True, "Google released Gemini 2.0 Flash"),
    ]
    assert [s.reason for s in result.skipped] == [
        "a cut-off of figures (截至, as of), not an event"
    ]


def test_the_dateline_gives_the_publication_date() -> None:
    text = "PARIS, Feb. 18, 2025 (Reuters) - Macron spoke on Feb. 10 at the summit."
    result = extract(text)
    assert (result.published, result.published_from) == (PUBLISHED, "dateline")
    assert [(c.when, c.evidence) for c in result.candidates] == [
        ("Feb. 10", "Macron spoke on Feb. 10 at the summit.")
    ]
    chinese = extract("新华社北京2025年2月18日电 国务院常务会议昨天召开。")
    assert (chinese.published, [c.start for c in chinese.candidates]) == (PUBLISHED, ["2025-02-17"])
    with pytest.raises(NoPublicationDateError):  # no year: not the article's own date
        extract("新华社北京2月18日电 国务院常务会议昨天召开。")


def test_refusals() -> None:
    with pytest.raises(NoPublicationDateError):
        extract("2月17日，xAI发布Grok 3。")
    with pytest.raises(ExtractError, match="empty"):
        extract(" \n ", published=PUBLISHED)


def test_two_dates_in_one_clause_do_not_crash() -> None:
    # No clause mark between the dates: the second starts where the first's clause does.
    result = extract("xAI在2月17日和2月18日发布了两个模型。", published=PUBLISHED)
    assert [c.start for c in result.candidates] == ["2025-02-17", "2025-02-18"]


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # Neither past nor future: the nearest June 3, not last year's.
        ("The mandate of the city council runs out on June 3.", dt.date(2019, 3, 10), "2019-06-03"),
        # A date a plan confirms, sets or moves: read without the tense.
        (
            "The date of the reopening is now confirmed as December, the museum said.",
            dt.date(2024, 8, 7),
            "2024-12",
        ),
        ("The launch was postponed to September.", dt.date(2025, 1, 10), "2025-09"),
        # A bare weekday with no word of the future is in the past (news reports it).
        ("The runner won in 2 hours, 4 minutes, 11 seconds on Sunday.", dt.date(2018, 9, 17),
         "2018-09-16"),
        # 女将 (a woman athlete) is no future: the 29th just past.
        ("台灣舉重女將許淑淨倫敦時間29日勇奪奧運銀牌。", dt.date(2012, 7, 30), "2012-07-29"),
        # 近日: a recent day, in the month of publication.
        ("近日有消息称特斯拉获得批准。", dt.date(2019, 10, 19), "2019-10"),
        # Earlier this month: the month.
        ("Earlier this month, the bank raised its rate.", dt.date(2005, 3, 20), "2005-03"),
        # 年底: December.
        ("马斯克表示到今年年底将分阶段引导产量快速增长。", dt.date(2019, 10, 19), "2019-12"),
    ],
)  # fmt: skip
def test_dates_follow_the_tense_and_news_usage(
    text: str, published: dt.date, expected: str
) -> None:
    assert [c.start for c in extract(text, published=published).candidates] == [expected]


def test_a_few_days_later_is_three_days_after_the_event_before() -> None:
    text = "Google said on Feb. 10 it would. A few days later, Google released Gemini."
    result = extract(text, published=PUBLISHED)
    assert [(c.when, c.start, c.approximate) for c in result.candidates] == [
        ("Feb. 10", "2025-02-10", False),
        ("A few days later", "2025-02-13", True),
    ]


def test_periods_and_vague_times_are_left_out_with_their_reason() -> None:
    result = extract("轨道交通集团还将在今后两年新建4个枢纽，目前已开工。", published=PUBLISHED)
    assert result.candidates == []
    assert [(s.when, s.reason) for s in result.skipped] == [
        ("今后两年", "a period (今后两年, the past 3 days), not an event"),
        ("目前", "now, before or later in general (目前, 此前, 未来), not a date"),
    ]
