"""The submission keeps its own copy of the enterprise's basic information (manual §3.1.1, 一、基本信息).
Open drafts (草稿, 退回修改) made before get the fields they lack from their enterprise, as a new draft
would; values the form's rules would refuse are left for the enterprise to fill in. Submitted
applications keep what they were submitted with. Only empty fields are filled: a second run changes
nothing."""

import frappe

from gz_innovation.cultivation import states, submission


def execute():
	meta = frappe.get_meta("Cultivation Submission")
	fields = list(submission.BASIC_FIELDS)
	for row in frappe.get_all(
		"Cultivation Submission",
		filters={"status": ["in", states.EDITABLE]},
		fields=["name", "enterprise", *fields],
	):
		source = frappe.db.get_value(
			"Enterprise", row.enterprise, list(set(submission.ENTERPRISE_FIELD.values())), as_dict=True
		)
		if not source:
			continue
		values = {}
		for fieldname in fields:
			if row.get(fieldname) not in (None, ""):
				continue
			value, problem = submission.check_value(
				meta.get_field(fieldname), source.get(submission.ENTERPRISE_FIELD[fieldname])
			)
			if value is not None and not problem:
				values[fieldname] = value
		if values:
			frappe.db.set_value("Cultivation Submission", row.name, values, update_modified=False)
