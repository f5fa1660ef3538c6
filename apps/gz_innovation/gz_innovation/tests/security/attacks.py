"""What each attacker tries on each DocType: the change it wants to make to an existing record and the
record it wants to create. Every DocType of the app (and User, File) has an entry, or the matrix
fails and names the missing one."""

import secrets

import frappe

from gz_innovation.enterprise.tests.utils import new_uscc

XSS = '<img src=x onerror="window.__gz_xss=1">'


def _new_mobile() -> str:
	return "136" + "".join(secrets.choice("0123456789") for _ in range(8))


def change(world, doctype: str, role: str) -> dict:
	"""The change an attacker wants on the target record (examples from the issue and their kin)."""
	attacker = world.user_of(role)
	return {
		"Enterprise": {"registered_capital": 99999, "business_licence": XSS},
		"GZ Business Authorization": {"details": "篡改"},
		"Enterprise Join Request": {"status": "已通过"},
		"Enterprise Admin Transfer": {"status": "已通过", "to_user": attacker},
		"GZ Region": {"region_code": "000000"},
		"GZ Enterprise Settings": {"draft_expiry_days": 1},
		"Cultivation Submission": {"overall_result": "满足限定性指标", "commitment": 0, "revenue": 99999},
		"Cultivation Evaluation Row": {"result": "满足"},
		"Cultivation Batch": {"closes_at": "2099-12-31 23:59:59"},
		"Cultivation Batch Type": {"cultivation_type": "工业设计中心"},
		"Cultivation Batch Direct Type": {"cultivation_type": "企业技术中心"},
		"Cultivation Rule Set": {"is_stand_in": 0},
		"Cultivation Rule": {"threshold": 0},
		"Cultivation Rule Group": {"mode": "AT LEAST", "at_least": 1},
		"Cultivation Rule Set Version": {"rules_json": "[]"},
		"Cultivation Type": {"enabled": 0},
		"Cultivation Type Field": {"fieldname": "revenue"},
		"Cultivation Type Section": {"section_title": "篡改章节", "required": 0},
		"Cultivation Report Section": {"content": XSS},
		"Cultivation Evidence": {"file": "/private/files/other.pdf", "file_name": XSS},
		"GZ Review Stage": {"reviewer_role": "GZ Enterprise Admin", "deadline_days": 1},
		"GZ SMS Settings": {"provider": "Frappe SMS Settings"},
		"GZ SMS Template": {"text": "篡改{code}"},
		"GZ SMS Log": {"message": "篡改"},
		"Legacy Import": {"source_note": "篡改"},
		"Legacy Import Issue": {"reason": "篡改"},
		"Legacy Account": {"legacy_username": "篡改"},
		"Legacy Indicator Record": {"figures": "{}"},
		"GZ Audit Log": {"description": "篡改", "user": attacker},
		"Cultivation Reminder Log": {"message": "篡改"},
		"Cultivation Reminder Settings": {"enabled": 0},
		"GZ Indicator Category": {"enabled": 0, "source": "篡改"},
		"GZ Industry": {"enabled": 0, "industry_section": "篡改"},
		"GZ Business Type": {"enabled": 0},
		"GZ Commitment Settings": {"body": "篡改{enterprise_name}"},
		"GZ Notice": {"title": "篡改的公告", "published": 1, "content": XSS},
		"GZ Notice Attachment": {"file": "/files/evil.html", "description": "篡改"},
		"GZ Portal Settings": {"support_phone": "篡改", "primary_color": "red;}</style><script>x()</script>"},
		"GZ Scoring Scheme": {"gate": 0, "scale": 10},
		"GZ Scoring Indicator": {"weight": 999, "full_requirement": 100000},
		"GZ Industry Factor": {"factor": 9},
		"GZ Expert": {"enabled": 0, "mobile": "13800000000"},
		"GZ Expert Industry": {"industry": "专用设备制造业"},
		"GZ Expert Employer": {"to_date": "2000-01-01"},
		"GZ Expert Relation": {"relation": "其他利害关系", "uscc": None},
		"GZ Expert Draw": {"status": "已复核", "countersigned_by": attacker, "seed": "0" * 32},
		"GZ Expert Draw Stratum": {"panel_size": 9},
		"GZ Expert Draw Member": {"member_role": "备选专家", "draw_order": 99},
		"GZ Expert Draw Exclusion": {"detail": "篡改"},
		"GZ Expert Review": {"declaration": "无利益冲突", "total": 100, "status": "已提交"},
		"GZ Publicity": {"published": 0, "days": 10, "title": XSS},
		"GZ Publicity Entry": {"platform_name": "篡改平台"},
		"GZ Objection": {"status": "已办结", "resolution": "篡改", "objector": attacker},
		"GZ Recognition": {"status": "已撤销", "platform_name": "篡改平台", "valid_until": "2099-12-31"},
		"GZ Expert Review Line": {"verified_value": 0, "expert_score": "0", "points": 99},
		# Their own account: a reviewer's scope, a login identifier, the account type.
		"User": {
			"gz_review_city": "贵阳市",
			"username": "hijack_" + secrets.token_hex(3),
			"user_type": "System User",
		},
		"File": {"is_private": 0},
	}[doctype]


