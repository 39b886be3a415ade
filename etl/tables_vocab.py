"""Label vocabularies of the national template's tables 2–4 (2019 trial and 2021 versions).

Takes nothing; gives the row and column ids the template-table parser emits and the label
fragments (Chinese and English translations) that identify them. Every alias is written in
``key()`` form: NFKC, lower case, no whitespace, so labels broken across lines still match.
Ids and column names follow ``shared/tools/score_cells.py``.
"""

from __future__ import annotations

import functools
import re
import unicodedata


# Cached: each table parser keys the same lines again (table 2, the search for table 3's start,
# table 3, table 4), and labels repeat across reports.
@functools.lru_cache(maxsize=8192)
def key(s: str) -> str:
    """Matching form of a label: NFKC, lower case, whitespace removed (``str.split`` knows the
    same whitespace as ``re``'s ``\\s``)."""
    return "".join(unicodedata.normalize("NFKC", s).split()).lower()


def alias_ids(vocab: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The id each alias stands for; an alias listed under two ids belongs to the first."""
    ids: dict[str, str] = {}
    for ident, aliases in vocab.items():
        for alias in aliases:
            ids.setdefault(alias, ident)
    return ids


def finder(vocab: dict[str, tuple[str, ...]]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for all aliases, longest first so that a scan finds leftmost-longest matches,
    and the id each alias stands for."""
    ids = alias_ids(vocab)
    return re.compile("|".join(re.escape(a) for a in sorted(ids, key=len, reverse=True))), ids


# --- table 3 -------------------------------------------------------------------------------

T3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")

# Row id -> label fragments. A row matches when one fragment occurs in its label; fragments are
# short so that labels split by PDF line breaks still match. Order is the template's order.
T3_ROWS: dict[str, tuple[str, ...]] = {
    "R01": ("本年新收", "新收政府信息公开申请", "newapplications", "newlyreceived", "receivedthisyear"),
    "R02": ("上年结转", "上一年结转", "carriedoverfromlastyear", "carriedoverfromthepreviousyear",
            "fromlastyear", "fromthepreviousyear"),
    "R03": ("予以公开", "disclosed", "granted"),
    "R04": ("部分公开", "partiallydisclosed", "partlydisclosed", "partialdisclosure"),
    "R05": ("国家秘密", "statesecret"),
    "R06": ("法律行政法规禁止", "禁止公开", "prohibitedbyother", "prohibitedby"),
    "R07": ("三安全一稳定", "三安全", "一稳定", "threesecurit", "securityandstability"),
    "R08": ("第三方合法权益", "保护第三方", "thirdparty", "third-party"),
    "R09": ("内部事务", "internalaffairs"),
    "R10": ("过程性", "processinformation", "process-related"),
    "R11": ("执法案卷", "enforcementfile", "enforcementdossier"),
    "R12": ("行政查询", "inquirymatter", "querymatter", "administrativeinquir", "administrativequer"),
    "R13": ("不掌握", "doesnothold", "notheld", "nothold", "doesnotpossess"),
    "R14": ("没有现成信息", "另行制作", "ready-made", "readymade", "tobeproduced", "havetobeproduced"),
    "R15": ("仍不明确", "补正后", "stillunclear", "stillnotclear"),
    "R16": ("信访", "举报投诉", "petition", "complaint"),
    "R17": ("重复申请", "repeatedapplication", "duplicateapplication"),
    "R18": ("出版物", "publication"),
    "R19": ("大量反复", "largenumbersofrepeated", "largenumberofrepeated", "massrepeated"),
    "R20": ("确认或重新", "重新出具", "已获取信息", "re-issue", "reissue", "confirmor", "alreadyobtained"),
    "R21": ("逾期不补正", "不补正", "其他处理", "didnotsupplement", "notsupplement", "failedtosupplement",
            "otherhandling", "otherprocessing", "othertreatment"),
    "R22": ("收费通知", "缴纳费用", "未按收费", "didnotpay", "paythefee", "payfee", "fee"),
    "R23": ("其他", "other"),
    "R24": ("总计", "合计", "total"),
    "R25": ("结转下年", "继续办理", "carriedovertonextyear", "carriedovertothenextyear", "carriedforward",
            "nextyear"),
}
# Fragments that only the 2021 sub-rows of （六）其他处理 carry: their presence means 2021 format.
# Table-3 outcome rows grouped the way the dashboard charts them (granted … other handling).
OUTCOME_GROUPS: dict[str, tuple[str, ...]] = {
    "granted": ("R03",),
    "partly": ("R04",),
    "refused": tuple(f"R{i:02d}" for i in range(5, 13)),
    "unable": ("R13", "R14", "R15"),
    "not_handled": tuple(f"R{i:02d}" for i in range(16, 21)),
    "other": ("R21", "R22", "R23"),
}
T3_2021_ONLY = ("逾期不补正", "不补正", "didnotsupplement", "notsupplement", "failedtosupplement")
T3_ORDER_2021 = tuple(T3_ROWS)
T3_ORDER_2019 = tuple(r for r in T3_ROWS if r not in ("R22", "R23"))

# --- table 2 -------------------------------------------------------------------------------

# Internal row key -> aliases in ``row_key()`` form (punctuation, brackets and numbering removed).
T2_ROWS: dict[str, tuple[str, ...]] = {
    "规章": ("规章", "rules", "regulations", "governmentrules"),
    "规范性文件": ("规范性文件", "行政规范性文件", "normativedocuments", "administrativenormativedocuments",
                   "regulatorydocuments", "administrativeregulatorydocuments"),
    "行政许可": ("行政许可", "administrativelicensing", "administrativelicences", "administrativelicenses",
                 "administrativelicense", "administrativepermits", "administrativepermission"),
    "其他对外管理服务事项": ("其他对外管理服务事项", "otherexternalmanagementservices",
                             "otherexternalmanagementandservicematters", "otherexternalmanagementandservices",
                             "otherexternalmanagementservicematters"),
    "行政处罚": ("行政处罚", "administrativepenalties", "administrativepenalty", "administrativepunishments",
                 "administrativepunishment"),
    "行政强制": ("行政强制", "administrativecompulsorymeasures", "administrativecompulsion",
                 "administrativecoercion", "administrativeenforcement", "administrativecompulsorymeasure"),
    "行政事业性收费": ("行政事业性收费", "administrativefees", "administrativeandinstitutionalfees",
                       "administrativecharges", "administrativeandinstitutionalcharges"),
    "政府集中采购": ("政府集中采购", "governmentcentralizedprocurement", "centralizedgovernmentprocurement",
                     "governmentcentralisedprocurement", "governmentprocurement"),
}
# The row name each version's gold and scorer use for the internal key.
T2_ROW_NAME = {"2019": {"规范性文件": "规范性文件"}, "2021": {"规范性文件": "行政规范性文件"}}
T2_ONLY_2019_ROWS = ("其他对外管理服务事项", "政府集中采购")

# Column name -> header aliases in ``key()`` form. Longer aliases win where they overlap.
T2_COLUMNS: dict[str, tuple[str, ...]] = {
    # 2021
    "本年制发件数": ("本年制发件数", "制发件数", "issuedthisyear", "newlyissued"),
    "本年废止件数": ("本年废止件数", "废止件数", "abolishedthisyear", "repealedthisyear"),
    "现行有效件数": ("现行有效件数", "现行有效", "currentlyinforce", "currentlyvalid", "inforce"),
    "本年处理决定数量": ("本年处理决定数量", "numberofdecisionsmadethisyear", "decisionsmadethisyear"),
    "本年收费金额": ("本年收费金额", "收费金额", "amountoffeescollected", "feescollected"),
    # 2019
    "本年新制作数量": ("本年新制作数量", "新制作数量", "newlymadethisyear", "newlyproduced", "newlyformulated"),
    "本年新公开数量": ("本年新公开数量", "新公开数量", "newlydisclosedthisyear", "newlypublished",
                       "newlydisclosed"),
    "对外公开总数量": ("对外公开总数量", "公开总数量", "totalnumberdisclosed", "totaldisclosed"),
    "上一年项目数量": ("上一年项目数量", "上年项目数量", "numberofitemslastyear", "itemslastyear",
                       "itemsinthepreviousyear"),
    "本年增/减": ("本年增/减", "本年增减", "增/减", "increase/decrease", "increaseordecrease"),
    "处理决定数量": ("处理决定数量", "numberofdecisions"),
    "采购项目数量": ("采购项目数量", "numberofprocurementitems", "procurementitems"),
    "采购总金额": ("采购总金额", "totalprocurementamount", "totalamountofprocurement"),
}
T2_COLUMNS_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额")
T2_COLUMNS_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
                   "处理决定数量", "采购项目数量", "采购总金额")
