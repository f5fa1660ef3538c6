"""The review route of the cultivation programmes as records: GZ Review Stage (Desk → 审核阶段). Each
saved or deleted stage rebuilds the review part of the Workflow "Cultivation Review", so the Workflow
and the code (cultivation/stages.py) read one configuration:

    草稿 / 退回修改 --提交申请 / 重新提交--> 已提交 --受理--> stage 1 --pass--> stage 2 ... --pass--> 培育中

and from 已提交 and every stage, its return action leads back to 退回修改 (with the reviewer's reason,
review.REASON_STATES). Transitions that start elsewhere (the enterprise's submit, 培育完成) and an
administrator's other edits of the Workflow are kept. The submission's status offers the stages'
states (a Property Setter, as Customize Form would write it).

A stage is refused without a reviewer role or a way back to the enterprise; a stage that submissions
are in cannot be removed until they move; a Workflow edited in Desk so that a stage can no longer be
reached or left back to the enterprise is refused (`validate_workflow`)."""

import json

import frappe
from frappe import _
from frappe.utils import cint

from gz_innovation.cultivation import stages, states

WORKFLOW = "Cultivation Review"
DOCTYPE = "Cultivation Submission"
ACCEPT_ACTION = "受理"
# The manual's route (市州初审 → 省厅审核), written once when a site has no stages; the texts are what
# the portal showed before the stages were records.
DEFAULT_STAGES = (
	{
		"stage_name": "市州初审",
		"sequence": 10,
		"reviewer_role": "GZ City Reviewer",
		"scope_level": "市州",
		"pass_action": "初审通过",
		"return_action": states.RETURNED,
		"deadline_field": "city_review_deadline",
		"enterprise_label": "市州初审",
		"enterprise_todo": "暂无需操作：市州初审中，如需补充会短信通知。",
	},
	{
		"stage_name": "省厅审核",
		"sequence": 20,
		"reviewer_role": "GZ Province Reviewer",
		"scope_level": "省",
		"pass_action": "审核通过",
		"return_action": states.RETURNED,
		"deadline_field": "province_review_deadline",
		"enterprise_label": "省厅审核",
		"enterprise_todo": "暂无需操作：省厅审核中，如需补充会短信通知。",
	},
)
# States that are never review stages.
FIXED_STATES = (states.DRAFT, stages.SUBMITTED, states.CULTIVATING, states.CULTIVATED, states.RETURNED)


class RouteError(frappe.ValidationError):
	http_status_code = 417


def ensure_defaults() -> None:
	"""The manual's two stages, written while the site has none (an administrator's route is kept)."""
	if frappe.db.count(stages.STAGE_DOCTYPE):
		return
	for values in DEFAULT_STAGES:
		doc = frappe.get_doc({"doctype": stages.STAGE_DOCTYPE, **values})
		doc.flags.gz_no_sync = True  # once, with both
		doc.insert(ignore_permissions=True)
	on_change()


# --- a stage's rules ---------------------------------------------------------------------------------


def validate_stage(doc) -> None:
	name = (doc.stage_name or "").strip()
	if name in FIXED_STATES:
		_refuse(doc, "stage_name", _("{0} is not a review stage").format(name))
	if not doc.reviewer_role:
		_refuse(doc, "reviewer_role", _("choose the role whose holders review in this stage"))
	if not (doc.return_action or "").strip():
		_refuse(doc, "return_action", _("a stage needs a way back to the enterprise (退回修改)"))
	if not (doc.pass_action or "").strip():
		_refuse(doc, "pass_action", _("required"))
	if (doc.return_action or "").strip() == (doc.pass_action or "").strip():
		_refuse(doc, "pass_action", _("the pass and the return action must differ"))
	if doc.deadline_field:
		df = frappe.get_meta("Cultivation Batch").get_field(doc.deadline_field)
		if not df or df.fieldtype != "Datetime":
			_refuse(
				doc,
				"deadline_field",
				_("{0} is not a date-time field of Cultivation Batch").format(doc.deadline_field),
			)
	programmes = stages.programmes_of(doc.get("programmes"))
	unknown = [p for p in programmes if not frappe.db.exists("Cultivation Type", p)]
	if unknown:
		_refuse(doc, "programmes", _("{0} is not a programme (培育类型)").format("、".join(unknown)))
	if programmes:
		first = frappe.db.sql(
			f"select min(sequence) from `tab{stages.STAGE_DOCTYPE}` where name != %s", doc.name or ""
		)[0][0]
		if first is None or cint(doc.sequence) < cint(first):
			_refuse(doc, "programmes", _("the first stage reviews every programme"))
		doc.programmes = "\n".join(programmes)
	if doc.deadline_field and doc.deadline_days:
		_refuse(doc, "deadline_days", _("give a batch deadline field or days, not both"))
	same = frappe.db.get_value(
		stages.STAGE_DOCTYPE, {"sequence": doc.sequence, "name": ["!=", doc.name or ""]}, "name"
	)
	if same:
		_refuse(doc, "sequence", _("{0} has this order already").format(same))


