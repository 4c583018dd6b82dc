"""The Vietnamese catalogue covers every user-facing string, with the same placeholders."""
import re
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def source_messages() -> set:
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords)
    return {message for _file, _line, message, _comments, _context in found}


def test_vietnamese_catalogue_is_complete():
    with open(ROOT / "portal/translations/vi/LC_MESSAGES/messages.po", "rb") as po:
        catalogue = read_po(po, locale="vi")
    def translation(message_id) -> str:
        key = message_id[0] if isinstance(message_id, tuple) else message_id
        found = catalogue.get(key)
        if found is None:
            return ""
        return found.string[0] if isinstance(found.string, tuple) else found.string

    missing = [m for m in source_messages() if not translation(m)]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not missing, f"untranslated (run `make extract-messages`, then translate): {missing}"
    assert not fuzzy, f"fuzzy translations to check: {fuzzy}"
    for message in catalogue:
        if message.id:
            source = message.id[-1] if isinstance(message.id, tuple) else message.id
            target = message.string[0] if isinstance(message.string, tuple) else message.string
            assert sorted(set(PLACEHOLDER.findall(source))) == sorted(set(PLACEHOLDER.findall(target))), source
