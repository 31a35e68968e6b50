"""Update the French catalogue from the code: `.venv/bin/python scripts/i18n.py`.

New messages are added untranslated (the test suite then lists them); messages no longer
in the code are marked obsolete.
"""

from __future__ import annotations

from babel.messages.pofile import read_po, write_po

from palabre.core.catalog import extract, po_path


def main() -> None:
    template = extract()
    for lang in ("fr",):
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
            catalog.update(template, no_fuzzy_matching=True)
        else:
            from babel.messages.catalog import Catalog

            catalog = Catalog(locale=lang, project="Palabre", domain="messages")
            catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, omit_header=False, sort_output=True)
        missing = [m.id for m in catalog if m.id and not m.string]
        print(f"{lang}: {len(catalog)} messages, {len(missing)} to translate")


if __name__ == "__main__":
    main()