def _refuse(doc, fieldname: str, problem: str) -> None:
	frappe.throw(
		_("{0}: {1}").format(_(doc.meta.get_label(fieldname)), problem),
		RouteError,
		title=_("Review Stage"),
	)


def refuse_removal_while_used(doc) -> None:
	"""A stage that submissions are in stays until they move on or back. (Those waiting in 已提交 for
	a removed first stage's 受理 wait for the next stage's.)"""
	count = frappe.db.count(DOCTYPE, {"status": doc.name})
	if count:
		frappe.throw(
			_("{0} submissions are in {1}: move them on or back before removing the stage").format(
				count, doc.name
			),
			RouteError,
			title=_("Review Stage"),
		)
	if frappe.db.count(stages.STAGE_DOCTYPE) <= 1:
		frappe.throw(_("The review needs at least one stage"), RouteError, title=_("Review Stage"))


def on_change(doc=None, method=None) -> None:
	"""A stage saved or deleted: the stages are read again and the Workflow follows them."""
	stages.forget()
	frappe.db.after_commit.add(stages.forget)
	frappe.db.after_rollback.add(stages.forget)
	if not (doc and doc.flags.gz_no_sync):
		sync_workflow()
		sync_queues()


# --- the Workflow and the status made from the stages ------------------------------------------------


def sync_workflow() -> None:
	"""Rebuild the review part of the Workflow from the stages; keep everything else."""
	if not frappe.db.exists("Workflow", WORKFLOW):
		return
	route = list(stages.all_stages().values())
	if not route:
		return
	workflow = frappe.get_doc("Workflow", WORKFLOW)
	stage_names = [stage["name"] for stage in route]
	old_stages = {row.state for row in workflow.states if row.state not in FIXED_STATES}
	reviewed = {stages.SUBMITTED, *stage_names, *old_stages}
	for state in stage_names:
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": "Primary"}
			).insert(ignore_permissions=True)
	generated = []
	first = route[0]
	generated.append((stages.SUBMITTED, ACCEPT_ACTION, first["name"], first["role"]))
	generated.append((stages.SUBMITTED, first["return_action"], states.RETURNED, first["role"]))
	for index, stage in enumerate(route):
		for after, condition in passes_after(route, index):
			generated.append((stage["name"], stage["pass_action"], after, stage["role"], condition))
		generated.append((stage["name"], stage["return_action"], states.RETURNED, stage["role"]))
	for action in {row[1] for row in generated}:
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)
	kept = [row for row in workflow.transitions if row.state not in reviewed]
	workflow.set("transitions", [])
	for row in kept:
		workflow.append("transitions", row.as_dict(no_default_fields=True))
	for state, action, next_state, role, *condition in generated:
		workflow.append(
			"transitions",
			{
				"state": state,
				"action": action,
				"next_state": next_state,
				"allowed": role,
				"allow_self_approval": 1,
				"condition": condition[0] if condition else None,
			},
		)
	roles = {stage["name"]: stage["role"] for stage in route}
	roles[stages.SUBMITTED] = first["role"]
	existing = {row.state: row for row in workflow.states}
	rows = []
	for row in workflow.states:
		if row.state in old_stages or row.state in stage_names:
			continue  # the stages follow 已提交, in their order
		rows.append(
			{
				**row.as_dict(no_default_fields=True),
				**({"allow_edit": roles[row.state]} if row.state in roles else {}),
			}
		)
		if row.state == stages.SUBMITTED:
			for state in stage_names:
				values = (
					existing[state].as_dict(no_default_fields=True)
					if state in existing
					else {"state": state, "doc_status": "0"}
				)
				rows.append({**values, "allow_edit": roles[state]})
	workflow.set("states", [])
	for values in rows:
		workflow.append("states", values)
	workflow.flags.gz_route = True  # made from the stages: validate_workflow trusts it
	workflow.flags.ignore_permissions = True
	workflow.save()
	sync_status_options(stage_names)


