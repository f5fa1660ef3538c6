"""Applications submitted before indicator categories existed were judged by rules without them,
which is the category 其他 (no industry-specific path): they get 其他, so that a re-evaluation with
rules that depend on the category judges them as before (and their 申报书 codes still verify:
其他 is the neutral choice, cultivation/application.py). Drafts never submitted keep no category:
the enterprise chooses one. Only empty categories are filled, so a second run changes nothing."""

import frappe

from gz_innovation.cultivation import categories


def execute():
	categories.ensure_defaults()
	frappe.db.sql(
		"""update `tabCultivation Submission` set `indicator_category` = %s
		where ifnull(`indicator_category`, '') = '' and not (`status` = '草稿' and `submitted_at` is null)""",
		categories.OTHER,
	)
