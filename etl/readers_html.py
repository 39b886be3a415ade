"""HTML pages → the report's text: the main content only, one line per block, tables as pipe rows.

Takes the page's bytes and gives a ``Document`` of kind ``html``. The page's own charset
(``<meta charset>``, ``http-equiv`` or an XML declaration) is honoured before detection. Scripts,
styles, navigation, headers, footers, breadcrumbs, share bars and "相关文章" lists are dropped, and
the main content container is found by descending from ``<body>`` into the child that holds
nearly all of the text outside links (as readability and trafilatura do). Every data ``<table>``
becomes one ``| a | b | c |`` line per ``<tr>``; a rowspan/colspan cell appears once, in the row
that holds it. A table used for page layout (one holding another table or long paragraphs) is
read as blocks instead.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from etl.model import Document, ReadError
from etl.readers_text import collapse, decode_text, pipe_row, title_from_lines

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|h[1-6])[\s>/]", re.I)
_BAD_CHARS = re.compile(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "frame", "object", "embed", "svg",
              "canvas", "select", "button", "input", "textarea", "map", "audio", "video")
_BOILER_TAGS = ("nav", "header", "footer", "aside")
_BOILER_ATTR = re.compile(
    r"nav|menu|breadcrumb|crumb|footer|header|share|sidebar|copyright|related|relate|recommend|comment"
    r"|login|search|banner|position|location|dqwz|daohang|bottom|advert|pager|pagination|qrcode|ewm"
    r"|toolbar|topbar|friend|social|popup|fontsize|xgwz|xgxx|^(?:top|foot|head|side|dh|wz|ad|ads|tools?)$",
    re.I,
)
_RELATED = re.compile(r"^[【\[]?\s*(?:相关文章|相关阅读|延伸阅读|相关链接|相关新闻|相关信息|相关文档|相关推荐"
                      r"|推荐阅读|热点推荐|猜你喜欢)")
_TOOLS = re.compile(r"^[【\[]?\s*(?:分享到|打印本页|打印|关闭窗口|关闭|字体|字号|扫一扫|返回顶部|上一篇|下一篇"
                    r"|当前位置|您的位置|您现在的位置|所在位置)")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|—{1,2}|\s-\s|(?<!\d)-|-(?!\d))\s*")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ALNUM = re.compile(r"[A-Za-z0-9]")

_BLOCK = frozenset((
    "html", "body", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "section", "article", "main", "blockquote", "address", "center", "form", "fieldset", "figure",
    "figcaption", "hr", "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "header", "footer",
))
_CONTAINERS = frozenset(("html", "body", "div", "section", "article", "main", "form", "center", "table",
                         "tbody", "thead", "tfoot", "tr", "td", "th", "font", "span", "blockquote"))
_ROWS = "./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB, as written."""
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii") if match else None


def looks_like_html(text_start: str) -> bool:
    """Whether text starts like an HTML page or fragment (``<!DOCTYPE html``, ``<html``, ``<p`` …)."""
    head = text_start.lstrip("\ufeff \t\r\n")
    while head.startswith("<!--"):
        end = head.find("-->")
        if end < 0:
            return False
        head = head[end + 3:].lstrip()
    if head.startswith("<?xml"):
        head = head[head.find(">") + 1:].lstrip()
    return bool(_HTML_START.match(head))


def read_html(data: bytes, source: str) -> Document:
    text, encoding, warnings = decode_text(data, declared_charset(data))
    text = _BAD_CHARS.sub("", _XML_DECL.sub("", text, count=1))
    if not text.strip():
        raise ReadError("HTML page without text")
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"unreadable HTML: {' '.join(str(exc).split())[:200]}") from exc
    body = root.find("body")
    if body is None:
        body = root
    page_title = _page_title(root)
    all_h1 = _h1_texts(body, page_title)
    _drop(body)
    heading = next(iter(_h1_texts(body, page_title)), None) or next(iter(all_h1), None)
    lines = _Renderer().render(_main_container(body))
    if not lines:
        raise ReadError("HTML page without text (images or frames only?)")
    body_text = "\n".join(lines)
    if heading and heading not in body_text[:2000]:
        body_text = f"{heading}\n{body_text}"
    title = heading or title_from_lines(body_text) or (page_title[0] if page_title else None)
    return Document(source=source, text=body_text, kind="html", encoding=encoding, title=title,
                    warnings=warnings)


def _text_weight(text: str) -> float:
    return len(_CJK.findall(text)) + len(_ALNUM.findall(text)) / 4


def _split_weight(el: etree._Element) -> tuple[float, float]:
    """(text outside links, text inside links) of an element."""
    outside = inside = 0.0

    def visit(node: etree._Element, in_link: bool) -> None:
        nonlocal outside, inside
        in_link = in_link or node.tag == "a"
        if node.text:
            w = _text_weight(node.text)
            inside, outside = (inside + w, outside) if in_link else (inside, outside + w)
        for child in node:
            if isinstance(child.tag, str):
                visit(child, in_link)
            if child.tail:
                w = _text_weight(child.tail)
                inside, outside = (inside + w, outside) if in_link else (inside, outside + w)

    visit(el, False)
    return outside, inside


