"""Imported enterprises whose 统一社会信用代码 fails GB 32100-2015 and that have not completed their
data yet are flagged for correction (imports made before the flag existed). Safe to rerun: the flag
is recomputed from the code, and enterprises that completed their data are left alone."""

import frappe

from gz_innovation.enterprise.uscc import find_problem


def execute():
	for name, uscc, flagged in frappe.get_all(
		"Enterprise",
		filters={"is_legacy": 1, "needs_update": 1},
		fields=["name", "uscc", "uscc_flagged"],
		as_list=True,
	):
		should_flag = int(find_problem(uscc) is not None)
		if should_flag != flagged:
			frappe.db.set_value("Enterprise", name, "uscc_flagged", should_flag, update_modified=False)
