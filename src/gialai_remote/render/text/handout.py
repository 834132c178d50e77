"""Text output of a setup handout (``setup``, the default format): lines (:class:`~.lines.Line`).

The same words as the Markdown and HTML handouts (:mod:`gialai_remote.render.words`);
every value goes in as plain data after :func:`gialai_remote.render.words.safe`, never as
markup, as in :mod:`gialai_remote.render.text.advice`.
"""

from __future__ import annotations

from collections.abc import Mapping

from gialai_remote.handout import Handout, HandoutSet
from gialai_remote.i18n import t
from gialai_remote.render import words as doc
from gialai_remote.render.text.advice import fresh
from gialai_remote.render.text.lines import Line
from gialai_remote.render.text.lines import line as _line


def _heading(title: str) -> list[Line]:
    return [Line(), _line((title, "bold"))]


def render_handout(h: Handout) -> list[Line]:
    """The handout as lines for a terminal, in the order of the printed page."""
    lang = h.lang
    lines = [_line((doc.title(h), "bold")), _line((doc.subtitle(h), "dim"))]
    # A late page says first what it is: the letter's guidance, how old, check before use.
    lines += [_line((line, "bold yellow")) for line in doc.opening(h.warnings)]
    if h.blockers:
        lines += [Line(), _line((t("handout.blocked", lang), "bold red"))]
        lines += [_line(("- ", "dim"), (r.message, "red"), indent=2) for r in h.blockers]
    if h.status:
        lines += _heading(doc.heading("label.status", lang))
        lines += [_line(("- ", "dim"), (doc.status_line(s, lang), "yellow"), indent=2) for s in h.status]
    if h.purpose:
        lines += _heading(t("handout.purpose", lang))
        lines += [_line(("- ", "dim"), p, indent=2) for p in h.purpose]
    lines += _heading(t("handout.facts", lang))
    lines += [_line(("- ", "dim"), (f"{label}: ", "bold"), value, indent=2) for label, value in doc.facts(h)]
    lines += _heading(doc.steps_heading(h))
    if h.steps:
        lines += [_line(f"{i}) ", step, indent=2) for i, step in enumerate(h.steps, start=1)]
    else:
        lines.append(_line(t("handout.no_steps", lang), indent=2))
    if h.server_url:
        lines += [Line(), _line((f"{t('handout.server_url', lang)}: ", "bold"), (h.server_url, "bold cyan"))]
    lines += _heading(t("handout.contacts", lang))
    if h.contacts:
        lines += [
            _line(("- ", "dim"), f"{doc.contact_who(c)}: ", (doc.contact_phone(c), "bold cyan"), *fresh(c), indent=2)
            for c in h.contacts
        ]
    else:
        lines.append(_line(t("handout.no_contacts", lang), indent=2))
    warnings = doc.other_warnings(h.warnings)
    if warnings:
        lines += _heading(t("handout.warnings", lang))
        lines += [_line(("- ", "dim"), (w, "yellow"), indent=2) for w in warnings]
    if h.notices:
        lines += _heading(t("handout.notices", lang))
        lines += [
            _line(
                ("- ", "dim"),
                (f"[{doc.notice_head(n, lang)}] ", "bold"),
                n.text,
                (f" {doc.notice_source(n, lang)}", "dim"),
                indent=2,
            )
            for n in h.notices
        ]
    lines += [
        Line(),
        _line((doc.source_line(h.source, h.section, h.title, lang), "dim")),
        _line((doc.made_line(h.date, lang, bool(h.contacts)), "dim")),
    ]
    return lines


def render_index(hs: HandoutSet, files: Mapping[str, str]) -> list[Line]:
    """The index of ``setup --all`` as text lines: each tool's sheet and its file, by category.

    Args:
        hs: the set of handouts.
        files: each tool id's file name, relative to the index ("polycom.txt").
    """
    lang = hs.lang
    lines = [_line((doc.index_title(hs), "bold")), _line((doc.index_subtitle(hs), "dim"))]
    lines += [_line((line, "bold yellow")) for line in doc.index_opening(hs)]
    lines.append(Line())
    lines.append(_line(t("index.intro", lang)))
    for heading, items in doc.index_groups(hs):
        lines += _heading(heading)
        for ho in items:
            blocked = f"; {t('index.blocked', lang)}" if ho.blockers else ""
            where = f" ({t('label.section', lang)} {ho.section}{blocked}): "
            lines.append(_line(("- ", "dim"), ho.name, (where, "dim"), files[ho.tool], indent=2))
    lines += [
        Line(),
        _line((doc.footer_line(hs.source, lang), "dim")),
        _line((doc.made_line(hs.date, lang, has_contacts=False), "dim")),
    ]
    return lines
