"""The two yes/no indicators (是否属于大数据企业, 是否通过CMMI 4及以上等级认定) were checkboxes (0/1) and
are now 是/否 questions with no default, so "not answered" differs from 否. The schema sync turned
their columns into text holding "0"/"1"; this writes 是 and 否:

- 1 → 是 everywhere;
- 0 → 否 where the enterprise submitted it (an unticked box was its answer);
- 0 → not answered in a draft never submitted (an unticked box there was no answer yet: the form
  asks again, and the rule shows 待填 until one is chosen).

Only "0"/"1" values are touched, so a second run changes nothing."""

import frappe

FIELDS = ("is_big_data_enterprise", "cmmi_level4")
NEVER_SUBMITTED = "草稿"


def execute():
	table = "tabCultivation Submission"
	for fieldname in FIELDS:
		if not frappe.db.has_column("Cultivation Submission", fieldname):
			continue
		frappe.db.sql(f"update `{table}` set `{fieldname}` = '是' where `{fieldname}` = '1'")  # nosemgrep
		frappe.db.sql(
			f"""update `{table}` set `{fieldname}` = if(`status` = %s and `submitted_at` is null, null, '否')
			where `{fieldname}` = '0'""",  # nosemgrep: column names are the constants above
			NEVER_SUBMITTED,
		)
