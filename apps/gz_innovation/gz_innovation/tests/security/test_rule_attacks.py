"""The rules hold on every path, and Desk, REST, /?cmd= and the portal give the same verdict for the
same action: each test tries one rule through several doors and finds the database unchanged."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime

from gz_innovation.accounts.tests.utils import create_user, delete_users, use_capture_provider
from gz_innovation.cultivation import submission
from gz_innovation.cultivation.tests.utils import delete_batches, manual_example_values, open_batch
from gz_innovation.enterprise import certification, membership
from gz_innovation.enterprise.roles import STAFF_ROLE
from gz_innovation.enterprise.tests.utils import (
	create_certified_enterprise,
	create_regulator,
	create_staff,
	delete_enterprises,
	ensure_outgoing_email_account,
	new_uscc,
	step_two_values,
)
from gz_innovation.tests.security.client import Visitor
from gz_innovation.tests.security.world import snapshot

TYPE = "企业技术中心"


class RuleTestCase(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.local.lang = "zh"
		use_capture_provider()
		ensure_outgoing_email_account()
		self.admin = create_user()
		self.enterprise = create_certified_enterprise(self.admin, city="贵阳市", county="观山湖区")
		self.staff = create_staff(self.enterprise)
		self.city_reviewer = create_regulator(city="贵阳市")
		self.other_city = create_regulator(city="遵义市")
		self.province = create_regulator()
		self.batch = open_batch(days_left=10)
		self.people = [self.admin, self.staff, self.city_reviewer, self.other_city, self.province]
		self.addCleanup(delete_users, self.people)
		self.addCleanup(delete_enterprises, [self.enterprise])
		self.addCleanup(delete_batches, [self.batch])
		self.addCleanup(frappe.set_user, "Administrator")
		frappe.db.commit()  # nosemgrep

	def draft(self, **values):
		frappe.set_user(self.admin)
		doc = submission.open_draft(TYPE, self.batch)
		doc = submission.save_draft(doc.name, {**manual_example_values(), "commitment": 1, **values})
		frappe.set_user("Administrator")
		frappe.db.commit()  # nosemgrep
		return doc.name

	def submitted(self):
		name = self.draft()
		frappe.set_user(self.admin)
		submission.submit(name)
		frappe.set_user("Administrator")
		frappe.db.commit()  # nosemgrep
		return name

	def assertSameRefusal(self, responses: dict, message: str) -> None:
		for door, response in responses.items():
			with self.subTest(door=door):
				self.assertIn(response.status, (403, 417), response)
				self.assertIn(message, response.message)


class TestSameVerdictEverywhere(RuleTestCase):
	def test_a_return_without_a_reason_is_refused_by_desk_rest_and_cmd_alike(self):
		name = self.submitted()
		before = snapshot("Cultivation Submission", name)
		reviewer = Visitor().login(self.city_reviewer)
		doc = json.loads(frappe.as_json(frappe.get_doc("Cultivation Submission", name).as_dict()))
		responses = {
			"Desk (apply_workflow)": reviewer.method(
				"frappe.model.workflow.apply_workflow", doc=doc, action="退回修改"
			),
			"REST": reviewer.put(f"/api/resource/Cultivation Submission/{name}", {"status": "退回修改"}),
			"/?cmd=": reviewer.cmd("frappe.model.workflow.apply_workflow", doc=doc, action="退回修改"),
		}
		self.assertSameRefusal(responses, "请先填写并保存审核意见，再选择退回修改")
		self.assertEqual(snapshot("Cultivation Submission", name), before)

	def test_a_submit_without_the_commitment_is_refused_on_every_path(self):
		name = self.draft(commitment=0)
		before = snapshot("Cultivation Submission", name)
		message = "请阅读并勾选《真实性承诺说明》"
		admin = Visitor().login(self.admin)
		portal = admin.method("gz_innovation.cultivation.api.submit_submission", name=name)
		self.assertIn(message, portal.message)
		# The same document rule, whatever moves the state: a script acting as the admin.
		frappe.set_user(self.admin)
		doc = frappe.get_doc("Cultivation Submission", name)
		doc.status = "已提交"
		doc.flags.ignore_permissions = True
		with self.assertRaises(frappe.ValidationError) as raised:
			doc.save()
		self.assertEqual(str(raised.exception), message)
		frappe.db.rollback()
		frappe.set_user("Administrator")
		# And no generic door for the admin: REST and apply_workflow need a write permission it lacks.
		doc = json.loads(frappe.as_json(frappe.get_doc("Cultivation Submission", name).as_dict()))
		for response in (
			admin.method("frappe.model.workflow.apply_workflow", doc=doc, action="提交申请"),
			admin.put(f"/api/resource/Cultivation Submission/{name}", {"status": "已提交", "commitment": 1}),
		):
			self.assertEqual(response.status, 403, response)
		self.assertEqual(snapshot("Cultivation Submission", name), before)

	def test_only_the_enterprise_admin_submits_even_the_platform_administrator_cannot(self):
		name = self.draft()
		before = snapshot("Cultivation Submission", name)
		from frappe.model.workflow import apply_workflow

		with self.assertRaises(frappe.PermissionError) as raised:
			apply_workflow(frappe.get_doc("Cultivation Submission", name), "提交申请")  # as Administrator
		self.assertIn("只有企业管理员", str(raised.exception))
		frappe.db.rollback()
		self.assertEqual(snapshot("Cultivation Submission", name), before)

	def test_forged_results_are_refused_on_the_documents_own_save(self):
		"""Whatever path hands a document with a forged result to the database (Data Import, a Server
		Script, a System Manager in Desk), the document refuses it."""
		name = self.submitted()
		before = snapshot("Cultivation Submission", name)
		doc = frappe.get_doc("Cultivation Submission", name)
		doc.overall_result = "满足限定性指标"
		with self.assertRaises(frappe.PermissionError) as raised:
			doc.save()
		self.assertIn("由系统填写，不能修改", str(raised.exception))
		frappe.db.rollback()
		forged = frappe.get_doc(
			{
				"doctype": "Cultivation Submission",
				"enterprise": self.enterprise,
				"cultivation_type": "工业设计中心",
				"batch": self.batch,
				"overall_result": "满足限定性指标",
			}
		)
		with self.assertRaises(frappe.PermissionError):
			forged.insert()
		frappe.db.rollback()
		self.assertEqual(snapshot("Cultivation Submission", name), before)
		self.assertFalse(
			frappe.db.exists(
				"Cultivation Submission", {"enterprise": self.enterprise, "cultivation_type": "工业设计中心"}
			)
		)

	def test_reviewers_comment_and_move_but_never_change_what_was_declared(self):
		name = self.submitted()
		reviewer = Visitor().login(self.city_reviewer)
		declared = reviewer.put(f"/api/resource/Cultivation Submission/{name}", {"revenue": 99999})
		self.assertEqual(declared.status, 417, declared)
		self.assertEqual(declared.message, "申报当前为已提交状态，不能修改")
		rows = reviewer.put(
			f"/api/resource/Cultivation Submission/{name}",
			{"evaluation": [{"seq": 1, "label": "发明专利", "value_display": "99件", "result": "满足"}]},
		)
		self.assertEqual(rows.status, 403, rows)
		comment = reviewer.put(
			f"/api/resource/Cultivation Submission/{name}", {"review_comment": "请补充材料"}
		)
		self.assertEqual(comment.status, 200, comment)
		self.assertEqual(frappe.db.get_value("Cultivation Submission", name, "revenue"), 180)
		self.assertEqual(frappe.db.get_value("Cultivation Submission", name, "review_comment"), "请补充材料")

	def test_counting_another_enterprises_records_counts_nothing(self):
		"""Frappe's frappe.client.get_count counted any DocType by any filter for anyone logged in."""
		name = self.submitted()
		other_admin = create_user()
		self.people.append(other_admin)
		other = create_certified_enterprise(other_admin, city="遵义市", county="汇川区")
		self.addCleanup(delete_enterprises, [other])
		count = {"doctype": "Cultivation Submission", "filters": {"enterprise": self.enterprise}}
		self.assertEqual(Visitor().login(other_admin).method("frappe.client.get_count", **count).status, 403)
		self.assertEqual(
			Visitor().login(self.other_city).method("frappe.client.get_count", **count).json["message"], 0
		)
		self.assertEqual(
			Visitor().login(self.province).method("frappe.client.get_count", **count).json["message"], 1
		)
		self.assertEqual(Visitor().method("frappe.client.get_count", **count).status, 403)
		self.assertTrue(frappe.db.exists("Cultivation Submission", name))

	def test_a_reviewer_of_another_city_moves_nothing(self):
		name = self.submitted()
		before = snapshot("Cultivation Submission", name)
		reviewer = Visitor().login(self.other_city)
		doc = json.loads(frappe.as_json(frappe.get_doc("Cultivation Submission", name).as_dict()))
		response = reviewer.method("frappe.model.workflow.apply_workflow", doc=doc, action="受理")
		self.assertEqual(response.status, 403, response)
		self.assertEqual(snapshot("Cultivation Submission", name), before)

	def test_a_returned_submission_may_be_resubmitted_after_the_batch_closed(self):
		name = self.submitted()
		frappe.set_user(self.city_reviewer)
		doc = frappe.get_doc("Cultivation Submission", name)
		doc.review_comment = "请补充研发原值"
		doc.save()
		from frappe.model.workflow import apply_workflow

		apply_workflow(doc, "退回修改")
		frappe.set_user("Administrator")
		frappe.db.set_value("Cultivation Batch", self.batch, "closes_at", add_days(now_datetime(), -1))
		frappe.set_user(self.admin)
		doc = submission.submit(name, {"rd_equipment_value": 600})
		self.assertEqual(doc.status, "已提交")
		self.assertEqual(doc.rd_equipment_value, 600)


