"""Fill English translations from a JSON map {msgid: msgstr} into the en catalogue.

Usage: python tools/fill_en.py translations.json
Keeps existing translations; `pybabel update` must have run first so every msgid is present.
"""

import json
import sys

from babel.messages.pofile import read_po, write_po

PO = "booking/translations/en/LC_MESSAGES/messages.po"

with open(sys.argv[1], encoding="utf-8") as f:
    new = json.load(f)
with open(PO, "rb") as f:
    catalog = read_po(f, locale="en")
for message in catalog:
    if message.id and message.id in new:
        message.string = new[message.id]
        message.flags.discard("fuzzy")
with open(PO, "wb") as f:
    write_po(f, catalog, width=100)
missing = [m.id for m in catalog if m.id and not m.string]
print(f"{len(missing)} untranslated")
for m in missing:
    print("  ", m)
