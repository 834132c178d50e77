"""Markdown output: a setup handout (``setup --format markdown``) or the advice
(``recommend --format markdown``), for wikis, e-mail and chat.

Every value from the knowledge base is passed through :func:`md`, which removes control
characters and backslash-escapes Markdown's punctuation, so a text holding ``<script>``, ``*``
or ``[link](...)`` prints as itself and never as markup or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from gialai_remote.advice import Advice, ContactInfo, NoticeInfo, StatusInfo
from gialai_remote.handout import Handout, HandoutSet
from gialai_remote.i18n import t
from gialai_remote.render import words as doc
from gialai_remote.render.words import query_summary, safe

# Characters that are Markdown (or HTML) anywhere in a line. CommonMark allows a backslash
# before any ASCII punctuation, so escaping one that would not have mattered is harmless.
_SPECIAL = re.compile(r"([\\`*_\[\]<>~]|&(?=#?\w+;))")
# What is Markdown only at the start of a line: headings, quotes, list markers, rules.
_LEADING = re.compile(r"^([-+#>=]|\d+(?=[.)]))")


def md(text: str, *, line_start: bool = True) -> str:
    """``text`` as literal Markdown: one line, no control characters, markup escaped.

    ``<script>`` becomes ``\\<script\\>``, ``[a](b)`` becomes ``\\[a\\](b)``, a leading ``-``,
    ``#`` or ``1.`` is escaped so the value never starts a list or heading (unless
    ``line_start`` is False: the value sits inside a line, after other text).
    """
    flat = _SPECIAL.sub(r"\\\1", " ".join(safe(text).split()))
    if not line_start:
        return flat
    return _LEADING.sub(lambda m: f"\\{m.group(1)}" if not m.group(1).isdigit() else f"{m.group(1)}\\", flat)


def _fresh(contact: ContactInfo) -> str:
    """ " (theo Công văn, 2020)" after a number (:func:`gialai_remote.render.words.contact_freshness`), or ""."""
    note = doc.contact_freshness(contact)
    return f" {md(note, line_start=False)}" if note else ""


def _code(text: str) -> str:
    """A code span (easy to copy), or escaped text when the value holds a backtick."""
    flat = " ".join(safe(text).split())
    return f"`{flat}`" if "`" not in flat else md(flat)


def _bullets(items: list[str] | tuple[str, ...]) -> list[str]:
    return [f"- {md(item)}" for item in items]


def _notices(notices: tuple[NoticeInfo, ...], lang: str, title: str) -> list[str]:
    if not notices:
        return []
    lines = ["", f"## {md(title)}", ""]
    for n in notices:
        lines.append(f"- **{md(doc.notice_head(n, lang))}**: {md(n.text)} *{md(doc.notice_source(n, lang))}*")
    return lines


def _status(status: tuple[StatusInfo, ...], lang: str, heading: str) -> list[str]:
    if not status:
        return []
    return [
        "",
        heading.format(md(doc.heading("label.status", lang))),
        "",
        *_bullets([doc.status_line(s, lang) for s in status]),
    ]


def render_handout(h: Handout) -> str:
    """The handout as a Markdown document (UTF-8 text ending in a newline)."""
    lang = h.lang
    lines = [f"# {md(doc.title(h))}", "", f"*{md(doc.subtitle(h))}*"]
    for line in doc.opening(h.warnings):  # a late page says first what it is
        lines += ["", f"**{md(line)}**"]
    if h.blockers:
        lines += ["", f"> **{md(t('handout.blocked', lang))}**", ">"]
        lines += [f"> - {md(r.message)}" for r in h.blockers]
    lines += _status(h.status, lang, "## {}")
    if h.purpose:
        lines += ["", f"## {md(t('handout.purpose', lang))}", ""]
        lines += _bullets(h.purpose)
    lines += ["", f"## {md(t('handout.facts', lang))}", ""]
    lines += [f"- **{md(label)}:** {md(value)}" for label, value in doc.facts(h)]
    lines += ["", f"## {md(doc.steps_heading(h))}", ""]
    if h.steps:
        lines += [f"{i}. {md(step)}" for i, step in enumerate(h.steps, start=1)]
    else:
        lines.append(md(t("handout.no_steps", lang)))
    if h.server_url:
        lines += ["", f"**{md(t('handout.server_url', lang))}:** {_code(h.server_url)}"]
        warning = doc.url_warning(h.server_url, lang)
        lines += ["", f"> {md(warning)}"] if warning else []
    lines += ["", f"## {md(t('handout.contacts', lang))}", ""]
    if h.contacts:
        lines += [f"- {md(doc.contact_who(c))}: **{md(doc.contact_phone(c))}**{_fresh(c)}" for c in h.contacts]
    else:
        lines.append(md(t("handout.no_contacts", lang)))
    warnings = doc.other_warnings(h.warnings)
    if warnings:
        lines += ["", f"## {md(t('handout.warnings', lang))}", ""]
        lines += _bullets(warnings)
    lines += _notices(h.notices, lang, t("handout.notices", lang))
    lines += [
        "",
        "---",
        "",
        md(doc.source_line(h.source, h.section, h.title, lang)),
        "",
        f"*{md(doc.made_line(h.date, lang, bool(h.contacts)))}*",
    ]
    return "\n".join(lines) + "\n"


def render_index(hs: HandoutSet, files: Mapping[str, str]) -> str:
    """The index of ``setup --all`` as Markdown: a link to each tool's sheet, by category.

    Args:
        hs: the set of handouts.
        files: each tool id's file name, relative to the index ("polycom.md").
    """
    lang = hs.lang
    lines = [f"# {md(doc.index_title(hs))}", "", f"*{md(doc.index_subtitle(hs))}*"]
    for line in doc.index_opening(hs):
        lines += ["", f"**{md(line)}**"]
    lines += ["", md(t("index.intro", lang))]
    for heading, items in doc.index_groups(hs):
        lines += ["", f"## {md(heading)}", ""]
        for ho in items:
            blocked = f"; {md(t('index.blocked', lang), line_start=False)}" if ho.blockers else ""
            where = md(f"{t('label.section', lang)} {ho.section}", line_start=False)
            lines.append(f"- [{md(ho.name, line_start=False)}]({files[ho.tool]}) ({where}{blocked})")
    lines += [
        "",
        "---",
        "",
        md(doc.footer_line(hs.source, lang)),
        "",
        f"*{md(doc.made_line(hs.date, lang, has_contacts=False))}*",
    ]
    return "\n".join(lines) + "\n"


def render_advice(advice: Advice, verbose: bool = False) -> str:
    """The ``recommend`` advice as a Markdown document (UTF-8 text ending in a newline): the
    answer first (the verdict, the instruction when nothing fits, the recommendations), then the
    excluded tools one line per cause (one per tool with ``verbose``), the other warnings and
    the notices in full."""
    lang = advice.query.lang
    lines = [f"# {md(t('advice.title', lang))}"]
    opening = doc.opening(advice.warnings)
    if opening:
        lines += ["", f"> **{md(opening[0])}**", ">", *(f"> - {md(line)}" for line in opening[1:])]
    lines += [
        "",
        f"*{md(query_summary(advice.query, advice.names))}*",
        "",
        f"**{md(doc.verdict(advice))}**",
    ]
    if advice.explanation:
        lines += ["", f"> **{md(advice.explanation.message, line_start=False)}**"]
    for rec in advice.recommendations:
        section = f"({t('label.section', lang)} {rec.section})"
        lines += ["", f"## {rec.rank}. {md(rec.name, line_start=False)} {md(section, line_start=False)}"]
        lines += _status(rec.status, lang, "**{}**")
        if rec.reasons:
            lines += ["", f"**{md(doc.heading('label.why', lang))}**", ""] + _bullets(rec.reasons)
        if rec.setup_steps:
            lines += ["", f"**{md(doc.heading('label.setup', lang))}**", ""]
            lines += [f"{i}. {md(step)}" for i, step in enumerate(rec.setup_steps, start=1)]
        if rec.server_url:
            lines += ["", f"**{md(t('handout.server_url', lang))}:** {_code(rec.server_url)}"]
            warning = doc.url_warning(rec.server_url, lang)
            lines += ["", f"> {md(warning)}"] if warning else []
        if rec.contacts:
            lines += ["", f"**{md(doc.heading('label.contacts', lang))}**", ""]
            lines += [f"- {md(doc.contact_who(c))}: **{md(doc.contact_phone(c))}**{_fresh(c)}" for c in rec.contacts]
        elif doc.no_contact(rec.warnings):
            lines += ["", f"**{md(doc.heading('label.contacts', lang))}**", "", md(doc.no_contact(rec.warnings) or "")]
        tool_warnings = doc.other_warnings(rec.warnings)
        if tool_warnings:
            lines += ["", f"**{md(doc.heading('label.tool_warnings', lang))}**", ""] + _bullets(tool_warnings)
    if advice.excluded:
        lines += ["", f"## {md(doc.heading('label.excluded', lang))}", ""]
        entries = doc.excluded_entries(advice.excluded, lang, verbose, everyone=not advice.recommendations)
        for lead, text in entries:
            lines.append(
                f"- **{md(lead, line_start=False)}:** {md(text, line_start=False)}" if lead else f"- {md(text)}"
            )
    warnings = doc.detail_warnings(advice.warnings, advice.explanation)
    if warnings:
        lines += ["", f"## {md(doc.heading('label.warnings', lang))}", ""] + _bullets(warnings)
    lines += _notices(advice.notices, lang, doc.heading("label.notices", lang))
    lines += ["", "---", "", md(doc.footer_line(advice.source, lang))]
    return "\n".join(lines) + "\n"
