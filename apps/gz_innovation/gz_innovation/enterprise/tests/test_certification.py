"""Enterprise certification (manual §2.1.3): six steps, drafts, review with reasons, notifications."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.utils import create_user, delete_users, use_capture_provider
from gz_innovation.enterprise import certification
from gz_innovation.enterprise.certification import CertificationError
from gz_innovation.enterprise.roles import ADMIN_ROLE
from gz_innovation.enterprise.tests.utils import (
	create_certified_enterprise,
	create_regulator,
	delete_enterprises,
	ensure_outgoing_email_account,
	new_uscc,
	step_two_values,
)
from gz_innovation.enterprise.validation import EnterpriseInputError


def last_email_to(recipient: str) -> str:
	"""Subject and text of the newest queued e-mail to `recipient` (decoded from its MIME form)."""
	import email

	queue = frappe.get_all(
		"Email Queue Recipient",
		filters={"recipient": recipient},
		pluck="parent",
		order_by="creation desc",
		limit=1,
	)
	message = email.message_from_string(frappe.db.get_value("Email Queue", queue[0], "message"))
	parts = [part.get_payload(decode=True) for part in message.walk() if not part.is_multipart()]
	return str(email.header.make_header(email.header.decode_header(message["Subject"]))) + "".join(
		p.decode("utf-8", "replace") for p in parts if p
	)


class CertificationTestCase(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"
		use_capture_provider()
		ensure_outgoing_email_account()
		self.applicant = create_user()
		self.regulator = create_regulator()
		self.addCleanup(delete_users, [self.applicant, self.regulator])
		self.addCleanup(frappe.set_user, "Administrator")
		frappe.set_user(self.applicant)

	def start(self, uscc=None, name="贵州测试科技有限公司"):
		result = certification.start(name, uscc or new_uscc())
		return result["application"]["name"]

	def licence(self, name):
		"""The licence as the upload leaves it (the upload itself: test_licence_upload.py)."""
		frappe.db.set_value("Enterprise", name, "business_licence", "/private/files/licence.pdf")

	def fill(self, name):
		self.licence(name)
		certification.save_step(name, 2, step_two_values(), go_to=3)
		certification.save_step(name, 3, {}, go_to=4)  # 跳过此步骤
		certification.save_step(
			name,
			4,
			{
				"authorized_person_name": "赵六",
				"authorized_person_id_number": "440524188001010014",
				"authorized_person_mobile": "13800001111",
			},
			go_to=5,
		)
		certification.save_step(
			name,
			5,
			{
				"needs_digital_certification": 1,
				"business_authorizations": [{"business_type": "科技创新服务平台", "details": "平台服务"}],
			},
		)

	def review(self, name, action, comment=None):
		frappe.set_user(self.regulator)
		doc = frappe.get_doc("Enterprise", name)
		if comment is not None:
			doc.review_comment = comment
			doc.save()
		apply_workflow(doc, action)
		frappe.set_user(self.applicant)
		return frappe.get_doc("Enterprise", name)

	def assertInputError(self, message, func, *args, **kwargs):
		with self.assertRaises((EnterpriseInputError, CertificationError, frappe.PermissionError)) as raised:
			func(*args, **kwargs)
		self.assertEqual(str(raised.exception), message)


class TestCertificationFlow(CertificationTestCase):
	def test_six_steps_review_return_resubmit_and_approve(self):
		name = self.start()
		self.fill(name)
		submitted = certification.submit(name)
		self.assertEqual(submitted["certification_status"], "审核中")
		self.assertEqual(submitted["certification_step"], 6)

		# 退回修改 needs a reason, which reaches the applicant by SMS and e-mail.
		with self.assertRaises(CertificationError):
			self.review(name, "退回修改", comment="")
		doc = self.review(name, "退回修改", comment="营业执照不清晰")
		self.assertEqual(doc.certification_status, "退回修改")
		mobile = frappe.db.get_value("User", self.applicant, "mobile_no")
		sms = frappe.get_last_doc("GZ SMS Log", filters={"mobile": mobile})
		self.assertEqual(sms.purpose, "certification_returned")
		self.assertIn("营业执照不清晰", sms.message)
		self.assertIn("贵州测试科技有限公司", sms.message)
		self.assertIn("营业执照不清晰", last_email_to("contact@example.com"))

		# The applicant fixes and resubmits the same application.
		certification.save_step(name, 2, {"address": "贵阳市观山湖区长岭北路2号"})
		self.assertEqual(certification.submit(name)["certification_status"], "审核中")
		doc = self.review(name, "通过")
		self.assertEqual(doc.certification_status, "已认证")
		self.assertEqual(doc.enterprise_admin, self.applicant)
		self.assertIn(ADMIN_ROLE, frappe.get_roles(self.applicant))
		self.assertTrue(
			frappe.db.exists(
				"User Permission", {"user": self.applicant, "allow": "Enterprise", "for_value": name}
			)
		)
		self.assertEqual(
			frappe.get_last_doc("GZ SMS Log", filters={"mobile": mobile}).purpose, "certification_approved"
		)

	def test_reject_needs_a_reason_and_names_it(self):
		name = self.start()
		self.fill(name)
		certification.submit(name)
		doc = self.review(name, "驳回", comment="非本省企业")
		self.assertEqual(doc.certification_status, "驳回")
		mobile = frappe.db.get_value("User", self.applicant, "mobile_no")
		self.assertIn("非本省企业", frappe.get_last_doc("GZ SMS Log", filters={"mobile": mobile}).message)

	def test_desks_dialog_returns_or_rejects_with_the_reason_in_one_save(self):
		"""退回修改 and 驳回 in Desk ask for the reason in a dialog (gz_desk.js), which sends it with the
		action (cultivation/review.py act_with_reason)."""
		from gz_innovation.accounts.tests.test_login import Browser
		from gz_innovation.cultivation.review import act_with_reason

		for action in ("退回修改", "驳回"):
			with self.subTest(action=action):
				self.applicant = create_user()  # one application each
				self.addCleanup(delete_users, [self.applicant])
				frappe.set_user(self.applicant)
				name = self.start(name=f"贵州{action}测试科技有限公司")
				self.addCleanup(delete_enterprises, [name])
				self.fill(name)
				certification.submit(name)
				frappe.db.commit()  # nosemgrep: the HTTP request below runs in its own transaction
				frappe.set_user(self.regulator)
				self.assertRaises(frappe.ValidationError, act_with_reason, "Enterprise", name, action, "  ")
				frappe.set_user(self.applicant)
				browser = Browser()
				browser.login(frappe.db.get_value("User", self.regulator, "username"))
				response = browser.post(
					"/api/method/gz_innovation.cultivation.review.act_with_reason",
					{"doctype": "Enterprise", "name": name, "action": action, "reason": " 执照不清晰 "},
				)
				self.assertEqual(response.status_code, 200, response.get_data(as_text=True))
				frappe.db.commit()  # nosemgrep: see what the request committed
				row = frappe.db.get_value(
					"Enterprise", name, ["certification_status", "review_comment"], as_dict=True
				)
				self.assertEqual((row.certification_status, row.review_comment), (action, "执照不清晰"))

	def test_draft_resumes_at_the_same_step_with_every_value(self):
		name = self.start()
		self.licence(name)
		certification.save_step(name, 2, step_two_values(), go_to=3)
		certification.save_step(name, 3, {"legal_person_name": "王五"})  # 暂存 on step 3
		frappe.set_user("Guest")  # logged out
		frappe.set_user(self.applicant)  # and back
		draft = certification.as_form(certification.current_application())
		self.assertEqual(draft["certification_step"], 3)
		self.assertEqual(draft["legal_person_name"], "王五")
		for fieldname, value in step_two_values().items():
			expected = float(value) if isinstance(value, int | float) else value
			self.assertEqual(str(draft[fieldname]), str(expected), fieldname)

	def test_going_back_keeps_values(self):
		name = self.start()
		self.licence(name)
		certification.save_step(name, 2, step_two_values(), go_to=3)
		certification.save_step(name, 3, {"legal_person_name": "王五"}, go_to=2)  # 上一步
		draft = certification.as_form(certification.current_application())
		self.assertEqual((draft["certification_step"], draft["legal_person_name"]), (2, "王五"))

	def test_a_step_left_incomplete_stops_at_that_step(self):
		"""下一步 (or a later step's tab) names the missing field on the step being left; 暂存 and 上一步
		keep what is there without asking for more; nothing moves on."""
		name = self.start()
		certification.save_step(name, 2, step_two_values(industry=""))  # 暂存: fine
		self.assertInputError("行业：必填", certification.save_step, name, 2, {}, go_to=3)
		self.assertInputError("行业：必填", certification.save_step, name, 2, {}, go_to=5)  # a tab further on
		certification.save_step(name, 2, {"industry": "专用设备制造业"})
		self.assertInputError("营业执照：必填", certification.save_step, name, 2, {}, go_to=3)
		self.assertEqual(frappe.db.get_value("Enterprise", name, "certification_step"), 2)
		self.licence(name)
		self.assertEqual(certification.save_step(name, 2, {}, go_to=3)["certification_step"], 3)
		self.assertEqual(
			certification.save_step(name, 3, {}, go_to=5)["certification_step"], 5
		)  # 3, 4: optional
		self.assertEqual(
			certification.save_step(name, 5, {}, go_to=2)["certification_step"], 2
		)  # back: no check

	def test_step_one_checks_the_name_the_user_types(self):
		"""Manual: "填写企业名称，系统会自动判断该企业是否已认证"."""
		admin = create_user()
		self.addCleanup(delete_users, [admin])
		certified = create_certified_enterprise(admin)
		self.addCleanup(delete_enterprises, [certified])
		known = frappe.db.get_value("Enterprise", certified, "enterprise_name")
		self.assertEqual(
			certification.find_certified(known),
			{"status": "certified", "enterprise": certified, "enterprise_name": known},
		)
		self.assertEqual(certification.find_certified(" " + known + " ")["status"], "certified")
		self.assertEqual(certification.find_certified("贵州尚未认证的新企业有限公司"), {"status": "new"})
		self.assertInputError("企业名称：必填", certification.find_certified, "  ")
		# An application in progress is not "certified": its name can still be applied for.
		name = self.start(name="贵州申请中企业有限公司")
		self.assertEqual(certification.find_certified("贵州申请中企业有限公司"), {"status": "new"})
		self.assertTrue(name)

	def test_submit_checks_everything(self):
		name = self.start()
		certification.save_step(name, 2, step_two_values(industry=""))
		self.assertInputError("行业：必填", certification.submit, name)
		certification.save_step(name, 2, {"industry": "专用设备制造业"})
		self.assertInputError("营业执照：必填", certification.submit, name)
		self.licence(name)
		certification.save_step(name, 5, {"needs_digital_certification": 1, "business_authorizations": []})
		self.assertInputError("业务授权：请至少选择一种业务类型", certification.submit, name)


class TestCertificationBadInput(CertificationTestCase):
	def test_uscc_rules(self):
		cases = [
			("91520100MA6DL1234", "统一社会信用代码：须为18位"),
			("91520100MA6DL1234O", "统一社会信用代码：只能包含数字和除I、O、S、V、Z以外的大写字母"),
			("91520000791221272L", "统一社会信用代码：校验位不正确，请核对"),
		]
		for code, message in cases:
			with self.subTest(code=code):
				self.assertInputError(message, certification.start, "某企业", code)
		self.assertFalse(frappe.db.exists("Enterprise", {"applicant": self.applicant}))

	def test_certified_enterprise_can_only_be_joined(self):
		enterprise = create_certified_enterprise()
		self.addCleanup(delete_enterprises, [enterprise])
		result = certification.start("任何名称", enterprise)
		self.assertEqual(result["status"], "certified")
		self.assertEqual(
			frappe.db.get_value("Enterprise", enterprise, "applicant"),
			frappe.db.get_value("Enterprise", enterprise, "enterprise_admin"),
		)

	def test_second_applicant_for_an_enterprise_in_progress_is_refused(self):
		uscc = new_uscc()
		self.start(uscc)
		other = create_user()
		self.addCleanup(delete_users, [other])
		frappe.set_user(other)
		self.assertInputError(
			"该企业已有认证申请正在办理中。申请超过30天未继续办理的，可重新发起申请；也可联系平台处理",
			certification.start,
			"某企业",
			uscc,
		)

	def test_tampered_requests_change_nothing(self):
		name = self.start()
		self.licence(name)
		certification.save_step(name, 2, step_two_values(), go_to=3)
		before = frappe.get_doc("Enterprise", name).as_dict()
		self.assertInputError("未知的步骤", certification.save_step, name, 9, {})
		self.assertInputError("未知的步骤", certification.save_step, name, 1, {"enterprise_name": "别的企业"})
		self.assertInputError(
			"以下字段不属于此步骤：enterprise_name",
			certification.save_step,
			name,
			2,
			{"enterprise_name": "别的企业"},
		)
		self.assertInputError(
			"以下字段不属于此步骤：certification_status",
			certification.save_step,
			name,
			2,
			{"certification_status": "已认证"},
		)
		other = create_user()
		self.addCleanup(delete_users, [other])
		frappe.set_user(other)
		self.assertInputError("这不是您的申请", certification.save_step, name, 2, {"address": "x"})
		frappe.set_user(self.applicant)
		after = frappe.get_doc("Enterprise", name).as_dict()
		for key in ("enterprise_name", "certification_status", "address", "certification_step", "modified"):
			self.assertEqual(before[key], after[key], key)

	def test_field_rules_name_the_field(self):
		name = self.start()
		cases = [
			({"registered_capital": -1}, "注册资本（万元）：不能为负数"),
			({"registered_capital": "abc"}, "注册资本（万元）：请输入数字"),
			({"annual_revenue": 1e12}, "营业收入（万元）：金额过大，单位为万元"),
			({"contact_phone": "12345"}, "联系电话：请输入手机号码或固定电话，如0851-12345678"),
			({"contact_email": "not-an-email"}, "联系邮箱：请输入正确的电子邮箱"),
			({"registration_date": "2999-01-01"}, "成立日期：不能晚于今天"),
			({"ownership_type": "外星企业"}, "企业性质：请从列表中选择"),
			({"city": "观山湖区"}, "所属市州：请选择贵州省的市（州）"),
			({"city": "遵义市", "county": "观山湖区"}, "所属区县：所选区县不属于所选市州"),
			({"address": "路" * 201}, "详细地址：最多200个字符"),
		]
		for values, message in cases:
			with self.subTest(values=values):
				self.assertInputError(message, certification.save_step, name, 2, values)
		self.assertInputError(
			"法定代表人身份证号：请输入正确的18位身份证号码",
			certification.save_step,
			name,
			3,
			{"legal_person_id_number": "110105194912310021"},
		)
		self.assertInputError(
			"被授权人手机号：请输入正确的11位中国大陆手机号码",
			certification.save_step,
			name,
			4,
			{"authorized_person_mobile": "1234"},
		)
		self.assertInputError(
			"业务授权：请从列表中选择业务类型",
			certification.save_step,
			name,
			5,
			{"business_authorizations": [{"business_type": "黑客平台"}]},
		)
