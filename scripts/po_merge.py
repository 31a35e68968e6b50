"""Resolve a messages.po merge conflict: keep ours, re-extract, then fill empty msgstr
from the other branch's catalogue. Usage (in the repo, during a conflicted merge):
  .venv/bin/python scripts/po_merge.py
"""

import subprocess
from io import BytesIO

from babel.messages.pofile import read_po, write_po

PATH = "src/palabre/locale/fr/LC_MESSAGES/messages.po"


def load(stage: str):
    data = subprocess.run(
        ["git", "show", f":{stage}:{PATH}"], capture_output=True, check=True
    ).stdout
    return read_po(BytesIO(data), locale="fr")


ours, theirs = load("2"), load("3")
with open(PATH, "wb") as fh:
    write_po(fh, ours, width=100, sort_output=True)
subprocess.run([".venv/bin/python", "scripts/i18n.py"], check=True)
with open(PATH, "rb") as fh:
    cat = read_po(fh, locale="fr")
filled = 0


def empty(m):
    return not (all(m.string) if isinstance(m.string, tuple) else m.string)


for msg in cat:
    if msg.id and empty(msg):
        other = theirs.get(msg.id, msg.context)
        if other is not None and not empty(other):
            msg.string = other.string
            filled += 1
with open(PATH, "wb") as fh:
    write_po(fh, cat, width=100, sort_output=True)
missing = [
    m.id
    for m in cat
    if m.id and not (m.string if not isinstance(m.string, tuple) else all(m.string))
]
print(f"filled {filled}; still missing {len(missing)}: {missing[:10]}")
subprocess.run(["git", "add", PATH], check=True)
