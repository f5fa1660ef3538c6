"""Members of an enterprise (manual §1.6): join requests, staff accounts, roles, admin transfer."""

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.password import MUST_CHANGE_FIELD
from gz_innovation.accounts.tests.utils import (
	create_user,
	delete_users,
	new_mobile,
	new_username,
	use_capture_provider,
)
from gz_innovation.enterprise import membership
from gz_innovation.enterprise.roles import ADMIN_ROLE, STAFF_ROLE
from gz_innovation.enterprise.tests.utils import (
	create_certified_enterprise,
	create_regulator,
	create_staff,
	delete_enterprises,
	ensure_outgoing_email_account,
)


class TestMembership(FrappeTestCase):
	def setUp(self):
		frappe.local.lang = "zh"
		use_capture_provider()
		ensure_outgoing_email_account()
		self.admin = create_user()
		self.enterprise = create_certified_enterprise(self.admin)
		self.staff = create_staff(self.enterprise)
		self.users = [self.admin, self.staff]
		self.addCleanup(delete_users, self.users)
		self.addCleanup(delete_enterprises, [self.enterprise])
		self.addCleanup(frappe.set_user, "Administrator")

	def assertRefused(self, message, func, *args):
		with self.assertRaises((frappe.ValidationError, frappe.PermissionError)) as raised:
			func(*args)
		self.assertEqual(str(raised.exception), message)

	def test_join_request_approved_by_the_admin(self):
		requester = create_user()
		self.users.append(requester)
		frappe.set_user(requester)
		request = membership.request_join(self.enterprise)
		self.assertRefused("您的加入申请正在等待企业管理员审核", membership.request_join, self.enterprise)
		frappe.set_user(self.admin)
		self.assertEqual([r.user for r in membership.join_requests(self.enterprise)], [requester])
		membership.decide_join(request, True)
		self.assertIn(STAFF_ROLE, frappe.get_roles(requester))
		self.assertEqual(membership.enterprise_of(requester), self.enterprise)
		mobile = frappe.db.get_value("User", requester, "mobile_no")
		self.assertEqual(
			frappe.get_last_doc("GZ SMS Log", filters={"mobile": mobile}).purpose, "join_approved"
		)

	def test_join_request_rejected_needs_a_reason(self):
		requester = create_user()
		self.users.append(requester)
		frappe.set_user(requester)
		request = membership.request_join(self.enterprise)
		frappe.set_user(self.admin)
		self.assertRefused("拒绝原因：请填写拒绝原因", membership.decide_join, request, False, " ")
		membership.decide_join(request, False, "不是本企业员工")
		self.assertIsNone(membership.enterprise_of(requester))
		mobile = frappe.db.get_value("User", requester, "mobile_no")
		self.assertIn("不是本企业员工", frappe.get_last_doc("GZ SMS Log", filters={"mobile": mobile}).message)

	def test_admin_adds_staff_with_a_default_password_to_change(self):
		frappe.set_user(self.admin)
		user = membership.add_staff(self.enterprise, new_mobile(), new_username(), "新员工", "Default123")
		self.users.append(user)
		self.assertEqual(frappe.db.get_value("User", user, MUST_CHANGE_FIELD), 1)
		self.assertIn(STAFF_ROLE, frappe.get_roles(user))
		self.assertEqual(membership.enterprise_of(user), self.enterprise)
		self.assertRefused(
			"密码：须至少含有数字、小写字母、大写字母、特殊字符（!@#$%^&*~）中的两种",
			membership.add_staff,
			self.enterprise,
			new_mobile(),
			new_username(),
			"新员工",
			"defaultdefault",
		)

	def test_admin_resets_disables_and_gives_roles(self):
		frappe.set_user(self.admin)
		membership.reset_staff_password(self.enterprise, self.staff, "Reset1234")
		self.assertEqual(frappe.db.get_value("User", self.staff, MUST_CHANGE_FIELD), 1)
		membership.set_staff_roles(self.enterprise, self.staff, ["GZ Cultivation Viewer"])
		self.assertIn("GZ Cultivation Viewer", frappe.get_roles(self.staff))
		self.assertRefused(
			"企业管理员不能分配以下角色：System Manager",
			membership.set_staff_roles,
			self.enterprise,
			self.staff,
			["System Manager"],
		)
		membership.set_staff_enabled(self.enterprise, self.staff, False)
		self.assertEqual(frappe.db.get_value("User", self.staff, "enabled"), 0)
		membership.set_staff_enabled(self.enterprise, self.staff, True)
		self.assertEqual(frappe.db.get_value("User", self.staff, "enabled"), 1)

	def test_admin_cannot_remove_themself(self):
		frappe.set_user(self.admin)
		self.assertRefused(
			"企业管理员不能对自己的账号执行此操作",
			membership.set_staff_enabled,
			self.enterprise,
			self.admin,
			False,
		)

	def test_staff_cannot_do_admin_actions(self):
		frappe.set_user(self.staff)
		for func, args in [
			(membership.members, (self.enterprise,)),
			(membership.add_staff, (self.enterprise, new_mobile(), new_username(), "x", "Default123")),
			(membership.reset_staff_password, (self.enterprise, self.admin, "Default123")),
			(membership.set_staff_enabled, (self.enterprise, self.admin, False)),
			(membership.request_admin_transfer, (self.enterprise, self.staff)),
		]:
			with self.subTest(func=func.__name__):
				self.assertRefused("只有企业管理员可以执行此操作", func, *args)

	def test_admin_of_one_enterprise_cannot_touch_another(self):
		other_admin = create_user()
		other = create_certified_enterprise(other_admin)
		self.users.append(other_admin)
		self.addCleanup(delete_enterprises, [other])
		frappe.set_user(other_admin)
		self.assertRefused(
			"只有企业管理员可以执行此操作", membership.set_staff_enabled, self.enterprise, self.staff, False
		)
		self.assertRefused("该账号不是本企业成员", membership.set_staff_enabled, other, self.staff, False)

	def test_admin_transfer_is_approved_by_the_regulator(self):
		frappe.set_user(self.admin)
		request = membership.request_admin_transfer(self.enterprise, self.staff)
		regulator = create_regulator()
		self.users.append(regulator)
		frappe.set_user(regulator)
		transfer = frappe.get_doc("Enterprise Admin Transfer", request)
		transfer.status = "已通过"
		transfer.save()
		self.assertEqual(frappe.db.get_value("Enterprise", self.enterprise, "enterprise_admin"), self.staff)
		self.assertIn(ADMIN_ROLE, frappe.get_roles(self.staff))
		self.assertNotIn(ADMIN_ROLE, frappe.get_roles(self.admin))
		self.assertIn(STAFF_ROLE, frappe.get_roles(self.admin))