def _remove(el: etree._Element) -> None:
    """Remove an element but keep its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _drop(body: etree._Element) -> None:
    """Drop scripts and the like, hidden elements, then navigation, footers, share bars and related lists."""
    for el in list(body.iter(*_DROP_TAGS)):
        _remove(el)
    for el in list(body.iter()):
        if isinstance(el.tag, str) and (el.get("hidden") is not None or _HIDDEN.search(el.get("style", ""))):
            _remove(el)
    page = sum(_split_weight(body)) or 1.0
    stack = [c for c in body if isinstance(c.tag, str)]
    while stack:
        el = stack.pop()
        tokens = [*el.get("class", "").split(), el.get("id", "")]
        boiler = el.tag in _BOILER_TAGS or any(t and _BOILER_ATTR.search(t) for t in tokens)
        if boiler and sum(_split_weight(el)) < 0.3 * page:
            _remove(el)
        else:
            stack.extend(c for c in el if isinstance(c.tag, str))
    _drop_related(body)


def _drop_related(body: etree._Element) -> None:
    """Remove '相关文章' headings with the link lists after them, and share/print/previous-next bars."""
    for node in list(body.xpath(".//text()")):
        text = str(node).strip()
        related, tools = _RELATED.match(text), _TOOLS.match(text)
        if not (related or tools):
            continue
        el = node.getparent()
        if node.is_tail:
            el = el.getparent()
        while el is not None and el.tag not in _BLOCK:
            el = el.getparent()
        if el is None or el is body or el.getparent() is None:
            continue
        outside, inside = _split_weight(el)
        if outside + inside > 40 and inside < outside:
            continue
        if related:
            nxt = el.getnext()
            while nxt is not None and _is_link_list(nxt):
                after = nxt.getnext()
                _remove(nxt)
                nxt = after
        _remove(el)


def _is_link_list(el: etree._Element) -> bool:
    outside, inside = _split_weight(el)
    return inside > 0 and inside >= outside


def _page_title(root: etree._Element) -> list[str]:
    """The <title> split at site-name separators (``_``, ``-``, ``|``); the first part is the title."""
    el = root.find(".//title")
    if el is None:
        return []
    return [p for p in _TITLE_SPLIT.split(collapse(el.text_content())) if p]


def _h1_texts(body: etree._Element, page_title: list[str]) -> list[str]:
    """Texts of the <h1> headings that are not just the site's name from the <title>."""
    site_names = set(page_title[1:])
    texts = (collapse(h1.text_content()) for h1 in body.iter("h1"))
    return [text for text in texts if text and len(text) <= 200 and text not in site_names]


def _main_container(body: etree._Element) -> etree._Element:
    """Descend from <body> into the child container holding 95% of the text outside links.

    Never into a paragraph-level element, and never past a sibling holding a table.
    """
    node = body
    while node.tag in _CONTAINERS and not (node.tag == "table" and not _is_layout(node)):
        kids = [c for c in node if isinstance(c.tag, str)]
        total = _split_weight(node)[0]
        if not kids or total == 0:
            break
        weights = [(_split_weight(c)[0], c) for c in kids]
        best_weight, best = max(weights, key=lambda pair: pair[0])
        rest_has_table = any(c is not best and (c.tag == "table" or c.find(".//table") is not None) for c in kids)
        if best_weight < 0.95 * total or rest_has_table or best.tag not in _CONTAINERS:
            break
        node = best
    return node


def _is_layout(table: etree._Element) -> bool:
    """A table used to lay out the page: it holds another table or cells of long paragraphs."""
    if table.find(".//table") is not None:
        return True
    for cell in table.iter("td", "th"):
        text = collapse(cell.text_content())
        if len(text) > 500 or (len(text) > 200 and cell.find(".//p") is not None):
            return True
        if len(text) > 200 and len(cell.findall(".//br")) >= 2:
            return True
    return False


class _Renderer:
    """Walks the content tree; one line per block, ``<br>`` breaks lines, tables as pipe rows."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []

    def render(self, el: etree._Element) -> list[str]:
        self._walk(el)
        self._flush()
        return self.lines

    def _flush(self) -> None:
        line = collapse("".join(self.buf))
        if line:
            self.lines.append(line)
        self.buf = []

    def _walk(self, el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "br":
            self._flush()
            return
        if tag == "table" and not _is_layout(el):
            self._flush()
            self._table(el)
            return
        if tag == "pre":
            self._flush()
            self.lines.extend(line.rstrip() for line in el.text_content().split("\n") if line.strip())
            return
        block = tag in _BLOCK
        if block:
            self._flush()
        if el.text and tag:
            self.buf.append(el.text)
        for child in el:
            self._walk(child)
            if child.tail:
                self.buf.append(child.tail)
        if block:
            self._flush()

    def _table(self, table: etree._Element) -> None:
        caption = table.find("caption")
        if caption is not None and collapse(caption.text_content()):
            self.lines.append(collapse(caption.text_content()))
        for row in table.xpath(_ROWS):
            cells = [_cell_text(cell) for cell in row if cell.tag in ("td", "th")]
            if any(cells):
                self.lines.append(pipe_row(cells))


def _cell_text(cell: etree._Element) -> str:
    """Cell text with whitespace collapsed; <br> and blocks inside the cell count as spaces."""
    parts: list[str] = []

    def visit(node: etree._Element) -> None:
        spaced = node.tag == "br" or node.tag in _BLOCK
        if spaced:
            parts.append(" ")
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                visit(child)
            if child.tail:
                parts.append(child.tail)
        if spaced:
            parts.append(" ")

    visit(cell)
    return collapse("".join(parts))