def passes_after(route: list[dict], index: int) -> list[tuple]:
	"""Where the pass of stage `index` leads: [(next state, Workflow condition or None)]. The next stage
	that reviews every programme (or 培育中) takes the programmes no stage in between reviews; each
	stage in between that reviews only some programmes takes those (the first one that does)."""
	claimed: list[str] = []
	passes = []
	for stage in route[index + 1 :]:
		if not stage["programmes"]:
			if not claimed:
				return [(stage["name"], None)]
			passes.append((stage["name"], f"doc.cultivation_type not in {_literal(claimed)}"))
			return passes
		mine = [p for p in stage["programmes"] if p not in claimed]
		if mine:
			passes.append((stage["name"], f"doc.cultivation_type in {_literal(mine)}"))
			claimed += mine
	if not claimed:
		return [(states.CULTIVATING, None)]
	passes.append((states.CULTIVATING, f"doc.cultivation_type not in {_literal(claimed)}"))
	return passes


def _literal(names: list[str]) -> str:
	return json.dumps(sorted(names), ensure_ascii=False)


def sync_status_options(stage_names: list[str]) -> None:
	"""The submission's status offers 草稿, 已提交, the stages in order, then the states after the
	review (培育中, 培育完成, 退回修改, ...), as the DocType file lists them."""
	from frappe.custom.doctype.property_setter.property_setter import make_property_setter

	standard = _file_options()
	manual_stages = {values["stage_name"] for values in DEFAULT_STAGES}
	after = [o for o in standard if o not in (states.DRAFT, stages.SUBMITTED, *manual_stages, *stage_names)]
	wanted = [states.DRAFT, stages.SUBMITTED, *stage_names, *after]
	existing = frappe.db.get_value(
		"Property Setter", {"doc_type": DOCTYPE, "field_name": "status", "property": "options"}
	)
	if wanted == standard:
		if existing:
			frappe.delete_doc("Property Setter", existing, ignore_permissions=True, force=True)
			frappe.clear_cache(doctype=DOCTYPE)
		return
	make_property_setter(
		DOCTYPE, "status", "options", "\n".join(wanted), "Text", validate_fields_for_doctype=False
	)


def _file_options() -> list[str]:
	"""The status options as the app's DocType file has them (not a Property Setter's)."""
	import json
	import os

	path = os.path.join(
		frappe.get_module_path("cultivation"),
		"doctype",
		"cultivation_submission",
		"cultivation_submission.json",
	)
	with open(path, encoding="utf-8") as f:
		definition = json.load(f)
	field = next(df for df in definition["fields"] if df["fieldname"] == "status")
	return [o for o in field["options"].split("\n") if o]


