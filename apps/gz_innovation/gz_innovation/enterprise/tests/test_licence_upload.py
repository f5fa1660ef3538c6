"""The business licence upload checks type and size on the server and keeps the file private."""

import io

import frappe
from frappe.tests.test_api import make_request
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts.tests.test_login import Browser, message_of
from gz_innovation.accounts.tests.utils import create_user, delete_users
from gz_innovation.enterprise import certification
from gz_innovation.enterprise.api import LICENCE_MAX_BYTES
from gz_innovation.enterprise.tests.utils import delete_enterprises, new_uscc
from gz_innovation.tests.pdfs import valid_pdf


class TestLicenceUpload(FrappeTestCase):
	def setUp(self):
		self.applicant = create_user()
		frappe.set_user(self.applicant)
		self.name = certification.start("上传测试企业", new_uscc())["application"]["name"]
		frappe.set_user("Administrator")
		frappe.db.commit()  # nosemgrep
		self.addCleanup(delete_users, [self.applicant])
		self.addCleanup(delete_enterprises, [self.name])
		self.browser = Browser()
		self.browser.login(frappe.db.get_value("User", self.applicant, "mobile_no"))

	def upload(self, filename: str, content: bytes, name: str | None = None):
		return make_request(
			target=self.browser.client.post,
			args=("/api/method/gz_innovation.enterprise.api.upload_business_licence",),
			kwargs={
				"data": {"name": name or self.name, "file": (io.BytesIO(content), filename)},
				"headers": {"X-Frappe-CSRF-Token": self.browser.csrf or ""},
				"environ_base": {"REMOTE_ADDR": self.browser.ip},
			},
		)

	def attached_files(self) -> int:
		return frappe.db.count("File", {"attached_to_doctype": "Enterprise", "attached_to_name": self.name})

	def test_wrong_types_are_refused(self):
		for filename, content in [
			("licence.exe", b"MZ\x90\x00"),
			("licence.pdf", b"MZ\x90\x00 an executable named .pdf"),
			("licence.png", b"%PDF-1.4 a pdf named .png"),
		]:
			with self.subTest(filename=filename):
				response = self.upload(filename, content)
				self.assertEqual(response.status_code, 417)
				self.assertEqual(message_of(response), "营业执照：只接受PDF、JPG或PNG文件")
		self.assertEqual(self.attached_files(), 0)

	def test_oversize_is_refused(self):
		response = self.upload("licence.pdf", b"%PDF" + b"0" * LICENCE_MAX_BYTES)
		self.assertEqual(message_of(response), "营业执照：文件不能超过5MB")
		self.assertEqual(self.attached_files(), 0)

	def test_a_pdf_is_kept_private(self):
		response = self.upload("licence.pdf", valid_pdf("licence"))
		self.assertEqual(response.status_code, 200, response.json)
		url = frappe.db.get_value("Enterprise", self.name, "business_licence")
		self.assertTrue(url.startswith("/private/files/"))
		self.assertEqual(self.attached_files(), 1)
		self.assertEqual(Browser().get(url).status_code, 403)  # not for guests
		self.assertEqual(self.browser.get(url).status_code, 200)  # the applicant's own

	def test_someone_elses_application_is_refused(self):
		other = create_user()
		self.addCleanup(delete_users, [other])
		self.browser = Browser()
		self.browser.login(frappe.db.get_value("User", other, "mobile_no"))
		response = self.upload("licence.pdf", valid_pdf("licence"))
		self.assertEqual(response.status_code, 403)
		self.assertEqual(self.attached_files(), 0)
