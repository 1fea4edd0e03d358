"""What the extractor recognizes by name: the store's organizations and their aliases, and
places named often in news."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# A country named just before one of these describes another subject (中国人工智能企业深度求索,
# 法国企业的投资), not the country's government.
_DESCRIBED = ("企业", "公司", "人工智能企业", "人工智能公司", "半导体", "科技公司", "科技巨头")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")

#: Places named often enough in news to be taken as places when they appear (Chinese and
#: English); longer names win (法国巴黎 over 巴黎).
PLACES = (
    "北京",
    "上海",
    "广州",
    "深圳",
    "杭州",
    "成都",
    "重庆",
    "武汉",
    "南京",
    "天津",
    "西安",
    "苏州",
    "香港",
    "澳门",
    "雄安",
    "巴黎",
    "法国巴黎",
    "伦敦",
    "柏林",
    "东京",
    "纽约",
    "华盛顿",
    "布鲁塞尔",
    "日内瓦",
    "硅谷",
    "得克萨斯州",
    "加利福尼亚州",
    "达沃斯",
    "Beijing",
    "Shanghai",
    "Paris",
    "London",
    "Berlin",
    "Tokyo",
    "New York",
    "Washington",
    "Brussels",
    "Geneva",
    "Texas",
    "California",
    "Davos",
)


def _key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


@dataclass(frozen=True)
class Match:
    """A name found in a text: ``text[start:end]`` is ``name`` or one of its aliases."""

    start: int
    end: int
    name: str


class Gazetteer:
    """Names to find in text, longest first: organizations (canonical name and aliases,
    given as (name, aliases) pairs) and :data:`PLACES`.

    Matching is on NFKC case-folded text without spaces. A name of a single character
    (Meta's alias 元) is never matched alone, since it is part of too many words (美元);
    a name in ASCII letters must stand as a word (EU, not the EU of EUR)."""

    def __init__(self, organizations: Iterable[tuple[str, Iterable[str]]] = ()) -> None:
        self.organizations: dict[str, list[str]] = {}
        self._names: dict[str, tuple[str, str]] = {}
        for name, aliases in organizations:
            self.organizations[name] = list(aliases)
            for alias in (name, *aliases):
                if len(_key(alias)) > 1:
                    self._names.setdefault(_key(alias), ("org", name))
        for place in PLACES:
            self._names.setdefault(_key(place), ("place", place))
        self._longest = max((len(k) for k in self._names), default=0)

    def find(self, text: str) -> tuple[list[Match], list[Match]]:
        """Return the organizations and the places named in ``text`` (a string without
        layout spaces inside names) as non-overlapping matches, leftmost-longest first;
        ``start``/``end`` are indices into ``text``."""
        folded = unicodedata.normalize("NFKC", text).casefold()
        if len(folded) != len(text):  # NFKC changed lengths: match on the text as it is
            folded = text.casefold()
        orgs: list[Match] = []
        places: list[Match] = []
        position = 0
        while position < len(folded):
            found = self._match_at(folded, position)
            if found is None:
                position += 1
                continue
            end, (kind, name) = found
            if kind == "place":
                places.append(Match(position, end, name))
            elif not (_is_country(folded[position:end]) and _described(text, end)):
                orgs.append(Match(position, end, name))
            position = end
        return orgs, places

    def _match_at(self, folded: str, start: int) -> tuple[int, tuple[str, str]] | None:
        for end in range(min(len(folded), start + self._longest), start + 1, -1):
            hit = self._names.get(folded[start:end])
            if hit is None:
                continue
            piece = folded[start:end]
            if _ASCII_WORD.match(piece[0]) and start and _ASCII_WORD.match(folded[start - 1]):
                continue
            if _ASCII_WORD.match(piece[-1]) and end < len(folded):
                if _ASCII_WORD.match(folded[end]):
                    continue
            return end, hit
        return None

    def aliases(self, name: str) -> list[str]:
        """Return the aliases of the organization ``name`` (empty if unknown)."""
        return self.organizations.get(name, [])


def _is_country(matched: str) -> bool:
    return len(matched) <= 3 and matched.endswith(("国", "盟", "度"))


def _described(text: str, end: int) -> bool:
    return text.startswith(_DESCRIBED, end)