def validate_workflow(doc, method=None) -> None:
	"""Workflow (validate): "Cultivation Review" edited in Desk keeps every stage reachable and every
	stage (and 已提交) with a way back to the enterprise."""
	if doc.name != WORKFLOW and doc.workflow_name != WORKFLOW:
		return
	if doc.flags.gz_route:
		return
	route = list(stages.all_stages().values())
	transitions = [(row.state, row.next_state) for row in doc.transitions]
	for stage in route:
		if not any(
			next_state == stage["name"] and state != stage["name"] for state, next_state in transitions
		):
			frappe.throw(
				_("No transition leads to {0}: no submission could reach this stage").format(stage["name"]),
				RouteError,
				title=_("Review Stage"),
			)
	for state in (stages.SUBMITTED, *(stage["name"] for stage in route)):
		if (state, states.RETURNED) not in transitions:
			frappe.throw(
				_("{0} has no transition back to the enterprise ({1})").format(state, states.RETURNED),
				RouteError,
				title=_("Review Stage"),
			)


# --- the department's work queues --------------------------------------------------------------------


def sync_queues() -> None:
	"""The department workspace's work queues (科技创新平台培育 → 工作队列): one per stage, counting its
	submissions, in the stages' order after 待受理; a removed stage's queue goes. Other shortcuts and
	an administrator's layout are kept."""
	from gz_innovation.cultivation.department import WORKSPACE

	if not frappe.db.exists("Workspace", WORKSPACE):
		return
	workspace = frappe.get_doc("Workspace", WORKSPACE)
	route = [stage["name"] for stage in stages.all_stages().values()]
	status = {row.name: _queue_status(row) for row in workspace.shortcuts}
	stale = [row for row in workspace.shortcuts if status[row.name] not in (None, *FIXED_STATES, *route)]
	present = {status[row.name] for row in workspace.shortcuts}
	missing = [state for state in route if state not in present]
	if not stale and not missing:
		return
	content = json.loads(workspace.content or "[]")
	stale_labels = {row.label for row in stale}
	content = [
		block
		for block in content
		if not (
			block.get("type") == "shortcut" and block.get("data", {}).get("shortcut_name") in stale_labels
		)
	]
	# Written as rows, not with Workspace.save: that needs the Workspace Manager role, which the
	# administrator saving a stage need not hold, and the queues are the route's, not a layout edit.
	for row in stale:
		frappe.db.delete("Workspace Shortcut", {"name": row.name})
	label_of = {status[row.name]: row.label for row in workspace.shortcuts if status[row.name]}
	idx = max((row.idx for row in workspace.shortcuts), default=0)
	for state in missing:
		idx += 1
		frappe.get_doc(
			{
				"doctype": "Workspace Shortcut",
				"parent": WORKSPACE,
				"parenttype": "Workspace",
				"parentfield": "shortcuts",
				"idx": idx,
				"type": "DocType",
				"link_to": DOCTYPE,
				"doc_view": "List",
				"label": queue_label(state),
				"color": "Blue",
				"format": "{} items",
				"stats_filter": json.dumps([[DOCTYPE, "status", "=", state, False]], ensure_ascii=False),
			}
		).db_insert()
		label_of[state] = queue_label(state)
		before = [stages.SUBMITTED, *route[: route.index(state)]]
		index = max(
			(
				i
				for i, block in enumerate(content)
				if block.get("type") == "shortcut"
				and block.get("data", {}).get("shortcut_name") in {label_of.get(s) for s in before}
			),
			default=len(content) - 1,
		)
		content.insert(
			index + 1,
			{
				"id": frappe.generate_hash(length=10),
				"type": "shortcut",
				"data": {"shortcut_name": queue_label(state), "col": 4},
			},
		)
	frappe.db.set_value("Workspace", WORKSPACE, "content", json.dumps(content, ensure_ascii=False))
	frappe.clear_document_cache("Workspace", WORKSPACE)


def queue_label(state: str) -> str:
	"""A stage's queue as the others read (市州初审中, 省厅审核中)."""
	return f"{state}中"


def _queue_status(row) -> str | None:
	"""The status a shortcut counts, if it is a queue of submissions by one status."""
	if row.link_to != DOCTYPE or not row.stats_filter:
		return None
	try:
		conditions = json.loads(row.stats_filter)
	except ValueError:
		return None
	statuses = [c[3] for c in conditions if len(c) >= 4 and c[1] == "status" and c[2] == "="]
	return statuses[0] if len(statuses) == 1 and len(conditions) == 1 else None
