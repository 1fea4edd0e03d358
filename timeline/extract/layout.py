"""Stage 1 of extraction, the text and its layout: an article's layout undone
(hard-wrapped lines joined, stray spaces between Chinese characters removed, paragraphs
split by page breaks rejoined) with every character mapped back to its offset in the text
as given, its language, and a copy folded for matching (traditional characters as
simplified ones, one for one, so offsets hold)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Literal

Language = Literal["zh", "zh-Hant", "en"]

_SPACE = re.compile(r"[ \t\u3000\r\n\xa0]+")
_BLOCK = re.compile(r"\S(?:.*?\S)?(?=\n[ \t\u3000\xa0]*\n|\s*$)", re.DOTALL)
# Characters after which a Chinese paragraph really ends (a page break elsewhere is layout).
_FINAL = "。！？!?；;…）)”」』"
# A line of Chinese that ends so has more to come (a heading never ends so).
_OPEN_ENDS = "的了和与及在将把被对从向为是之而并或以“（(、，,：:"
_LABEL_LINE = re.compile(
    r"来源[:：]|來源[:：]|作者[:：]|编辑[:：]|編輯[:：]|责编|時間[:：]|时间[:：]|\s\|\s"
)
#: A block of Chinese whose lines are at most this long (nine in ten of them) is set in
#: narrow columns: its line breaks are layout.
COLUMN = 30
#: A block this short without final punctuation is a heading, never joined to the next.
HEADING_MAX = 20
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Traditional characters and their simplified forms, one for one: the common ones of news
# text, enough to tell the scripts apart and to match the extractor's own words.
_TRADITIONAL = (
    "這个們來時國會說對過還學與發經當後從點開關長門問間現實體麼應電車東為無見樣覺兩幾進動"
    "機業產場員議頭華區萬億歲價錢買賣報導記訊聞網頁週號歷屆舉辦處總統軍戰選鐵設計劃語話認"
    "識讀課談請論證試該調變讓陽陰雲風飛馬魚鳥龍廣單雙聯貨貿資費財負責質購貸銀鐘傳備際隊陸"
    "險隨雖難離題顯類願響養驗將專層屬歸歡氣漢滿準澤濟灣烏爭狀獎獨環畫盡監盤確禮稅穩積窮競"
    "筆節範簡納紀約級紅純紙組細終結絕給絲綠維線練緊績繼續罷義習聖聲職聽腦腳興舊艦藝莊葉著"
    "蘇衛衝補裝複製規視親觀觸訂訓託許訴診評詞詢詩誌誕誠誤諸諾謝譯護讚貝貢貧販貴貼賓賞賠賴"
    "贏趨跡踐躍軌軟較載輔輕輛輸轉農遊運達違遙適遺邊鄉醫釋針鋼錄錯鍵鎮鏡閉閒閣陣陳雜雞霧靈"
    "靜韓頂項順預領頻顆額顏飯飲館駐騎驚髮鬥麗黨齊齒奪獲銷殘勝勞勢協參啟嚴園圍圖團執塊壓壞"
    "夢奧婦媽孫寧寫尋島峽幣幫廳彈徑復徵憂懷戲戶掃掛採換揮損搶擁擇擊據擔擴擺攝敵數斷書條極"
    "構槍樂標樓橋檢權歐殺毀測濃滅漲潛災煙熱燈營牆獻畢異療盜礎禍稱種簽糧緒編緩縣縮織繪罰羅"
    "聰膽臨艙藥虛蟲術襲覽訪註詳階隱顧餘驅鬧魯鮮鳴麥黃齡僅優兒內冊劍劇務卻廠縱偉傷儀則創劉"
    "勵匯厲吳喚噸圓壇壯壽奮寬寶崗帥帳帶幹廢張徹恆惡態慣慶憑戀撥撐擬攤敗於晉暫曆曉檔櫃沒況"
    "滯漁潔濕燒爛猶獄瑪畝碼礙禦竊籃粵糾紐紛紡絡綜緣縫繫纖罵聯腎膚艱蘭蘋虧蝦裡誰諮謀謂講譜"
    "豐賀賦賬賽贊趕輯辭遞遲邁鄰鈴銳鋪鍊閃陽隸頓頒頌頗颱飄騰驟麵臺檯蹤樹豬佈週摯獲創摘"
)
_SIMPLIFIED = (
    "这个们来时国会说对过还学与发经当后从点开关长门问间现实体么应电车东为无见样觉两几进动"
    "机业产场员议头华区万亿岁价钱买卖报导记讯闻网页周号历届举办处总统军战选铁设计划语话认"
    "识读课谈请论证试该调变让阳阴云风飞马鱼鸟龙广单双联货贸资费财负责质购贷银钟传备际队陆"
    "险随虽难离题显类愿响养验将专层属归欢气汉满准泽济湾乌争状奖独环画尽监盘确礼税稳积穷竞"
    "笔节范简纳纪约级红纯纸组细终结绝给丝绿维线练紧绩继续罢义习圣声职听脑脚兴旧舰艺庄叶着"
    "苏卫冲补装复制规视亲观触订训托许诉诊评词询诗志诞诚误诸诺谢译护赞贝贡贫贩贵贴宾赏赔赖"
    "赢趋迹践跃轨软较载辅轻辆输转农游运达违遥适遗边乡医释针钢录错键镇镜闭闲阁阵陈杂鸡雾灵"
    "静韩顶项顺预领频颗额颜饭饮馆驻骑惊发斗丽党齐齿夺获销残胜劳势协参启严园围图团执块压坏"
    "梦奥妇妈孙宁写寻岛峡币帮厅弹径复征忧怀戏户扫挂采换挥损抢拥择击据担扩摆摄敌数断书条极"
    "构枪乐标楼桥检权欧杀毁测浓灭涨潜灾烟热灯营墙献毕异疗盗础祸称种签粮绪编缓县缩织绘罚罗"
    "聪胆临舱药虚虫术袭览访注详阶隐顾余驱闹鲁鲜鸣麦黄龄仅优儿内册剑剧务却厂纵伟伤仪则创刘"
    "励汇厉吴唤吨圆坛壮寿奋宽宝岗帅帐带干废张彻恒恶态惯庆凭恋拨撑拟摊败于晋暂历晓档柜没况"
    "滞渔洁湿烧烂犹狱玛亩码碍御窃篮粤纠纽纷纺络综缘缝系纤骂联肾肤艰兰苹亏虾里谁咨谋谓讲谱"
    "丰贺赋账赛赞赶辑辞递迟迈邻铃锐铺炼闪阳隶顿颁颂颇台飘腾骤面台台踪树猪布周挚获创摘"
)
_FOLD = str.maketrans(_TRADITIONAL, _SIMPLIFIED)
_TRADITIONAL_ONLY = frozenset(t for t, s in zip(_TRADITIONAL, _SIMPLIFIED, strict=True) if t != s)
_SIMPLIFIED_ONLY = frozenset(_SIMPLIFIED) - frozenset(_TRADITIONAL)


def fold(text: str) -> str:
    """Return ``text`` with traditional Chinese characters as their simplified forms, one
    character for one (``len`` and offsets unchanged): for matching, never for display."""
    return text.translate(_FOLD)


def is_cjk(char: str) -> bool:
    """Whether ``char`` is a Han character, CJK punctuation, a full-width form, or a curly
    quote or dash as Chinese text uses them (spaces beside one are layout)."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or 0x2014 <= code <= 0x201D
        or char in "·…"
    )


