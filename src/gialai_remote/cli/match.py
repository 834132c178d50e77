"""Match what users type to canonical ids: forgiving input, strict meaning.

Vietnamese is typed in many ways: with or without diacritics, old or new tone-mark placement
(hòa/hoà, thủy/thuỷ, Ủy/Uỷ), composed (NFC) or decomposed (NFD) Unicode or the mix the
Windows Vietnamese keyboard produces, with ``đ`` typed as ``d``. :func:`fold` maps all of
those to one key; :func:`resolve` finds the one entry a key names, or says why it cannot.
Only the command line uses this (its errors name the flag a value came from); the core
takes canonical ids.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from gialai_remote.errors import UsageError
from gialai_remote.i18n import t
from gialai_remote.records import Record

# Anything that is not a letter or digit separates words: spaces of every kind, hyphens,
# underscores, dots, slashes, quotes, "&" ...
_SEPARATORS = re.compile(r"[\W_]+")
# đ and Đ are letters of their own, not d plus a mark: decomposition leaves them whole.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def fold(text: str) -> str:
    """Fold ``text`` to a matching key: lower-case ASCII-like words separated by one space.

    Pure, so the answers for short texts are kept (the last 4,096 texts of at most 200
    characters): the lines of ``--batch`` name the same few values again and again.

    - compatibility decomposition (NFKD), then every combining mark is removed: composed
      (NFC), decomposed (NFD) and the Windows keyboard's mixed form, old and new tone
      placement (hòa/hoà, thủy/thuỷ, Ủy/Uỷ) all give the same letters; full-width letters
      and ligatures become plain ones;
    - ``đ``/``Đ`` become ``d``; case is folded;
    - invisible format characters (zero-width space, soft hyphen, byte-order mark, bidi
      controls) are deleted;
    - every run of other non-letters (spaces, tabs, hyphens, underscores, punctuation)
      becomes one space, and the ends are trimmed.

    >>> fold("  Thành viên  UBND tỉnh ") == fold("thanh vien ubnd tinh")
    True
    >>> fold("hoà") == fold("hòa") == fold("hoa")
    True
    """
    return _fold_kept(text) if len(text) <= _KEPT_LENGTH else _fold(text)


#: The longest text whose fold is kept.
_KEPT_LENGTH = 200


def _fold(text: str) -> str:
    """:func:`fold`, worked out."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf")
    return _SEPARATORS.sub(" ", kept.casefold().translate(_LETTERS)).strip()


_fold_kept = lru_cache(maxsize=4096)(_fold)


def _squash(key: str) -> str:
    """A folded key without its spaces: "team viewer" and "teamviewer" meet here."""
    return key.replace(" ", "")


class Candidate(Record):
    """An entry users may name.

    Attributes:
        id: its canonical id.
        label: how to show it in a message ("ubnd-member (Thành viên UBND tỉnh)").
        spellings: the id, names and aliases it may be typed as.
    """

    id: str
    label: str
    spellings: tuple[str, ...]


def _shown(value: str, limit: int = 60) -> str:
    """What the user typed, cut short for a one-line message."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


class Matcher:
    """The entries of one kind, indexed once, to resolve many values (a prompt's answers, the
    lines of ``--batch``) without folding every spelling again.

    Attributes:
        candidates: the entries, in their order.
    """

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self.candidates = list(candidates)
        self._index: dict[str, set[str]] = {}
        self._squashed: dict[str, set[str]] = {}
        self._labels = {c.id: c.label for c in self.candidates}
        self._by_id: dict[str, list[str]] = {}
        for cand in self.candidates:
            self._by_id.setdefault(fold(cand.id), []).append(cand.id)
            for spelling in (cand.id, *cand.spellings):
                folded = fold(spelling)
                self._index.setdefault(folded, set()).add(cand.id)
                self._squashed.setdefault(_squash(folded), set()).add(cand.id)

    def resolve(self, value: str, *, what: str, flag: str, lang: str) -> str:
        """Return the id of the one candidate ``value`` names (see :func:`resolve`).

        Raises:
            UsageError: nothing matches (with up to three close suggestions), or the value
                names two or more entries (listing them).
        """
        key = fold(value)
        # Exact folded spelling first; only when none matches, the same letters without spaces.
        found = (self._index.get(key) or self._squashed.get(_squash(key)) or set()) if key else set()
        # A canonical id always means itself, even when an agency's alias elsewhere spells the same.
        by_id = self._by_id.get(key, []) if key else []
        if len(found) > 1 and len(by_id) == 1:
            return by_id[0]
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            names = "; ".join(self._labels[i] for i in sorted(found))
            raise UsageError(t("match.ambiguous", lang, flag=flag, value=_shown(value), what=what, names=names))
        suggestions = _suggest(key, self._index, self._labels)
        message = t("match.unknown", lang, flag=flag, value=_shown(value), what=what)
        if suggestions:
            message += " " + t("match.did_you_mean", lang, names=", ".join(suggestions))
        else:
            message += " " + t("match.choices", lang, names=", ".join(c.id for c in self.candidates))
        raise UsageError(message)


def resolve(value: str, candidates: Iterable[Candidate], *, what: str, flag: str, lang: str) -> str:
    """Return the id of the one candidate ``value`` names.

    Args:
        value: what the user typed.
        candidates: the entries of one kind (roles, tasks, tools, ...).
        what: the kind's name for messages ("vai trò", "role").
        flag: the option it came from ("--role"), for messages.
        lang: message language.

    Returns:
        The canonical id.

    Raises:
        UsageError: nothing matches (with up to three close suggestions), or the value names
            two or more entries (listing them). A guess is never applied silently; a value that
            is some entry's canonical id always resolves to that entry.
    """
    return Matcher(candidates).resolve(value, what=what, flag=flag, lang=lang)


def _suggest(key: str, index: dict[str, set[str]], labels: dict[str, str]) -> list[str]:
    """Up to three candidates whose spellings are closest to the folded ``key``."""
    found: list[str] = []
    for spelling in suggest(key, list(index), limit=12):
        for cand_id in sorted(index[spelling]):
            if labels[cand_id] not in found:
                found.append(labels[cand_id])
    return found[:3]


def suggest(value: str, choices: Iterable[str], *, limit: int = 3, cutoff: float = 60) -> list[str]:
    """The ``choices`` closest to ``value``, best first, at most ``limit`` of them.

    Both sides are compared folded (see :func:`fold`), with rapidfuzz's WRatio score (0-100);
    choices scoring below ``cutoff`` are left out. rapidfuzz is imported only on this path,
    which runs only when an input matched nothing.
    """
    key = fold(value)
    pool = list(dict.fromkeys(choices))
    if not key or not pool:
        return []
    from rapidfuzz import process
    from rapidfuzz.fuzz import WRatio

    folded = [fold(choice) for choice in pool]
    results = process.extract(key, folded, scorer=WRatio, limit=limit, score_cutoff=cutoff)
    return [pool[position] for _match, _score, position in results]
