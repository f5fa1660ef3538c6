"""Aliyun and Tencent Cloud SMS through their official SDKs, against a local stand-in of each
provider's HTTP API (a real server on loopback that records what the SDK sent)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.accounts import sms
from gz_innovation.accounts.tests.utils import new_mobile


class ProviderStandIn(BaseHTTPRequestHandler):
	"""Answers like the provider's API and keeps each request for the test to read."""

	requests: list = []
	reply: dict = {}

	def handle_request(self):
		length = int(self.headers.get("Content-Length") or 0)
		body = self.rfile.read(length).decode() if length else ""
		query = parse_qs(urlparse(self.path).query)
		type(self).requests.append({"headers": dict(self.headers), "body": body, "query": query})
		payload = json.dumps(type(self).reply).encode()
		self.send_response(200)
		self.send_header("Content-Type", "application/json")
		self.send_header("Content-Length", str(len(payload)))
		self.end_headers()
		self.wfile.write(payload)

	do_GET = do_POST = handle_request

	def log_message(self, *args):
		pass


class TestSmsProviders(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.server = ThreadingHTTPServer(("127.0.0.1", 0), ProviderStandIn)
		threading.Thread(target=cls.server.serve_forever, daemon=True).start()
		cls.endpoint = f"http://127.0.0.1:{cls.server.server_port}"

	@classmethod
	def tearDownClass(cls):
		cls.server.shutdown()
		super().tearDownClass()

	def setUp(self):
		ProviderStandIn.requests = []
		self.settings = frappe.get_single("GZ SMS Settings")
		self.settings.sign_name = "贵州工业云"
		for row in self.settings.templates:
			if row.purpose == "verification_code":
				row.aliyun_template_code = "SMS_123456"
				row.tencent_template_id = "1234567"
				row.params = "code"

	def test_aliyun_send_sms(self):
		ProviderStandIn.reply = {"Code": "OK", "Message": "OK", "BizId": "biz-1", "RequestId": "r-1"}
		self.settings.update(
			{
				"provider": "Aliyun",
				"aliyun_access_key_id": "test-key-id",
				"aliyun_access_key_secret": "test-key-secret",
				"aliyun_endpoint": self.endpoint,
			}
		)
		self.settings.save()
		mobile = new_mobile()
		log = frappe.get_doc(
			"GZ SMS Log", sms.send_sms(mobile, "verification_code", {"code": "246810", "minutes": 5})
		)
		self.assertEqual((log.status, log.provider_reference), ("Sent", "biz-1"))
		self.assertNotIn("246810", log.message)
		sent = ProviderStandIn.requests[-1]
		params = {**sent["query"], **parse_qs(sent["body"])}
		self.assertEqual(sent["headers"].get("x-acs-action"), "SendSms")
		self.assertEqual(sent["headers"].get("x-acs-version"), "2017-05-25")
		self.assertEqual(params["PhoneNumbers"], [mobile])
		self.assertEqual(params["SignName"], ["贵州工业云"])
		self.assertEqual(params["TemplateCode"], ["SMS_123456"])
		self.assertEqual(json.loads(params["TemplateParam"][0]), {"code": "246810"})
		self.assertTrue(
			sent["headers"]["Authorization"].startswith("ACS3-HMAC-SHA256 Credential=test-key-id,")
		)

	def test_aliyun_refusal_is_logged_as_failed(self):
		ProviderStandIn.reply = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "limit", "RequestId": "r-2"}
		self.settings.update(
			{
				"provider": "Aliyun",
				"aliyun_access_key_id": "refusal-key-id",
				"aliyun_access_key_secret": "refusal-key-secret",
				"aliyun_endpoint": self.endpoint,
			}
		)
		self.settings.save()
		mobile = new_mobile()
		with self.assertRaises(sms.SMSSendError):
			sms.send_sms(mobile, "verification_code", {"code": "135790"})
		log = frappe.get_last_doc("GZ SMS Log", filters={"mobile": mobile})
		self.assertEqual(log.status, "Failed")
		self.assertIn("BUSINESS_LIMIT_CONTROL", log.error)

	def test_tencent_send_sms(self):
		ProviderStandIn.reply = {
			"Response": {
				"SendStatusSet": [
					{"SerialNo": "serial-1", "Code": "Ok", "Message": "send success", "Fee": 1}
				],
				"RequestId": "r-3",
			}
		}
		self.settings.update(
			{
				"provider": "Tencent Cloud",
				"tencent_secret_id": "test-secret-id",
				"tencent_secret_key": "test-secret-key",
				"tencent_sdk_app_id": "1400000000",
				"tencent_endpoint": self.endpoint,
			}
		)
		self.settings.save()
		mobile = new_mobile()
		log = frappe.get_doc(
			"GZ SMS Log", sms.send_sms(mobile, "verification_code", {"code": "975310", "minutes": 5})
		)
		self.assertEqual((log.status, log.provider_reference), ("Sent", "serial-1"))
		sent = ProviderStandIn.requests[-1]
		self.assertEqual(sent["headers"].get("X-TC-Action"), "SendSms")
		body = json.loads(sent["body"])
		self.assertEqual(body["PhoneNumberSet"], ["+86" + mobile])
		self.assertEqual(body["TemplateId"], "1234567")
		self.assertEqual(body["TemplateParamSet"], ["975310"])
		self.assertEqual(body["SmsSdkAppId"], "1400000000")
		self.assertIn("test-secret-id", sent["headers"].get("Authorization", ""))
