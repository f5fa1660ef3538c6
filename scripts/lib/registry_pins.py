"""Point Frappe v15's two GitHub-only dependencies at the public registries.

Frappe v15 pins a gunicorn fork and an air-datepicker fork straight from GitHub. Machines that reach
only PyPI and the npm registry cannot fetch those; gunicorn 23 and air-datepicker 2.2.3 from the
registries serve the same purpose. Usage: registry_pins.py FRAPPE_CHECKOUT
"""

import re
import sys
from pathlib import Path

PINS = {
	"pyproject.toml": (r'"gunicorn @ git\+[^"]*"', '"gunicorn~=23.0"'),
	"package.json": (r'"air-datepicker": "(?:git\+|github:)[^"]*"', '"air-datepicker": "2.2.3"'),
}


def main(checkout: str) -> None:
	for name, (pattern, replacement) in PINS.items():
		path = Path(checkout) / name
		text = path.read_text()
		if replacement in text:
			continue
		new_text, count = re.subn(pattern, replacement, text)
		if count != 1:
			sys.exit(f"registry_pins: no GitHub-only entry matching {pattern} in {path}")
		path.write_text(new_text)


if __name__ == "__main__":
	main(sys.argv[1])
