"""Decoding report text: bytes → str for UTF-8, GB18030/GBK and Big5 files, plus shared helpers.

``decode_text`` takes the raw bytes (and a charset the file declares, if any) and gives the text,
the codec used and any warnings. It never guesses Korean or Japanese for short Chinese strings:
strict UTF-8 first, then GB18030 against the Big5 family scored by how many common Chinese
characters each yields, with charset-normalizer limited to those codecs breaking a tie.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from etl.model import ReadError

COMMON_HAN = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
    "面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本"
    "去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比"
    "或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
    "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做"
    "必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权"
    "收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信"
    "马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连"
    "断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存"
    "候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"
    "息申请项诉告未网费站审范策依室讼服開予微考校尚纠限栏责供读询招核益州罚章答案厅补止推减施乐障投职卫密"
    "纳河购台户够督吉丰牡丹咨健执涧源云监举助征務均续措编企落继围仍注负录另涉额秘稳版城评逾川渠访送康掌握"
    "培护域進获训勾稽禁危卷學废乡體博阳善聘批股洛實述医足创關概视宣态庆況师媒绕印鄞免缴余救湖湘桥街浙汇普"
    "發简登材升單動署贯彻镇待疫村协双宜辦責订试配充险绩序预房优检赣眾讀环括函坚榆贴页缺防控草输強組條修阅"
    "疗透互络针宁庄昌陀园兴涿領努逐箱留附频承良黑結會偏兼账追困排抓司渝為導確對網訴業挥促闻滞扩课停窗财首"
    "索浏览字召畅馈估份霍旧衡織負項類與庭签疑模板综言岗波找贫舆篇突兰薄延邮础班將報議號請統呼友拓归档季映"
    "扶讲固繁覆盖码差乱筑顺载谁初弱遵幼梳银澧副長時機規址詢稿應門義級內這爲個國來們於過說產種後經電裏現兩"
    "當點從還間樣線數麼質氣變沒問無軍並題黨員總設頭資邊圖較見計別論運農幾區決幹戰則據處隊給熱東壓爭濟階術"
    "極聯認權證採轉風帶場車萬達積聲鬥離華張馬節話溫傳許羣廣記觀裝衆書兒須際驗連斷難礦備習響約勞團歷構稱準"
    "維劃選標寫親養層卻專狀廠識適屬圓調滿縣參紅細聽該鐵價嚴龍飛費審範訟糾欄罰廳補減樂職衛納購臺戶夠豐諮執"
    "澗雲監舉徵續編繼圍錄額祕穩評訪護獲訓廢鄉陽醫創視態慶師繞繳餘橋匯簡貫徹鎮協雙訂試險績預優檢贛環堅貼頁"
    "輸閱療絡針寧莊園興頻賬揮聞滯擴課財瀏覽暢饋舊籤綜崗貧輿蘭郵礎歸檔講蓋碼亂築順載誰銀"
)
"""Frequent characters of Chinese prose and of these reports, in simplified and traditional forms."""

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030",
            "euc-cn": "gb18030", "x-euc-cn": "gb18030", "utf8": "utf-8"}
_BIG5_FAMILY = ("big5", "cp950", "big5hkscs")
_CHINESE_CODECS = frozenset(("utf-8", "utf-16", "gb18030", "hz", *_BIG5_FAMILY))
_CONTROL = (frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1A, 0x1B}) | {0x7F}
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PUA = re.compile(r"[\ue000-\uf8ff]")
_NEWLINES = re.compile(r"\r\n?")
_TITLE_WORDS = re.compile(r"报告|報告|年报|年報|年度報|report", re.IGNORECASE)
_NAV_LINE = re.compile(r">|＞|»|\||当前位置|您的位置|首页|\s-\s|编辑[:：]|来源[:：]|发布时间|浏览")
_SENTENCE = re.compile(r"[。；，：:;]$|。")
_ORG_END = re.compile(r"(?:政府|局|厅|委员会|委|办公室|办|中心|院|署|处|所|站|队|会|部|社|馆|公司)$")
_YEAR_START = re.compile(r"^(?:[0-9０-９]{4}|[二〇零一二三四五六七八九]{4}|关于)")


_CONTROL_BYTES = bytes(sorted(_CONTROL))


def control_share(data: bytes) -> float:
    """Share of control bytes (NUL and the like, not tab/newline/form feed) in the first 64 KB."""
    sample = data[:65536]
    if not sample:
        return 0.0
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # deleting them, in C
    return controls / len(sample)


def bom_codec(data: bytes) -> str | None:
    return next((codec for bom, codec in _BOMS if data.startswith(bom)), None)


def canonical_codec(name: str) -> str | None:
    """Python codec for a declared charset name, or None when Python does not know it."""
    name = name.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


_COMMON_PUNCT = frozenset("，。、；：？！“”‘’（）《》〈〉【】—…·％")
# Runs of those characters: counting by runs found in C is much faster than a test per character.
_COMMON_RUN = re.compile("[" + re.escape("".join(sorted(COMMON_HAN | _COMMON_PUNCT))) + "]+")


def common_count(text: str) -> int:
    """Characters frequent in Chinese reports: common hanzi and the usual full-width punctuation."""
    return sum(map(len, _COMMON_RUN.findall(text)))


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode report bytes; gives (text with ``\\n`` line breaks, codec, warnings).

    Order: a byte-order mark, then ``declared`` (an HTML page's own charset) if the bytes decode
    with it, then strict UTF-8, then the best of GB18030 / Big5 / UTF-8 with a few bad bytes.
    A declared Western charset (iso-8859-1, windows-1252) loses to a detected Chinese one.
    Raises ``ReadError`` for binary data or bytes that no Chinese encoding decodes.
    """
    bom = bom_codec(data)
    if bom is not None:
        text, bad = _lenient(data, bom)
        return _finish(text), bom, [f"{bad} undecodable byte sequences replaced ({bom})"] if bad else []
    share = control_share(data)
    if share > 0.02:
        raise ReadError(f"binary data, not text ({share:.0%} control bytes)")
    warnings: list[str] = []
    codec = canonical_codec(declared) if declared else None
    if declared and codec is None:
        warnings.append(f"unknown declared charset {declared!r} ignored")
    if codec is not None:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            warnings.append(f"declared charset {declared!r} does not match the bytes")
        else:
            if codec in _CHINESE_CODECS or data.isascii():
                return _finish(text), codec, warnings
            try:
                found, found_codec, found_warnings = _detect(data)
            except ReadError:
                return _finish(text), codec, warnings
            if common_count(found) <= common_count(text):
                return _finish(text), codec, warnings
            warnings.append(f"declared charset {declared!r} ignored: the text is Chinese in {found_codec}")
            return found, found_codec, warnings + found_warnings
    text, codec, found_warnings = _detect(data)
    return text, codec, warnings + found_warnings


