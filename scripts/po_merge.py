"""Resolve a merge conflict in the French catalogue: keep this branch's translations,
re-extract the messages from the code, then fill what is still untranslated from the other
branch's catalogue. Run during a conflicted merge: `.venv/bin/python scripts/po_merge.py`.
"""

from __future__ import annotations

import subprocess
from io import BytesIO
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

PATH = "src/palabre/locale/fr/LC_MESSAGES/messages.po"


def side(stage: int) -> Catalog:
    """The catalogue as one side of the merge has it (2: ours, 3: theirs)."""
    show = ["git", "show", f":{stage}:{PATH}"]
    data = subprocess.run(show, capture_output=True, check=True).stdout  # noqa: S603
    return read_po(BytesIO(data), locale="fr")


def untranslated(message: Any) -> bool:
    text = message.string
    return not (all(text) if isinstance(text, tuple) else text)


def main() -> None:
    ours, theirs = side(2), side(3)
    with open(PATH, "wb") as fh:
        write_po(fh, ours, width=100, sort_output=True)
    subprocess.run([".venv/bin/python", "scripts/i18n.py"], check=True)
    with open(PATH, "rb") as fh:
        catalog = read_po(fh, locale="fr")
    filled = 0
    for message in catalog:
        if message.id and untranslated(message):
            other = theirs.get(message.id, message.context)
            if other is not None and not untranslated(other):
                message.string = other.string
                filled += 1
    with open(PATH, "wb") as fh:
        write_po(fh, catalog, width=100, sort_output=True)
    missing = [m.id for m in catalog if m.id and untranslated(m)]
    print(f"filled {filled}; still to translate {len(missing)}: {missing[:10]}")
    subprocess.run(["git", "add", PATH], check=True)  # noqa: S603, S607


if __name__ == "__main__":
    main()
