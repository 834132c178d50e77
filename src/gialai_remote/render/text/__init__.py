"""Text output for people: styled lines, Vietnamese first, one module per kind of result.

:mod:`~gialai_remote.render.text.lines` (the building blocks), :mod:`~.advice` (``recommend``
and ``check``), :mod:`~.browse` (``tools``, ``tools show``, ``contacts``, ``roles``, ``tasks``),
:mod:`~.handout` (``setup``), :mod:`~.doctor` and :mod:`~.problems` (``validate``). Every value
goes into a line (:class:`~.lines.Line`, a rich ``Text`` once printed through rich) as plain
data, never parsed as markup, after
:func:`gialai_remote.render.words.safe`. No box drawing and no hard wrapping: the output is
copied into e-mails and chat messages.
"""
