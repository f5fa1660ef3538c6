"""Merge the committed site configuration templates into a bench.

Usage: apply_config.py TEMPLATE_DIR BENCH_SITES_DIR SITE

TEMPLATE_DIR/common_site_config.json is merged into the bench's common config and
TEMPLATE_DIR/site_config.json into SITE's config. Only the template's keys are written;
everything bench created (database credentials, redis addresses) is kept.
"""

import json
import sys
from pathlib import Path


def merge(template: Path, target: Path) -> bool:
	if not template.exists():
		return False
	wanted = json.loads(template.read_text())
	current = json.loads(target.read_text()) if target.exists() else {}
	merged = {**current, **wanted}
	if merged == current:
		return False
	target.write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n")
	return True


def main(template_dir: str, sites_dir: str, site: str) -> None:
	templates, sites = Path(template_dir), Path(sites_dir)
	merge(templates / "common_site_config.json", sites / "common_site_config.json")
	if (sites / site).is_dir():
		merge(templates / "site_config.json", sites / site / "site_config.json")


if __name__ == "__main__":
	main(*sys.argv[1:4])
