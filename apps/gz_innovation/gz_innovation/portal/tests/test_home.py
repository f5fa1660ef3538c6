"""The platform home `/` (manual §2.1) as a guest and a user read it: the brand, 登录 and 免费注册,
通知公告 with their attachments, the open batch with its countdown, the downloads, 技术支持 and the
browser note; served to guests from a cache that a notice, the settings or a batch change drops."""

import re

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, now_datetime

from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.cultivation.tests.utils import delete_batches
from gz_innovation.portal.tests.utils import HTML, PDF, attach, create_notice, delete_notices, portal_batch
from gz_innovation.tests.security.client import Visitor


class TestHome(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		frappe.local.lang = "zh"
		self.notices, self.batches = [], []
		self.addCleanup(self.clean)

	def clean(self):
		frappe.set_user("Administrator")
		delete_notices(self.notices)
		delete_batches(self.batches)
		frappe.db.commit()  # nosemgrep

	def notice(self, *args, **kwargs) -> str:
		name = create_notice(*args, **kwargs)
		self.notices.append(name)
		frappe.db.commit()  # nosemgrep: the page is read in another transaction
		return name

	def test_a_guest_sees_the_platform_and_its_news_without_logging_in(self):
		notice = self.notice("关于2026年度培育工作的通知")
		hidden = self.notice("尚未发布的通知", published=0)
		later = self.notice("明天发布的通知", publish_date=add_days(now_datetime(), 1))
		batch = portal_batch()
		self.batches.append(batch)
		frappe.db.commit()  # nosemgrep
		response = Visitor().get("/")
		self.assertEqual(response.status, 200)
		html = response.text
		self.assertIn("贵州工业云 · 科技创新平台", html)
		self.assertRegex(html, r'class="gz-login-link" href="/login">登录<')
		self.assertRegex(html, r'class="gz-register-link" href="/register">免费注册<')
		self.assertIn("关于2026年度培育工作的通知", html)
		self.assertIn(f'href="/notices/{notice}"', html)
		url = frappe.get_doc("GZ Notice", notice).attachments[0].file
		self.assertIn(f'href="{url}"', html)
		self.assertNotIn("尚未发布的通知", html)
		self.assertNotIn("明天发布的通知", html)
		self.assertNotIn(hidden, html)
		self.assertNotIn(later, html)
		# The open batch, its closing time in Beijing time and the countdown's moment with its offset.
		self.assertIn(batch, html)
		closes = frappe.db.get_value("Cultivation Batch", batch, "closes_at")
		self.assertIn(f'data-countdown-to="{closes:%Y-%m-%dT%H:%M:%S}+08:00"', html)
		# Only the type that has a rule set is offered.
		block = html[html.index(f'data-batch="{batch}"') :][:1500]
		self.assertIn("企业技术中心", block)
		self.assertNotIn("工业设计中心", block)
		self.assertIn("用户操作手册", html)
		self.assertIn("《真实性承诺说明》", html)
		self.assertIn("4000636007", html)  # 技术支持 (manual §4.1)
		self.assertIn("360 浏览器", html)  # the browser note of manual §1.3
		self.assertEqual(Visitor().get(f"/notices/{notice}").status, 200)
		self.assertEqual(Visitor().get(f"/notices/{hidden}").status, 404)
		self.assertEqual(Visitor().get(f"/notices/{later}").status, 404)

	def test_guests_get_the_home_from_the_cache_until_what_it_shows_changes(self):
		title = f"缓存测试公告-{frappe.generate_hash(length=6)}"
		guest = Visitor()
		guest.get("/")
		second = guest.get("/")
		self.assertEqual(second.raw.headers.get("X-From-Cache"), "True")
		self.assertNotIn(title, second.text)
		self.notice(title)  # published in Desk: the cache goes
		third = guest.get("/")
		self.assertEqual(third.raw.headers.get("X-From-Cache"), "False")
		self.assertIn(title, third.text)
		# The settings change in Desk.
		settings = frappe.get_single("GZ Portal Settings")
		phone = settings.support_phone
		settings.support_phone = "0851-12345678"
		settings.save()
		frappe.db.commit()  # nosemgrep
		self.addCleanup(
			lambda: (
				frappe.db.set_single_value("GZ Portal Settings", "support_phone", phone),
				frappe.db.commit(),
			)
		)
		self.assertIn("0851-12345678", guest.get("/").text)
		# A batch opens.
		guest.get("/")
		batch = portal_batch(prefix="缓存测试批次-")
		self.batches.append(batch)
		frappe.db.commit()  # nosemgrep
		self.assertIn(batch, guest.get("/").text)

	def test_a_logged_in_user_never_gets_the_guests_copy(self):
		Visitor().get("/")
		user = create_user()
		self.addCleanup(delete_users, [user])
		html = Visitor(ip="10.30.0.1").login(user).get("/").text
		self.assertIn('href="/personal-console"', html)
		self.assertNotIn("gz-login-link", html)

	def test_a_notice_with_an_unsafe_attachment_type_is_refused(self):
		notice = frappe.get_doc("GZ Notice", self.notice("附件测试公告", files=()))
		# A page with a script, a program, a picture that can carry script: refused as files of a notice.
		for file_name, content in (
			("通知.html", HTML),
			("安装.exe", b"MZ\x90\x00"),
			("logo.svg", b"<svg onload=x()>"),
		):
			with self.assertRaises(frappe.ValidationError) as refused:
				attach(notice.name, file_name, content)
			self.assertRegex(str(refused.exception), "不允许")
		# A PDF name on an HTML page: the content decides.
		with self.assertRaises(frappe.ValidationError) as refused:
			attach(notice.name, "通知.pdf", HTML)
		self.assertIn("文件内容不是 .pdf 文件", str(refused.exception))
		# A PDF cut short: refused in Chinese before Frappe (15.9x) tries to parse it.
		with self.assertRaises(frappe.ValidationError) as refused:
			attach(notice.name, "损坏.pdf", PDF[: len(PDF) // 2])
		self.assertIn("PDF 文件无法读取", str(refused.exception))
		# The document refuses a row naming a file that is not its own or is private.
		other = create_notice("另一条公告")
		self.notices.append(other)
		notice.reload()
		notice.append("attachments", {"file": frappe.get_doc("GZ Notice", other).attachments[0].file})
		with self.assertRaises(frappe.ValidationError) as refused:
			notice.save()
		self.assertIn("附件 1", str(refused.exception))
		notice.reload()
		notice.append("attachments", {"file": attach(notice.name, "内部.pdf", PDF, is_private=1)})
		with self.assertRaises(frappe.ValidationError) as refused:
			notice.save()
		self.assertIn("私有文件", str(refused.exception))
		notice.reload()
		self.assertEqual(notice.attachments, [])
		self.assertFalse(
			frappe.db.exists("File", {"attached_to_name": notice.name, "file_name": ["like", "%.html"]})
		)

	def test_an_unsafe_attachment_is_refused_over_http_too(self):
		from gz_innovation.enterprise.tests.utils import create_regulator

		admin = create_regulator(stage="both")
		frappe.get_doc("User", admin).add_roles("System Manager")
		self.addCleanup(delete_users, [admin])
		notice = self.notice("上传测试公告", files=())
		frappe.db.commit()  # nosemgrep
		visitor = Visitor(ip="10.30.0.2").login(admin)
		files = frappe.db.count("File", {"attached_to_name": notice})
		response = visitor.upload(
			doctype="GZ Notice", docname=notice, is_private=0, content=HTML, filename="通知.html"
		)
		self.assertEqual(response.status, 417, response)
		self.assertRegex(response.message, "不允许")
		self.assertEqual(frappe.db.count("File", {"attached_to_name": notice}), files)
		response = visitor.upload(
			doctype="GZ Notice", docname=notice, is_private=0, content=PDF, filename="通知.pdf"
		)
		self.assertEqual(response.status, 200, response)

	def test_the_settings_refuse_what_could_break_out_of_the_page(self):
		settings = frappe.get_single("GZ Portal Settings")
		settings.primary_color = "red;}</style><script>x()</script>"
		with self.assertRaises(frappe.ValidationError) as refused:
			settings.save()
		self.assertIn("请输入颜色", str(refused.exception))
		settings.reload()
		settings.logo = "/files/not-attached-here.png"
		with self.assertRaises(frappe.ValidationError):
			settings.save()
		html = Visitor().get("/").text
		self.assertIsNone(re.search(r"<script>x\(\)", html))
