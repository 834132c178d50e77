"""HTML output: a one-page printable handout (``setup --format html``) or the advice
(``recommend --format html``), as one self-contained file.

The page has inline CSS with A4 print styles, no scripts, no external fonts, images or links,
and a Content-Security-Policy that forbids fetching anything. Every value from the knowledge
base goes through MarkupSafe (``Markup.format`` escapes its arguments), after control
characters are removed. The server URL's QR code, when there is one, is an inline SVG made by
``segno``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from markupsafe import Markup, escape

from gialai_remote.advice import Advice, ContactInfo, NoticeInfo, StatusInfo
from gialai_remote.handout import Handout, HandoutSet
from gialai_remote.i18n import t
from gialai_remote.render import words as doc
from gialai_remote.render.words import query_summary, safe

#: The page's styles: A4 with print margins; a sheet with a shadow on screen.
CSS = Markup("""
@page { size: A4; margin: 12mm 13mm; }
* { box-sizing: border-box; }
html { font-family: Arial, "Liberation Sans", "DejaVu Sans", "Noto Sans", sans-serif; font-size: 10pt;
  line-height: 1.32; color: #111; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #e9e9e9; }
.sheet { width: 210mm; min-height: 297mm; margin: 8mm auto; padding: 12mm 13mm; background: #fff;
  box-shadow: 0 1mm 4mm rgba(0, 0, 0, .25); }
h1 { font-size: 17pt; line-height: 1.15; margin: 0 0 1.5mm; }
h2 { font-size: 11pt; margin: 3.2mm 0 1.2mm; padding-bottom: .6mm; border-bottom: .6pt solid #888; }
p { margin: 0 0 1mm; }
ul, ol { margin: 0; padding-left: 5.5mm; }
li { margin: 0 0 .8mm; }
.sub { color: #444; margin-bottom: 1mm; }
.top { display: flex; gap: 5mm; align-items: flex-start; }
.top > .main { flex: 1; min-width: 0; }
.server { width: 50mm; flex: none; text-align: center; border: .8pt solid #333; border-radius: 2mm;
  padding: 2.5mm; margin-top: 3.2mm; }
.server h2 { border: 0; margin: 0 0 1mm; padding: 0; }
.url { font-family: "DejaVu Sans Mono", "Liberation Mono", Consolas, monospace; font-weight: bold;
  font-size: 9.5pt; white-space: nowrap; margin: 0 0 1.5mm; }
.url.wide { text-align: left; margin: 1.5mm 0 0; }
.url.long { white-space: normal; overflow-wrap: anywhere; }
.server svg { display: block; margin: 0 auto; width: 32mm; height: 32mm; }
.qr-caption { font-size: 8pt; color: #444; margin: 1mm 0 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .6mm 3mm; margin: 0; }
dt { font-weight: bold; }
dd { margin: 0; }
.steps li { margin-bottom: 1.1mm; }
.contacts li { list-style: none; margin-left: -5.5mm; }
.phone { font-size: 13pt; font-weight: bold; letter-spacing: .3pt; white-space: nowrap;
  font-variant-numeric: tabular-nums; }
.fresh { font-size: 9pt; color: #444; }
.blocked { border: 1.4pt solid #a00; background: #fdecec; padding: 1.5mm 3mm; margin: 2mm 0; }
.blocked h2 { border: 0; color: #a00; margin: 0 0 1mm; padding: 0; }
.warnings { border-left: 2.4pt solid #c77700; background: #fff6e0; padding: .5mm 3mm 1.5mm; }
.warnings h2 { border: 0; }
.notices { font-size: 8.6pt; color: #333; }
.notices h2 { font-size: 9.5pt; }
.muted { color: #555; }
.verdict { font-weight: bold; font-size: 11pt; }
.rec { border: .6pt solid #bbb; border-radius: 1.5mm; padding: 0 3mm 2mm; margin: 2.5mm 0; }
footer { font-size: 8pt; color: #444; border-top: .6pt solid #888; margin-top: 3.5mm; padding-top: 1.2mm; }
section, .rec, li { break-inside: avoid; }
h2 { break-after: avoid; }
@media print {
  body { background: none; }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
}
""")

#: Added to the styles of a handout given more than a year after the letter, which also carries
#: the tool's status and what changed since: a smaller type keeps it one A4 page (a page of
#: the letter's own time keeps the styles above, unchanged).
LATE_CSS = Markup("""
@page { size: A4; margin: 9mm 11mm; }
html { font-size: 8.8pt; line-height: 1.26; }
h1 { font-size: 15pt; }
.notices { font-size: 8pt; }
.late { margin: 1mm 0 0; }
""")

# Nothing may be fetched: no scripts, no external fonts, images, frames or connections.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def h(text: str) -> Markup:
    """A knowledge-base value as escaped HTML text, control characters removed."""
    return escape(safe(text))


def _page(lang: str, page_title: str, body: Markup, late: bool = False) -> str:
    head = Markup(
        '<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="gialai-remote">\n'
        "<title>{title}</title>\n<style>{css}</style>\n</head>\n"
    ).format(lang=lang, csp=_CSP, title=h(page_title), css=CSS + LATE_CSS if late else CSS)
    return str(head + Markup('<body>\n<main class="sheet">\n') + body + Markup("</main>\n</body>\n</html>\n"))


def _list(items: Iterable[str], tag: str = "ul", cls: str = "") -> Markup:
    inner = Markup("").join(Markup("<li>{}</li>\n").format(h(item)) for item in items)
    attr = Markup(' class="{}"').format(cls) if cls else Markup("")
    if tag == "ol":
        return Markup("<ol{attr}>\n{inner}</ol>\n").format(attr=attr, inner=inner)
    return Markup("<ul{attr}>\n{inner}</ul>\n").format(attr=attr, inner=inner)


def _section(cls: str, title: str, content: Markup) -> Markup:
    return Markup('<section class="{cls}">\n<h2>{title}</h2>\n{content}</section>\n').format(
        cls=cls, title=h(title), content=content
    )


def _contacts(contacts: tuple[ContactInfo, ...]) -> Markup:
    return Markup('<ul class="contacts">\n{}</ul>\n').format(
        Markup("").join(
            Markup('<li><span class="who">{who}</span>: <span class="phone">{phone}</span>{fresh}</li>\n').format(
                who=h(doc.contact_who(c)),
                phone=h(doc.contact_phone(c)),
                fresh=Markup(' <span class="fresh">{}</span>').format(doc.contact_freshness(c)) if c.freshness else "",
            )
            for c in contacts
        )
    )


def _notices(notices: tuple[NoticeInfo, ...], lang: str, title: str) -> Markup:
    if not notices:
        return Markup("")
    items = Markup("").join(
        Markup('<li><b>{day}</b>: {text} <span class="muted">{source}</span></li>\n').format(
            day=h(doc.notice_head(n, lang)), text=h(n.text), source=h(doc.notice_source(n, lang))
        )
        for n in notices
    )
    return _section("notices", title, Markup("<ul>\n{}</ul>\n").format(items))


def _status(status: tuple[StatusInfo, ...], lang: str) -> Markup:
    if not status:
        return Markup("")
    return _section(
        "status warnings", doc.heading("label.status", lang), _list(doc.status_line(s, lang) for s in status)
    )


def qr_svg(url: str) -> Markup | None:
    """The QR code of ``url`` as an inline SVG element (segno; error correction level M).

    Returns None when ``url`` is too long for the largest QR code (about 2,300 bytes at level M).
    """
    import segno

    try:
        code = segno.make(url, error="m", micro=False)
    except segno.DataOverflowError:
        return None
    svg = code.svg_inline(scale=4, border=2, svgclass="qr", lineclass=None, omitsize=True)
    return Markup(svg)  # noqa: S704 - segno writes only path data and numbers, no text of the URL


#: The server box's width, and the room inside it for the URL (padding and border off), in mm.
BOX_MM, BOX_INNER_MM = 50.0, 44.4
#: The widest the box may grow to keep a URL on one line at a readable size, in mm.
BOX_MAX_MM = 80.0
#: The page's width inside the print margins (A4, 13 mm each side), in mm.
PAGE_INNER_MM = 184.0
#: The URL's font sizes, in points: as designed, the smallest still easy to type from, and
#: the smallest at all (below that a very long URL may wrap: nothing else fits the page).
URL_PT, URL_READABLE_PT, URL_MIN_PT = 9.5, 7.5, 6.0
#: The advance of one monospace character, in em (DejaVu Sans Mono's is 0.602), with a margin.
_ADVANCE_EM = 0.62
_MM_PER_PT = 25.4 / 72


def url_layout(url: str) -> tuple[float, float, str]:
    """Where the handout prints ``url`` so it stays on one line: (box width in mm, font size in
    pt, place), place being "box" (in the server box), or "wide" (under it, the page's width)
    or "long" (under it and allowed to wrap: longer than any line at the smallest size).

    Monospace, so the URL's width is its length times the font's advance: the box keeps its
    50 mm when the URL fits at 7.5 pt or more, grows up to 80 mm to keep 7.5 pt, and past that
    the URL goes under the box, across the page.
    """
    length = max(len(url), 1)

    def fitting(room_mm: float) -> float:
        return room_mm / (_ADVANCE_EM * length * _MM_PER_PT)

    if fitting(BOX_INNER_MM) >= URL_READABLE_PT:
        return BOX_MM, min(URL_PT, fitting(BOX_INNER_MM)), "box"
    needed = URL_READABLE_PT * _ADVANCE_EM * length * _MM_PER_PT + (BOX_MM - BOX_INNER_MM)
    if needed <= BOX_MAX_MM:
        return needed, URL_READABLE_PT, "box"
    size = min(URL_PT, fitting(PAGE_INNER_MM))
    return BOX_MM, max(size, URL_MIN_PT), "wide" if size >= URL_MIN_PT else "long"


def _server(url: str, lang: str) -> tuple[Markup, Markup]:
    """The server box (its heading, the URL, its QR code or a note saying why there is none)
    and, for a URL too long for the box, the URL's own line under the top of the page."""
    warning = doc.url_warning(url, lang)
    qr = None if warning else qr_svg(url)
    if qr is not None:
        after = Markup('{}<p class="qr-caption">{}</p>\n').format(qr, h(t("handout.qr", lang)))
    else:
        after = Markup('<p class="qr-caption">{}</p>\n').format(h(warning or t("handout.qr_too_long", lang)))
    width, size, place = url_layout(url)
    text = Markup('<p class="url{cls}" style="font-size: {size:.2f}pt">{url}</p>\n').format(
        cls="" if place == "box" else f" {place}", size=size, url=h(url)
    )
    style = Markup(' style="width: {:.1f}mm"').format(width) if width != BOX_MM else Markup("")
    box = Markup('<aside class="server"{style}>\n<h2>{label}</h2>\n{url}{after}</aside>\n').format(
        style=style, label=h(t("handout.server_url", lang)), url=text if place == "box" else Markup(""), after=after
    )
    return box, (Markup("") if place == "box" else text)


def render_handout(ho: Handout) -> str:
    """The handout as one self-contained HTML page (UTF-8 text) that prints on one A4 page."""
    lang = ho.lang
    parts: list[Markup] = [
        Markup('<header>\n<h1>{}</h1>\n<p class="sub">{}</p>\n{}</header>\n').format(
            h(doc.title(ho)), h(doc.subtitle(ho)), _opening(doc.opening(ho.warnings))
        )
    ]
    if ho.blockers:
        parts.append(_section("blocked", t("handout.blocked", lang), _list(r.message for r in ho.blockers)))
    parts.append(_status(ho.status, lang))
    main: list[Markup] = []
    if ho.purpose:
        main.append(_section("purpose", t("handout.purpose", lang), _list(ho.purpose)))
    rows = Markup("").join(
        Markup("<dt>{}</dt><dd>{}</dd>\n").format(h(label), h(value)) for label, value in doc.facts(ho)
    )
    main.append(_section("facts", t("handout.facts", lang), Markup("<dl>\n{}</dl>\n").format(rows)))
    server, wide_url = _server(ho.server_url, lang) if ho.server_url else (Markup(""), Markup(""))
    parts.append(
        Markup('<div class="top">\n<div class="main">\n{}</div>\n{}</div>\n').format(Markup("").join(main), server)
    )
    parts.append(wide_url)
    steps = _list(ho.steps, "ol") if ho.steps else Markup("<p>{}</p>\n").format(h(t("handout.no_steps", lang)))
    parts.append(_section("steps", doc.steps_heading(ho), steps))
    contacts = (
        _contacts(ho.contacts) if ho.contacts else Markup("<p>{}</p>\n").format(h(t("handout.no_contacts", lang)))
    )
    parts.append(_section("contacts", t("handout.contacts", lang), contacts))
    warnings = doc.other_warnings(ho.warnings)
    if warnings:
        parts.append(_section("warnings", t("handout.warnings", lang), _list(warnings)))
    parts.append(_notices(ho.notices, lang, t("handout.notices", lang)))
    parts.append(
        Markup("<footer>\n<p>{}</p>\n<p>{}</p>\n</footer>\n").format(
            h(doc.source_line(ho.source, ho.section, ho.title, lang)),
            h(doc.made_line(ho.date, lang, bool(ho.contacts))),
        )
    )
    late = bool(doc.opening(ho.warnings))
    return _page(lang, doc.title(ho), Markup("").join(parts), late)


def _opening(lines: list[str]) -> Markup:
    """A late page's opening line(s), under its title: what the page is and how old."""
    return Markup("").join(Markup('<p class="late"><strong>{}</strong></p>\n').format(h(line)) for line in lines)


def render_index(hs: HandoutSet, files: Mapping[str, str]) -> str:
    """The index page of ``setup --all``: a link to each tool's sheet, grouped by category,
    as one self-contained HTML page that prints on one A4 page.

    Args:
        hs: the set of handouts.
        files: each tool id's file name, relative to the index ("polycom.html").
    """
    lang = hs.lang
    parts: list[Markup] = [
        Markup('<header>\n<h1>{}</h1>\n<p class="sub">{}</p>\n{}</header>\n<p>{}</p>\n').format(
            h(doc.index_title(hs)),
            h(doc.index_subtitle(hs)),
            _opening(doc.index_opening(hs)),
            h(t("index.intro", lang)),
        )
    ]
    for heading, items in doc.index_groups(hs):
        rows = Markup("").join(
            Markup(
                '<li><a href="{file}">{name}</a> <span class="muted">({section} {sec}){blocked}</span></li>\n'
            ).format(
                file=files[ho.tool],
                name=h(ho.name),
                section=h(t("label.section", lang)),
                sec=h(ho.section),
                blocked=Markup("; {}").format(h(t("index.blocked", lang))) if ho.blockers else Markup(""),
            )
            for ho in items
        )
        parts.append(_section("index", heading, Markup("<ul>\n{}</ul>\n").format(rows)))
    parts.append(
        Markup("<footer>\n<p>{}</p>\n<p>{}</p>\n</footer>\n").format(
            h(doc.footer_line(hs.source, lang)), h(doc.made_line(hs.date, lang, has_contacts=False))
        )
    )
    return _page(lang, doc.index_title(hs), Markup("").join(parts))


def render_advice(advice: Advice, verbose: bool = False) -> str:
    """The ``recommend`` advice as one self-contained HTML page (UTF-8 text): the answer first
    (the verdict, the instruction when nothing fits, the recommendations), then the excluded
    tools one line per cause (one per tool with ``verbose``), the other warnings and the
    notices in full."""
    lang = advice.query.lang
    opening = doc.opening(advice.warnings)
    parts: list[Markup] = [Markup("<header>\n<h1>{}</h1>\n").format(h(t("advice.title", lang)))]
    if opening:
        parts.append(
            Markup('<section class="opening warnings">\n<p><b>{}</b></p>\n{}</section>\n').format(
                h(opening[0]), _list(opening[1:])
            )
        )
    parts.append(
        Markup('<p class="sub">{}</p>\n</header>\n<p class="verdict">{}</p>\n').format(
            h(query_summary(advice.query, advice.names)), h(doc.verdict(advice))
        )
    )
    if advice.explanation:
        parts.append(
            Markup('<section class="warnings">\n<p><b>{}</b></p>\n</section>\n').format(h(advice.explanation.message))
        )
    for rec in advice.recommendations:
        body: list[Markup] = [
            Markup('<h2>{rank}. {name} <span class="muted">({section} {sec})</span></h2>\n').format(
                rank=rec.rank, name=h(rec.name), section=h(t("label.section", lang)), sec=h(rec.section)
            )
        ]
        if rec.status:
            body.append(
                Markup("<p><b>{}</b></p>\n").format(h(doc.heading("label.status", lang)))
                + _list(doc.status_line(st, lang) for st in rec.status)
            )
        if rec.reasons:
            body.append(Markup("<p><b>{}</b></p>\n").format(h(doc.heading("label.why", lang))) + _list(rec.reasons))
        if rec.setup_steps:
            body.append(
                Markup("<p><b>{}</b></p>\n").format(h(doc.heading("label.setup", lang)))
                + _list(rec.setup_steps, "ol", "steps")
            )
        if rec.server_url:
            body.append(
                Markup('<p><b>{}:</b> <span class="url">{}</span></p>\n').format(
                    h(t("handout.server_url", lang)), h(rec.server_url)
                )
            )
            warning = doc.url_warning(rec.server_url, lang)
            if warning:
                body.append(Markup('<p class="qr-caption">{}</p>\n').format(h(warning)))
        if rec.contacts:
            body.append(
                Markup("<p><b>{}</b></p>\n").format(h(doc.heading("label.contacts", lang))) + _contacts(rec.contacts)
            )
        elif doc.no_contact(rec.warnings):
            body.append(
                Markup("<p><b>{}</b></p>\n<p>{}</p>\n").format(
                    h(doc.heading("label.contacts", lang)), h(doc.no_contact(rec.warnings) or "")
                )
            )
        tool_warnings = doc.other_warnings(rec.warnings)
        if tool_warnings:
            body.append(
                Markup("<p><b>{}</b></p>\n").format(h(doc.heading("label.tool_warnings", lang))) + _list(tool_warnings)
            )
        parts.append(Markup('<section class="rec">\n{}</section>\n').format(Markup("").join(body)))
    if advice.excluded:
        entries = doc.excluded_entries(advice.excluded, lang, verbose, everyone=not advice.recommendations)
        items = Markup("").join(
            Markup("<li><b>{}:</b> {}</li>\n").format(h(lead), h(text))
            if lead
            else Markup("<li>{}</li>\n").format(h(text))
            for lead, text in entries
        )
        parts.append(_section("excluded", doc.heading("label.excluded", lang), Markup("<ul>\n{}</ul>\n").format(items)))
    warnings = doc.detail_warnings(advice.warnings, advice.explanation)
    if warnings:
        parts.append(_section("warnings", doc.heading("label.warnings", lang), _list(warnings)))
    parts.append(_notices(advice.notices, lang, doc.heading("label.notices", lang)))
    parts.append(Markup("<footer>\n<p>{}</p>\n</footer>\n").format(h(doc.footer_line(advice.source, lang))))
    return _page(lang, t("advice.title", lang), Markup("").join(parts))