def new_record(world, doctype: str, role: str) -> dict:
	"""A record the attacker wants to create."""
	attacker = world.user_of(role)
	tag = secrets.token_hex(4)
	name, info = world.targets.get(doctype, (None, {}))
	records = {
		"Enterprise": {
			"enterprise_name": "冒名企业" + tag,
			"uscc": new_uscc(),
			"applicant": attacker,
			"certification_status": "已认证",
		},
		"Enterprise Join Request": {"enterprise": world.a, "user": attacker, "status": "已通过"},
		"Enterprise Admin Transfer": {
			"enterprise": world.a,
			"from_user": world.users["admin_a"],
			"to_user": attacker,
			"status": "已通过",
		},
		"GZ Region": {"region_name": "伪造区" + tag, "region_type": "County", "parent_region": "贵阳市"},
		"Cultivation Submission": {
			"enterprise": world.a,
			"cultivation_type": "工业设计中心",
			"batch": world.batch,
			"status": "已提交",
			"overall_result": "满足限定性指标",
			"commitment": 1,
		},
		"Cultivation Batch": {
			"batch_name": "伪造批次" + tag,
			"year": 2026,
			"opens_at": "2026-01-01 00:00:00",
			"closes_at": "2099-01-01 00:00:00",
		},
		"Cultivation Rule Set": {"cultivation_type": "工业设计中心", "batch": world.batch, "rules": []},
		"Cultivation Type": {"type_name": "伪造类型" + tag, "enabled": 1},
		"GZ Indicator Category": {"category_name": "伪造类别" + tag, "enabled": 1},
		"GZ Industry": {"industry_name": "伪造行业" + tag, "enabled": 1},
		"GZ Review Stage": {
			"stage_name": "伪造阶段" + tag,
			"sequence": 900,
			"reviewer_role": "GZ Enterprise Admin",
			"scope_level": "省",
			"pass_action": "伪造通过",
			"return_action": "退回修改",
		},
		"GZ Business Type": {"business_type_name": "伪造业务" + tag, "enabled": 1},
		"GZ Scoring Scheme": {
			"scheme_name": "伪造方案" + tag,
			"gate": 0,
			"indicators": [
				{
					"label": "伪造指标",
					"kind": "定量",
					"expression": "revenue",
					"weight": 1,
					"basic_requirement": 1,
					"full_requirement": 2,
				}
			],
		},
		"GZ Expert": {"full_name": "伪造专家" + tag, "industries": [{"industry": "专用设备制造业"}]},
		"GZ Publicity": {
			"title": "伪造公示" + tag,
			"published": 1,
			"starts_on": "2026-01-01",
			"days": 7,
			"entries": [{"enterprise": world.a, "platform_name": "伪造平台"}],
		},
		"GZ Recognition": {
			"publicity": frappe.db.get_value(
				"GZ Recognition", world.targets["GZ Recognition"][0], "publicity"
			),
			"enterprise": world.b,
		},
		"GZ Objection": {
			"publicity": world.targets["GZ Publicity"][0],
			"enterprise": world.a,
			"reasons": "伪造的异议，没有实名。" + tag,
		},
		"GZ Expert Review": {
			"expert": world.targets["GZ Expert"][0],
			"expert_user": attacker if role != "guest" else None,
			"draw": world.targets["GZ Expert Draw"][0],
			"enterprise": world.a,
			"status": "评审中",
		},
		"GZ Expert Draw": {
			"enterprise": world.a,
			"strata": [{"industry": "专用设备制造业", "panel_size": 1}],
		},
		"Cultivation Rule Set Version": {"rule_set": world.targets["Cultivation Rule Set"][0], "version": 99},
		"GZ SMS Log": {"mobile": _new_mobile(), "purpose": "test", "status": "Captured", "message": "伪造"},
		"Legacy Import": {"source_note": "伪造"},
		"Legacy Account": {
			"user": attacker if role != "guest" else world.users["admin_a"],
			"legacy_username": tag,
		},
		"Legacy Indicator Record": {"enterprise": world.a, "year": 1999, "figures": "{}"},
		"GZ Audit Log": {
			"action": "审核操作",
			"user": world.users["admin_a"],
			"description": "伪造的审计记录",
		},
		"GZ Notice": {"title": "伪造的公告", "published": 1, "publish_date": "2026-01-01 00:00:00"},
		"Cultivation Reminder Log": {
			"kind": "审核到期",
			"recipient": world.users["admin_a"],
			"message": "伪造",
		},
		"User": {
			"email": f"forged-{tag}@example.com",
			"first_name": "伪造",
			"user_type": "System User",
			"roles": [{"role": "System Manager"}],
		},
		# A File pointing at a private file the attacker cannot read (portal users: A's licence;
		# reviewers: a file only System Managers read), to be served as its owner.
		"File": {
			"file_url": world.admin_only_file if "reviewer" in role else world.licence,
			"file_name": "stolen.pdf",
			"is_private": 1,
		},
	}
	if doctype in records:
		return records[doctype]
	# Child tables and Singles: a copy of the target with the attack's change.
	meta = frappe.get_meta(doctype)
	if meta.istable:
		row = frappe.db.get_value(doctype, name, "*", as_dict=True)
		fields = {
			df.fieldname: row.get(df.fieldname)
			for df in meta.fields
			if df.fieldtype not in frappe.model.no_value_fields
		}
		return {
			**fields,
			**change(world, doctype, role),
			"parent": info["parent"],
			"parenttype": row.parenttype,
			"parentfield": row.parentfield,
		}
	return change(world, doctype, role)


def first_attach_field(doctype: str) -> str | None:
	return next(
		(
			df.fieldname
			for df in frappe.get_meta(doctype).fields
			if df.fieldtype in ("Attach", "Attach Image")
		),
		None,
	)


def whitelisted_doc_methods(doctype: str, name: str) -> dict[str, dict]:
	"""The controller methods a client may call by run_doc_method (with the arguments an attacker
	would send), plus Document's own doors."""
	from frappe.model.base_document import get_controller

	controller = get_controller(doctype)
	arguments = {
		"rename": {"name": f"{name}-renamed"},
		"add_comment": {"comment_type": "Workflow", "text": "审核通过"},
	}
	methods = {"save": {}, "submit": {}, "cancel": {}, "delete": {}}
	for attribute in dir(controller):
		fn = getattr(controller, attribute, None)
		fn = getattr(fn, "__func__", fn)
		if callable(fn) and fn in frappe.whitelisted and attribute not in methods:
			methods[attribute] = arguments.get(attribute, {})
	return methods