def _detect(data: bytes) -> tuple[str, str, list[str]]:
    """Strict UTF-8 unless it looks like misread GBK, else the best of GB18030, Big5 and lenient UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if not _looks_misread(text, data):
            return _finish(text), "utf-8", []
    text, codec, bad = _choose(data)
    _check_plausible(text)
    return _finish(text), codec, [f"{bad} undecodable byte sequences replaced ({codec})"] if bad else []


def _looks_misread(text: str, data: bytes) -> bool:
    """Valid UTF-8 with no common Chinese whose bytes are all common Chinese in GBK or Big5.

    Short GBK can be valid UTF-8 by chance (一 is D2 BB, which UTF-8 reads as Cyrillic һ).
    """
    if text.isascii() or common_count(text):
        return False
    wide = sum(1 for ch in text if not ch.isascii())
    for codec in ("gb18030", "big5"):
        try:
            other = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if common_count(other) >= wide and not _PUA.search(other):
            return True
    return False


def _lenient(data: bytes, codec: str) -> tuple[str, int]:
    """Text decoded with replacement characters, and how many were put in."""
    text = data.decode(codec, errors="replace")
    return text, text.count("\ufffd") - data.count("\ufffd".encode())


def _big5(data: bytes) -> tuple[str, str, int]:
    for codec in _BIG5_FAMILY:
        try:
            return data.decode(codec), codec, 0
        except UnicodeDecodeError:
            continue
    text, bad = _lenient(data, "cp950")
    return text, "cp950", bad


def _choose(data: bytes) -> tuple[str, str, int]:
    """Pick among GB18030, the Big5 family and UTF-8 with replacements: clean first, then common characters."""
    gb_text, gb_bad = _lenient(data, "gb18030")
    b5_text, b5_codec, b5_bad = _big5(data)
    u8_text, u8_bad = _lenient(data, "utf-8")
    candidates = [(gb_text, "gb18030", gb_bad), (b5_text, b5_codec, b5_bad), (u8_text, "utf-8", u8_bad)]
    pool = [c for c in candidates if c[2] == 0]
    if not pool:
        pool = [c for c in candidates if c[2] <= max(1, len(c[0]) // 500)]
    if not pool:
        raise ReadError("undecodable text: not UTF-8, GB18030 or Big5")
    scores = {c[1]: common_count(c[0]) - 20 * c[2] - 5 * len(_PUA.findall(c[0])) for c in pool}
    top = max(scores.values())
    tied = [c for c in pool if scores[c[1]] == top]
    if len(tied) > 1:
        # a few bytes say too little for charset-normalizer; mainland reports are far more often GBK
        chosen = _tie_break(data, [c[1] for c in tied]) if len(data) >= 16 else tied[0][1]
        tied = [c for c in tied if c[1] == chosen]
    return tied[0]


def _tie_break(data: bytes, names: list[str]) -> str:
    """charset-normalizer, allowed only the tied codecs (so never cp949 or a Japanese codec)."""
    best = from_bytes(data, cp_isolation=names).best()
    if best is not None:
        found = canonical_codec(best.encoding)
        for name in names:
            if canonical_codec(name) == found:
                return name
    return names[0]


def _check_plausible(text: str) -> None:
    """Refuse long text whose Chinese characters are almost all rare: binary decoded as GB18030."""
    han = _HAN.findall(text)
    if len(han) >= 200 and common_count(text) < 0.1 * len(han):
        raise ReadError("binary junk: the decoded text has almost no common Chinese characters")


def _finish(text: str) -> str:
    return _NEWLINES.sub("\n", text.removeprefix("\ufeff"))


def collapse(text: str) -> str:
    """Whitespace runs to one space, stripped (table cells)."""
    return " ".join(text.split())


def pipe_row(cells: list[str]) -> str:
    """``| a | b | c |``; a ``|`` inside a cell is written as the full-width ``｜``."""
    return "| " + " | ".join(cell.replace("|", "｜") for cell in cells) + " |"


def title_from_lines(text: str, max_lines: int = 8) -> str | None:
    """The report's title when one of the first lines names it (…年度报告, Annual Report …).

    Breadcrumb and navigation lines are skipped; a title line that starts with the year is joined
    to a short organisation name on the line above it (淮安市人民政府 / 2024年…年度报告).
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()][:max_lines]
    above: str | None = None
    for line in lines:
        if len(line) > 150:
            return None
        if _NAV_LINE.search(line):
            above = None
            continue
        if _TITLE_WORDS.search(line) and not _SENTENCE.search(line):
            if above and len(above) <= 30 and _ORG_END.search(above) and _YEAR_START.match(line):
                return above + line
            return line
        above = line
    return None