def detect_language(text: str) -> Language:
    """Return the article's language as a BCP 47 tag: ``zh`` when at least a tenth of its
    visible characters are Han (``zh-Hant`` when they hold more traditional-only than
    simplified-only forms), else ``en``. Reads at most the first 20,000 characters."""
    sample = text[:20_000]
    visible = len(sample) - sum(1 for c in sample if c.isspace())
    han = _HAN.findall(sample)
    if not visible or len(han) * 10 < visible:
        return "en"
    traditional = sum(1 for c in han if c in _TRADITIONAL_ONLY)
    simplified = sum(1 for c in han if c in _SIMPLIFIED_ONLY)
    return "zh-Hant" if traditional > simplified else "zh"


@dataclass(frozen=True)
class Text:
    """An article with its layout undone.

    ``clean`` is the text read and ``folded`` the same with traditional characters folded
    (see :func:`fold`); ``offsets[i]`` is the index in ``original`` of ``clean[i]`` (a space
    or break that stands for removed layout maps to the first character it replaces), with
    one more entry, ``len(original)``. ``paragraphs`` are the non-empty blocks of
    ``original`` separated by blank lines, as (start, end) indices into ``original``, in
    order (paragraph 1 first); ``breaks`` are the (start, end) indices into ``clean`` of
    the same blocks.
    """

    original: str
    clean: str
    folded: str
    offsets: tuple[int, ...]
    paragraphs: tuple[tuple[int, int], ...]
    breaks: tuple[tuple[int, int], ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the (start, end) indices into ``original`` of ``clean[start:end]``
        (end exclusive; ``start < end``)."""
        return self.offsets[start], self.offsets[end - 1] + 1

    def paragraph(self, index: int) -> int:
        """Return the number (from 1) of the paragraph of ``original`` (a block between
        blank lines or a line that ends one) holding ``clean[index]``; 0 if none."""
        offset = self.offsets[min(index, len(self.offsets) - 1)]
        return bisect.bisect_right([start for start, _ in self.paragraphs], offset)

    def locator(self, start: int, end: int) -> str:
        """Return ``paragraph N`` or ``paragraphs N-M`` for ``clean[start:end]``."""
        first, last = self.paragraph(start), self.paragraph(max(start, end - 1))
        return f"paragraph {first}" if first == last else f"paragraphs {first}-{last}"


def undo_layout(original: str, *, chinese: bool) -> Text:
    """Return ``original`` read as :class:`Text`.

    Within a paragraph a run of spaces and line breaks is removed when a character beside
    it is Chinese (``1月 31日`` reads ``1月31日``, ``美 国`` reads ``美国``) and is one space
    otherwise (``Le\\nChat`` reads ``Le Chat``). With ``chinese``, a paragraph longer
    than HEADING_MAX characters, of several lines or ending on a word that needs more (了,
    的, 和), and without final punctuation continues in the next one (a page break);
    other paragraphs are kept apart by a blank line. A line break after a line of Chinese
    that ends a sentence, or after a short line, ends the paragraph.
    """
    blocks = _blocks(original, chinese=chinese)
    chars: list[str] = []
    offsets: list[int] = []
    breaks: list[tuple[int, int]] = []
    for number, (start, end) in enumerate(blocks):
        if number:
            previous_start, previous_end = blocks[number - 1]
            previous = original[previous_start:previous_end]
            joined = (
                chinese
                and ("\n" in previous.strip() or previous[-1] in _OPEN_ENDS)
                and len(_SPACE.sub("", previous)) > HEADING_MAX
                and previous[-1] not in _FINAL
            )
            gap = "" if joined and (is_cjk(previous[-1]) or is_cjk(original[start])) else " "
            for char in gap if joined else "\n\n":
                chars.append(char)
                offsets.append(previous_end)
            if not joined:
                breaks.append((len(chars), len(chars)))
        elif not breaks:
            breaks.append((0, 0))
        position = start
        for space in _SPACE.finditer(original, start, end):
            chars.extend(original[position : space.start()])
            offsets.extend(range(position, space.start()))
            before, after = original[space.start() - 1], original[space.end()]
            if not (is_cjk(before) or is_cjk(after)):
                chars.append(" ")
                offsets.append(space.start())
            position = space.end()
        chars.extend(original[position:end])
        offsets.extend(range(position, end))
    offsets.append(len(original))
    clean = "".join(chars)
    ends = [b[0] for b in breaks[1:]] + [len(clean)]
    spans = tuple((b[0], e) for b, e in zip(breaks, ends, strict=True)) if blocks else ()
    return Text(original, clean, fold(clean), tuple(offsets), tuple(blocks), spans)


def _blocks(original: str, *, chinese: bool) -> list[tuple[int, int]]:
    """Return the paragraphs of ``original`` as (start, end): blocks between blank lines,
    and within one, the lines that end a paragraph (a page that puts one paragraph a
    line, as many sites do). A block of Chinese in narrow columns (nine lines in ten of at most
    COLUMN characters) is one paragraph."""
    blocks = []
    for match in _BLOCK.finditer(original):
        start = match.start()
        lines = original[match.start() : match.end()].split("\n")
        widths = sorted(len(_SPACE.sub("", line)) for line in lines)
        narrow = chinese and len(lines) >= 3 and widths[(9 * len(widths)) // 10] <= COLUMN
        position = start
        for index, line in enumerate(lines):
            end = position + len(line)
            last = index == len(lines) - 1
            stripped = line.strip()
            ends = (
                not narrow
                and stripped
                and _ends_paragraph(
                    stripped, lines[index + 1] if not last else "", chinese, widths[-1]
                )
            )
            if last or ends:
                piece = original[start:end]
                if piece.strip():
                    left = len(piece) - len(piece.lstrip())
                    blocks.append((start + left, start + len(piece.rstrip())))
                start = end + 1
            position = end + 1
    return blocks


def _ends_paragraph(line: str, following: str, chinese: bool, widest: int) -> bool:
    """Whether a line break after ``line`` ends a paragraph (``widest``: the block's
    widest line, without spaces). Chinese (not in narrow columns): after final
    punctuation, around a line that names a source or editor (来源：, 作者：), or after a
    line much shorter than the widest (a heading, a paragraph's last line). English:
    after a line that ends a sentence and is longer than any hard wrap, or after a short
    line (a heading, a byline)."""
    if not following.strip():
        return False
    if chinese:
        if line[-1] in _FINAL or _LABEL_LINE.search(line) or _LABEL_LINE.search(following):
            return True
        return widest >= 2 * HEADING_MAX and len(_SPACE.sub("", line)) < 0.6 * widest
    if line[-1] in _FINAL + "." and len(line) > 100:
        return True
    return len(line) <= 60 and line[-1] not in ",;:-–—"