# Money units a header may state after a column label, in ``key()`` form.
HEADER_UNITS = (("万元", "万元"), ("10,000yuan", "万元"), ("10000yuan", "万元"),
                ("tenthousandyuan", "万元"), ("元", "元"), ("yuan", "元"))

# The template's columns per version and row, used when a table's own header is unreadable.
T2_DEFAULT: dict[str, dict[str, tuple[str, ...]]] = {
    "2021": {
        "规章": ("本年制发件数", "本年废止件数", "现行有效件数"),
        "规范性文件": ("本年制发件数", "本年废止件数", "现行有效件数"),
        "行政许可": ("本年处理决定数量",), "行政处罚": ("本年处理决定数量",), "行政强制": ("本年处理决定数量",),
        "行政事业性收费": ("本年收费金额",),
    },
    "2019": {
        "规章": ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
        "规范性文件": ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
        "行政许可": ("上一年项目数量", "本年增/减", "处理决定数量"),
        "其他对外管理服务事项": ("上一年项目数量", "本年增/减", "处理决定数量"),
        "行政处罚": ("上一年项目数量", "本年增/减", "处理决定数量"),
        "行政强制": ("上一年项目数量", "本年增/减", "处理决定数量"),
        "行政事业性收费": ("上一年项目数量", "本年增/减"),
        "政府集中采购": ("采购项目数量", "采购总金额"),
    },
}

