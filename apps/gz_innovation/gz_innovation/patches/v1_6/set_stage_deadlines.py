"""Submissions made before the stage deadline was stored: each gets the deadline of the stage it is in
(from its batch), so the reviewers' lists show it and mark what is overdue. Safe to run again."""

import frappe

from gz_innovation.cultivation import stages


def execute():
	for row in frappe.get_all(
		"Cultivation Submission",
		filters=[["stage_deadline", "is", "not set"]],
		fields=["name", "batch", "status"],
	):
		deadline = stages.deadline_of(row.batch, row.status)
		if deadline:
			frappe.db.set_value(
				"Cultivation Submission", row.name, "stage_deadline", deadline, update_modified=False
			)
