"""Every user-facing string of the app has its Chinese in locale/zh.po."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

APP = Path(__file__).resolve().parents[2] / "gz_innovation"
# _("…") in Python and Jinja, __("…") in the portal's scripts (Frappe's own translate.js).
CALL = re.compile(r"""(?<![\w])_{1,2}\(\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")


def source_strings() -> set[str]:
	found = set()
	for path in APP.rglob("*"):
		if path.suffix in (".py", ".html", ".js") and not {"locale", "dist"} & set(path.parts):
			for match in CALL.finditer(path.read_text(encoding="utf-8")):
				found.add(match.group(1)[1:-1].replace("\\'", "'").replace('\\"', '"'))
	return found


def catalog() -> dict[str, str]:
	with open(APP / "locale" / "zh.po", "rb") as f:
		return {message.id: message.string for message in read_po(f) if message.id}


def test_every_source_string_has_chinese():
	translations = catalog()
	missing = sorted(s for s in source_strings() if not translations.get(s))
	assert missing == [], f"add to locale/zh.po: {missing}"


def test_chinese_keeps_the_placeholders():
	for source, chinese in catalog().items():
		assert sorted(re.findall(r"\{\w*\}", source)) == sorted(re.findall(r"\{\w*\}", chinese)), source
