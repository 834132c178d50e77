"""Where the files shipped with the package are found: the knowledge base and the JSON Schemas.

The canonical files live at the repository's top level, ``data/guidance.yaml`` and
``schemas/*.json`` (there is no copy and no symbolic link under ``src/``). The build backend
copies them into the wheel as ``gialai_remote/data/guidance.yaml`` and
``gialai_remote/schemas/*.json`` (``[tool.hatch.build.targets.wheel.force-include]`` in
``pyproject.toml``), so an installed package (a wheel, a zip, a PyInstaller bundle) reads them
through :mod:`importlib.resources` like any package data.

An editable install (``pip install -e .``) imports the package from ``src/gialai_remote``, which
does not hold those files: hatchling's editable wheel copies the force-included files into
``site-packages/gialai_remote/``, a directory the import system never consults because the
package itself is found in ``src/``. For that one case, and only when the package directory sits
in a source checkout (``<root>/src/gialai_remote`` with ``<root>/pyproject.toml``), a file
missing from the package is read from ``<root>`` itself: the canonical file, so an edit to
``data/guidance.yaml`` is seen at once, as an editable install promises.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

# importlib.resources and pathlib are imported inside package_file: this module is on the
# start-up path of every command, which reads the built-in file through package_path (os.path
# only) when the package is a folder on disk.


def package_path(*parts: str) -> str | None:
    """The shipped file at ``parts`` as a plain path, when the package is a folder on disk.

    The same file :func:`package_file` finds (the package's own, else an editable install's
    canonical file in the checkout), found with :mod:`os.path` alone: importing
    :mod:`importlib.resources` costs more than reading the file (issue 16).

    Args:
        parts: the path below ``gialai_remote/``, one name per level.

    Returns:
        The file's path, or None when it is not a file on disk (a package imported from a zip
        archive: use :func:`package_file`).
    """
    import os

    package = os.path.dirname(os.path.abspath(__file__))
    shipped = os.path.join(package, *parts)
    if os.path.isfile(shipped):
        return shipped
    source = os.path.dirname(package)
    if os.path.basename(source) == "src" and os.path.isfile(os.path.join(os.path.dirname(source), "pyproject.toml")):
        canonical = os.path.join(os.path.dirname(source), *parts)
        if os.path.isfile(canonical):
            return canonical
    return None


def package_file(*parts: str) -> Traversable:
    """Return the shipped file at ``parts`` below the package, e.g. ``("data", "guidance.yaml")``.

    Args:
        parts: the path below ``gialai_remote/``, one name per level (``"schemas",
            "check.schema.json"``); the same path below the repository's root in a checkout.

    Returns:
        A :class:`~importlib.resources.abc.Traversable` (a :class:`pathlib.Path` for an install
        on disk; a zip entry inside a zip). It is the package's own file when the package has
        it, else the source checkout's canonical file when the package is imported from a
        checkout's ``src/`` (editable install), else the package's (missing) file, so reading
        it raises the usual :class:`FileNotFoundError`.

    Raises:
        ValueError: ``parts`` is empty.
    """
    from importlib import resources
    from pathlib import Path

    if not parts:
        raise ValueError("package_file() needs at least one path part")
    package = resources.files("gialai_remote")
    shipped = package
    for part in parts:  # one name per joinpath(): Python 3.10's Traversable takes exactly one
        shipped = shipped.joinpath(part)
    if shipped.is_file() or not isinstance(package, Path):
        return shipped
    source = package.parent
    if source.name == "src" and (source.parent / "pyproject.toml").is_file():
        canonical = source.parent.joinpath(*parts)
        if canonical.is_file():
            return canonical
    return shipped
