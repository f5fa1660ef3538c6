"""The review route as records (GZ Review Stage). An administrator adds 区县初审 before 市州初审 in Desk
(REST only: the role, the stage); the Workflow follows, and a submission walks three stages with the
right deadlines, reminders, queues and scopes. Bad routes are refused with a Chinese message naming
the field, and nothing is saved; removing the stage gives the manual's route back."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime, now_datetime

from gz_innovation.accounts.tests.utils import delete_users, use_capture_provider
from gz_innovation.cultivation import progress, reminders, stages
from gz_innovation.cultivation.department import WORKSPACE
from gz_innovation.cultivation.report.review_timeliness import review_timeliness
from gz_innovation.cultivation.tests.department import (
	COUNTY,
	GOOD,
	GUIYANG,
	days_from_now,
	delete_batches,
	enterprise_in,
	new_batch,
	step,
	submitted,
)
from gz_innovation.enterprise.tests.utils import create_regulator, delete_enterprises
from gz_innovation.tests.security.http import HttpBrowser

ROLE = "GZ County Reviewer"
STAGE = "区县初审"
EXPERT = "专家复核"  # a stage of one programme only
OTHER_COUNTY = "南明区"  # of 贵阳市 too: the city reviewer sees it, the county reviewer does not
SUBMISSION = "Cultivation Submission"


def transitions() -> set[tuple]:
	workflow = frappe.get_doc("Workflow", "Cultivation Review")
	return {(t.state, t.action, t.next_state, t.allowed) for t in workflow.transitions}


class TestReviewStagesInDesk(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.manual_route = transitions()

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.local.lang = "zh"
		self.desk = HttpBrowser().login("Administrator", frappe.conf.get("admin_password") or "admin")
		self.addCleanup(self.remove_stage)

	def remove_stage(self):
		frappe.set_user("Administrator")
		frappe.db.delete(
			SUBMISSION, {"status": ["in", (STAGE, EXPERT, "已提交")], "batch": ["like", "部门测试批次-%"]}
		)
		for stage in (STAGE, EXPERT):
			if frappe.db.exists(stages.STAGE_DOCTYPE, stage):
				frappe.delete_doc(stages.STAGE_DOCTYPE, stage, ignore_permissions=True)
		frappe.db.commit()  # nosemgrep
		self.assertEqual(transitions(), self.manual_route)  # the manual's route is back
		self.assertEqual(list(stages.all_stages()), ["city", "province"])

	def reviewer(self, county: str | None, role: str = ROLE) -> str:
		user = create_regulator(stage="city")
		frappe.db.set_value("User", user, {"gz_review_county": county, "gz_review_city": None})
		doc = frappe.get_doc("User", user)
		doc.remove_roles("GZ City Reviewer")
		doc.add_roles(role)
		frappe.db.commit()  # nosemgrep
		self.addCleanup(delete_users, [user])
		return user

	def add_county_stage(self, **values) -> object:
		if not frappe.db.exists("Role", ROLE):
			role = self.desk.post("/api/resource/Role", {"role_name": ROLE, "desk_access": 1})
			self.assertEqual(role.status, 200, role)
		return self.desk.post(
			f"/api/resource/{stages.STAGE_DOCTYPE}",
			{
				"stage_name": STAGE,
				"sequence": 5,
				"reviewer_role": ROLE,
				"scope_level": "区县",
				"pass_action": "区县初审通过",
				"return_action": "退回修改",
				"deadline_days": 5,
				"remind_reviewers": 1,
				"enterprise_label": "区县初审",
				"enterprise_todo": "暂无需操作：区县初审中，如需补充会短信通知。",
				**values,
			},
		)

	def act(self, user: str, name: str, action: str):
		browser = HttpBrowser().login(user)
		doc = browser.get(f"/api/resource/{SUBMISSION}/{name}").json["data"]
		return browser.post(
			"/api/method/frappe.model.workflow.apply_workflow", {"doc": json.dumps(doc), "action": action}
		)

	def test_a_county_stage_before_the_city_one(self):
		added = self.add_county_stage()
		self.assertEqual(added.status, 200, added)
		# The Workflow follows: 受理 now belongs to the county, whose pass leads to 市州初审.
		route = transitions()
		self.assertIn(("已提交", "受理", STAGE, ROLE), route)
		self.assertIn((STAGE, "区县初审通过", "市州初审", ROLE), route)
		self.assertIn((STAGE, "退回修改", "退回修改", ROLE), route)
		self.assertNotIn(("已提交", "受理", "市州初审", "GZ City Reviewer"), route)
		self.assertIn(("市州初审", "初审通过", "省厅审核", "GZ City Reviewer"), route)
		self.assertEqual(list(stages.all_stages()), ["county", "city", "province"])
		self.assertIn(STAGE, frappe.get_meta(SUBMISSION).get_field("status").options.split("\n"))
		# The change is in the audit trail, with who made it: the stage and the Workflow it rebuilt.
		logged = frappe.get_all(
			"GZ Audit Log",
			filters={
				"reference_doctype": ["in", (stages.STAGE_DOCTYPE, "Workflow")],
				"user": "Administrator",
			},
			fields=["reference_doctype", "reference_name"],
			order_by="creation desc",
			limit=5,
		)
		self.assertIn(
			(stages.STAGE_DOCTYPE, STAGE), {(r.reference_doctype, r.reference_name) for r in logged}
		)
		self.assertIn(
			("Workflow", "Cultivation Review"), {(r.reference_doctype, r.reference_name) for r in logged}
		)
		# A work queue of its own, right after 待受理.
		workspace = frappe.get_doc("Workspace", WORKSPACE)
		labels = [
			b["data"].get("shortcut_name") for b in json.loads(workspace.content) if b["type"] == "shortcut"
		]
		self.assertEqual(labels[labels.index("Awaiting Acceptance") + 1], STAGE + "中")

		batch = new_batch(
			deadlines={
				"city_review_deadline": days_from_now(20),
				"province_review_deadline": days_from_now(40),
			}
		)
		self.addCleanup(delete_batches, [batch])
		enterprise, admin = enterprise_in(GUIYANG)
		self.addCleanup(delete_enterprises, [enterprise])
		self.addCleanup(delete_users, [admin])
		name = submitted(admin, batch, "企业技术中心", GOOD)
		county = self.reviewer(COUNTY[GUIYANG])
		other = self.reviewer(OTHER_COUNTY)
		city = create_regulator(city=GUIYANG)
		province = create_regulator()
		self.addCleanup(delete_users, [city, province])

		# 已提交 waits for the county's 受理, due 5 days after submission.
		doc = frappe.get_doc(SUBMISSION, name)
		self.assertAlmostEqual((get_datetime(doc.stage_deadline) - get_datetime(doc.submitted_at)).days, 5)
		self.assertEqual(progress.next_step(doc)["holder_label"], "区县初审")
		self.assertIn("等待区县初审受理", progress.next_step(doc)["todo"])
		# Scope: the other county's reviewer neither lists nor opens it, nor acts on it.
		outsider = HttpBrowser().login(other)
		listed = outsider.get(f"/api/resource/{SUBMISSION}", {"filters": json.dumps({"name": name})})
		self.assertEqual(listed.json.get("data"), [])
		self.assertIn(outsider.get(f"/api/resource/{SUBMISSION}/{name}").status, (403, 404))
		# The city reviewer cannot take the county's 受理.
		self.assertNotEqual(self.act(city, name, "受理").status, 200)
		self.assertEqual(frappe.db.get_value(SUBMISSION, name, "status"), "已提交")

		# Reminders: the county reviewer of the item hears of it, the other county's does not.
		use_capture_provider()
		frappe.db.set_value(SUBMISSION, name, "stage_deadline", days_from_now(1), update_modified=False)
		settings = frappe.get_single(reminders.SETTINGS)
		settings.update({"enabled": 1, "remind_reviewers": 1, "due_within_days": 3, "send_sms": 1})
		reminders.remind_reviewers(settings, now_datetime())
		logs = frappe.get_all("Cultivation Reminder Log", filters={"stage": STAGE}, fields=["recipient"])
		recipients = {row.recipient for row in logs}
		self.assertIn(county, recipients)
		self.assertNotIn(other, recipients)

		# The three stages, each with its deadline.
		self.assertEqual(self.act(county, name, "受理").status, 200)
		doc = frappe.get_doc(SUBMISSION, name)
		self.assertEqual(doc.status, STAGE)
		self.assertAlmostEqual(
			(get_datetime(doc.stage_deadline) - get_datetime(doc.stage_entered_at)).days, 5
		)
		self.assertEqual(self.act(county, name, "区县初审通过").status, 200)
		doc = frappe.get_doc(SUBMISSION, name)
		self.assertEqual(doc.status, "市州初审")
		batch_doc = frappe.get_doc("Cultivation Batch", batch)
		self.assertEqual(get_datetime(doc.stage_deadline), get_datetime(batch_doc.city_review_deadline))
		self.assertEqual(progress.next_step(doc)["holder_label"], "市州初审")
		self.assertEqual(self.act(city, name, "初审通过").status, 200)
		self.assertEqual(frappe.db.get_value(SUBMISSION, name, "status"), "省厅审核")
		self.assertEqual(self.act(province, name, "审核通过").status, 200)
		self.assertEqual(frappe.db.get_value(SUBMISSION, name, "status"), "培育中")
		# 审核时效 has the county stage's columns, with the days it took.
		columns, data, *_rest = review_timeliness.execute({"batch": batch})
		self.assertIn("county_days", [c["fieldname"] for c in columns])
		row = next(r for r in data if r["name"] == name)
		self.assertIsNotNone(row["county_days"])
		self.assertIsNotNone(row["county_deadline"])

		# A stage that holds submissions cannot be removed.
		frappe.db.set_value(SUBMISSION, name, "status", STAGE, update_modified=False)
		frappe.db.commit()  # nosemgrep
		removed = self.desk.request("DELETE", f"/api/resource/{stages.STAGE_DOCTYPE}/{STAGE}")
		self.assertEqual(removed.status, 417, removed)
		self.assertIn("区县初审", removed.message)
		self.assertTrue(frappe.db.exists(stages.STAGE_DOCTYPE, STAGE))
		frappe.db.set_value(SUBMISSION, name, "status", "培育中", update_modified=False)
		frappe.db.commit()  # nosemgrep

	def test_bad_routes_are_refused_and_nothing_saved(self):
		for values, field in (
			({"reviewer_role": None}, "审核角色"),
			({"return_action": ""}, "退回操作"),
			({"deadline_field": "closes_at_typo"}, "批次截止字段"),
			({"sequence": 10}, "审核顺序"),
		):
			reply = self.add_county_stage(**values)
			self.assertEqual(reply.status, 417, (values, reply))
			self.assertIn(field, reply.message)
			self.assertFalse(frappe.db.exists(stages.STAGE_DOCTYPE, STAGE))
		self.assertEqual(transitions(), self.manual_route)
		# The Workflow edited in Desk so that 省厅审核 can no longer be reached: refused.
		workflow = self.desk.get("/api/resource/Workflow/Cultivation Review").json["data"]
		workflow["transitions"] = [t for t in workflow["transitions"] if t["next_state"] != "省厅审核"]
		reply = self.desk.request("PUT", "/api/resource/Workflow/Cultivation Review", json=workflow)
		self.assertEqual(reply.status, 417, reply)
		self.assertIn("省厅审核", reply.message)
		self.assertEqual(transitions(), self.manual_route)

	def test_a_stage_of_one_programme_is_passed_by_the_others(self):
		added = self.desk.post(
			f"/api/resource/{stages.STAGE_DOCTYPE}",
			{
				"stage_name": EXPERT,
				"sequence": 15,
				"reviewer_role": "GZ Province Reviewer",
				"scope_level": "省",
				"pass_action": "复核通过",
				"return_action": "退回修改",
				"deadline_days": 3,
				"programmes": "工业设计中心",
			},
		)
		self.assertEqual(added.status, 200, added)
		self.assertEqual(
			[s["name"] for s in stages.route_of("工业设计中心")], ["市州初审", EXPERT, "省厅审核"]
		)
		self.assertEqual([s["name"] for s in stages.route_of("企业技术中心")], ["市州初审", "省厅审核"])
		batch = new_batch(
			deadlines={
				"city_review_deadline": days_from_now(20),
				"province_review_deadline": days_from_now(40),
			}
		)
		self.addCleanup(delete_batches, [batch])
		city, province = create_regulator(city=GUIYANG), create_regulator()
		self.addCleanup(delete_users, [city, province])
		walked = {}
		for programme in ("工业设计中心", "企业技术中心"):
			enterprise, admin = enterprise_in(GUIYANG)
			self.addCleanup(delete_enterprises, [enterprise])
			self.addCleanup(delete_users, [admin])
			name = submitted(admin, batch, programme, GOOD)
			step(name, "受理", city)
			step(name, "初审通过", city)
			walked[programme] = frappe.db.get_value(SUBMISSION, name, "status")
			if walked[programme] == EXPERT:
				doc = frappe.get_doc(SUBMISSION, name)
				self.assertAlmostEqual(
					(get_datetime(doc.stage_deadline) - get_datetime(doc.stage_entered_at)).days, 3
				)
				step(name, "复核通过", province)
				walked[programme] += " → " + frappe.db.get_value(SUBMISSION, name, "status")
		self.assertEqual(walked, {"工业设计中心": f"{EXPERT} → 省厅审核", "企业技术中心": "省厅审核"})
		# The first stage reviews every programme: it cannot be limited.
		refused = self.desk.request(
			"PUT", f"/api/resource/{stages.STAGE_DOCTYPE}/市州初审", json={"programmes": "工业设计中心"}
		)
		self.assertEqual(refused.status, 417, refused)
		self.assertIn("第一个审核阶段须审核全部培育类型", refused.message)
		# A programme that does not exist is named.
		unknown = self.desk.request(
			"PUT", f"/api/resource/{stages.STAGE_DOCTYPE}/{EXPERT}", json={"programmes": "不存在的类型"}
		)
		self.assertEqual(unknown.status, 417, unknown)
		self.assertIn("不存在的类型", unknown.message)