class TestLoginWithEnterpriseCode(FrappeTestCase):
	def test_the_code_of_a_certified_enterprise_logs_in_its_admin(self):
		from gz_innovation.accounts.tests.test_login import Browser, message_of

		admin = create_user()
		enterprise = create_certified_enterprise(admin)
		self.addCleanup(delete_users, [admin])
		self.addCleanup(delete_enterprises, [enterprise])
		for identifier in (enterprise, enterprise.lower()):
			browser = Browser()
			self.assertEqual(browser.login(identifier).status_code, 200, identifier)
			self.assertEqual(browser.get("/api/method/frappe.auth.get_logged_user").json["message"], admin)
		frappe.local.lang = "zh"
		self.assertEqual(message_of(Browser().login(enterprise, "Wr0ngPassword")), "账号或密码错误")


class TestEnterpriseUsersStayPortalUsers(FrappeTestCase):
	def test_admins_and_staff_have_no_desk(self):
		admin = create_user()
		enterprise = create_certified_enterprise(admin)
		staff = create_staff(enterprise)
		self.addCleanup(delete_users, [admin, staff])
		self.addCleanup(delete_enterprises, [enterprise])
		for user in (admin, staff):
			self.assertEqual(frappe.db.get_value("User", user, "user_type"), "Website User", user)
