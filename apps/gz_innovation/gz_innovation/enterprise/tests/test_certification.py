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

	def fill(self, name):
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
		frappe.db.set_value("Enterprise", name, "business_licence", "/private/files/licence.pdf")

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

	def test_draft_resumes_at_the_same_step_with_every_value(self):
		name = self.start()
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
		certification.save_step(name, 2, step_two_values(), go_to=3)
		certification.save_step(name, 3, {"legal_person_name": "王五"}, go_to=2)  # 上一步
		draft = certification.as_form(certification.current_application())
		self.assertEqual((draft["certification_step"], draft["legal_person_name"]), (2, "王五"))

	def test_submit_checks_everything(self):
		name = self.start()
		certification.save_step(name, 2, step_two_values(industry=""))
		self.assertInputError("行业：必填", certification.submit, name)
		certification.save_step(name, 2, {"industry": "制造业"})
		self.assertInputError("营业执照：必填", certification.submit, name)
		frappe.db.set_value("Enterprise", name, "business_licence", "/private/files/licence.pdf")
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