class TestMembershipEverywhere(RuleTestCase):
	def test_an_admin_transfer_names_a_member_and_a_reviewer_in_scope_decides(self):
		frappe.set_user(self.admin)
		name = membership.request_admin_transfer(self.enterprise, self.staff)
		frappe.set_user("Administrator")
		frappe.db.commit()  # nosemgrep
		before = snapshot("Enterprise Admin Transfer", name)
		# A reviewer writes themselves in as the new admin, then approves.
		hijack = (
			Visitor()
			.login(self.province)
			.put(
				f"/api/resource/Enterprise Admin Transfer/{name}",
				{"to_user": self.province, "status": "已通过"},
			)
		)
		self.assertEqual(hijack.status, 403, hijack)
		# A reviewer of another city approves.
		other = (
			Visitor()
			.login(self.other_city)
			.put(f"/api/resource/Enterprise Admin Transfer/{name}", {"status": "已通过"})
		)
		self.assertEqual(other.status, 403, other)
		self.assertEqual(snapshot("Enterprise Admin Transfer", name), before)
		self.assertEqual(frappe.db.get_value("Enterprise", self.enterprise, "enterprise_admin"), self.admin)
		# The staff member leaves before the decision: approval is refused then too.
		frappe.db.delete("User Permission", {"user": self.staff, "allow": "Enterprise"})
		frappe.db.commit()  # nosemgrep
		late = (
			Visitor()
			.login(self.city_reviewer)
			.put(f"/api/resource/Enterprise Admin Transfer/{name}", {"status": "已通过"})
		)
		self.assertEqual(late.status, 417, late)
		self.assertEqual(late.message, "新的企业管理员必须是本企业成员")
		self.assertEqual(frappe.db.get_value("Enterprise", self.enterprise, "enterprise_admin"), self.admin)

	def test_a_join_request_is_decided_by_the_admin_only(self):
		requester = create_user()
		self.people.append(requester)
		frappe.set_user(requester)
		name = membership.request_join(self.enterprise)
		frappe.set_user("Administrator")
		frappe.db.commit()  # nosemgrep
		for user in (requester, self.staff):
			with self.subTest(user=user):
				frappe.set_user(user)
				request = frappe.get_doc("Enterprise Join Request", name)
				request.status = "已通过"
				request.flags.ignore_permissions = True  # even where a door skips the permission check
				with self.assertRaises(frappe.PermissionError):
					request.save()
				frappe.db.rollback()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Enterprise Join Request", name, "status"), "待审核")
		self.assertNotEqual(membership.enterprise_of(requester), self.enterprise)

	def test_desk_users_never_become_members(self):
		for user in (self.province, "Administrator"):
			with self.subTest(user=user):
				with self.assertRaises(membership.MembershipError) as raised:
					membership.add_member(self.enterprise, user, STAFF_ROLE)
				self.assertEqual(str(raised.exception), "管理端（后台）用户不能成为企业成员")
				frappe.db.rollback()
		self.assertFalse(frappe.db.exists("User Permission", {"user": self.province, "allow": "Enterprise"}))

	def test_a_member_of_one_enterprise_cannot_certify_or_join_another(self):
		other_admin = create_user()
		self.people.append(other_admin)
		other = create_certified_enterprise(other_admin, city="遵义市", county="汇川区")
		self.addCleanup(delete_enterprises, [other])
		frappe.set_user(self.staff)
		with self.assertRaises(membership.MembershipError):
			certification.start("第二家企业", new_uscc())
		with self.assertRaises(membership.MembershipError):
			membership.request_join(other)
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("Enterprise", {"applicant": self.staff}))
		self.assertFalse(frappe.db.exists("Enterprise Join Request", {"user": self.staff}))

	def test_an_application_goes_to_review_only_complete_and_only_by_its_applicant(self):
		applicant = create_user()
		self.people.append(applicant)
		frappe.set_user(applicant)
		name = certification.start("待审企业", new_uscc())["application"]["name"]
		certification.save_step(name, 2, step_two_values())  # 暂存: no licence yet
		self.addCleanup(certification.discard_application, name)
		frappe.set_user("Administrator")
		frappe.db.commit()  # nosemgrep
		from frappe.model.workflow import apply_workflow

		with self.assertRaises(frappe.PermissionError):  # the platform's administrator is not the applicant
			apply_workflow(frappe.get_doc("Enterprise", name), "提交审核")
		frappe.db.rollback()
		frappe.set_user(applicant)
		doc = frappe.get_doc("Enterprise", name)
		doc.certification_status = "审核中"  # a script skipping the portal's own checks
		doc.flags.ignore_permissions = True
		with self.assertRaises(frappe.ValidationError) as raised:
			doc.save()
		self.assertEqual(str(raised.exception), "营业执照：必填")
		frappe.db.rollback()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Enterprise", name, "certification_status"), "草稿")

	def test_a_certified_enterprise_changes_only_through_review(self):
		before = snapshot("Enterprise", self.enterprise)
		admin = Visitor().login(self.admin)
		for response in (
			admin.put(f"/api/resource/Enterprise/{self.enterprise}", {"registered_capital": 99999}),
			admin.method(
				"frappe.client.set_value",
				doctype="Enterprise",
				name=self.enterprise,
				fieldname="registered_capital",
				value=1,
			),
		):
			self.assertEqual(response.status, 403, response)
		frappe.set_user(self.admin)
		doc = frappe.get_doc("Enterprise", self.enterprise)
		doc.registered_capital = 99999
		doc.flags.ignore_permissions = True
		with self.assertRaises(frappe.PermissionError) as raised:
			doc.save()
		self.assertEqual(str(raised.exception), "已认证企业的信息不能在此修改")
		frappe.db.rollback()
		frappe.set_user("Administrator")
		self.assertEqual(snapshot("Enterprise", self.enterprise), before)