# "第二十条第（一）项" / "Article 20 (1)": starts a new block with its own header.
T2_BLOCK = re.compile(r"^第二十条第?\(?[一二三四五六七八九十]+\)?项|^article20\(?\d+\)?")

# --- table 4 -------------------------------------------------------------------------------

T4_COLUMNS = ("维持", "纠正", "其他", "尚未审结", "总计")
T4_ROWS = ("复议", "直接起诉", "复议后起诉")  # the template's left-to-right order
# Checked in this order: the lawsuit labels contain 复议 too.
T4_ROW_ALIASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("复议后起诉", ("复议后起诉", "afterreconsideration")),
    ("直接起诉", ("直接起诉", "directly", "directlawsuit", "withoutreconsideration")),
    ("复议", ("行政复议", "复议", "administrativereconsideration", "reconsideration")),
)
T4_HEADER = ("结果维持", "维持", "行政复议", "行政诉讼", "upheld", "reconsideration", "litigation")

# --- section boundaries ----------------------------------------------------------------------

# A line that opens table 4's section or a later one ends table 3.
T3_STOP = ("行政复议", "行政诉讼", "administrativereconsideration", "administrativelitigation")
# Headings of sections 五/六: table 4 ends there.
SECTION_AFTER_T4 = re.compile(
    r"^(五|六|v|vi)[、.．]|存在的主要问题|主要问题及改进|其他需要报告|mainproblems|othermatters")
