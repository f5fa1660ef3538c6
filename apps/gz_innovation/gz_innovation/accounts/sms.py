"""One interface for every SMS the app sends: `send_sms(mobile, purpose, params)`.

The provider is chosen in GZ SMS Settings: Capture (stores, sends nothing), Frappe's SMS Settings
gateway, Aliyun SMS or Tencent Cloud SMS (their official SDKs). Each send is written to GZ SMS Log;
verification codes are masked there unless the provider is Capture.
"""

import json

import frappe
from frappe import _

SECRET_PARAMS = ("code",)


class SMSSendError(frappe.ValidationError):
	pass


def get_settings():
	return frappe.get_cached_doc("GZ SMS Settings")


def get_template(purpose: str, settings=None):
	settings = settings or get_settings()
	for row in settings.templates:
		if row.purpose == purpose:
			return row
	frappe.throw(_("No SMS template for {0} in GZ SMS Settings").format(purpose), SMSSendError)


def render(text: str, params: dict) -> str:
	return text.format_map({key: params.get(key, "") for key in _placeholders(text)})


def render_html(text: str, params: dict) -> str:
	"""The template as the body of an e-mail (HTML): the template is the administrators' own, the
	values (an enterprise's name, a reason typed by a reviewer) are text."""
	from frappe.utils import escape_html

	return render(text, {key: escape_html(str(value)) for key, value in params.items()})


def _placeholders(text: str) -> list[str]:
	import string

	return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def send_sms(mobile: str, purpose: str, params: dict, request_ip: str | None = None) -> str:
	"""Send the `purpose` template to `mobile`; returns the GZ SMS Log name. Raises SMSSendError."""
	settings = get_settings()
	template = get_template(purpose, settings)
	text = render(template.text, params)
	provider = PROVIDERS[settings.provider]
	log = frappe.get_doc(
		{
			"doctype": "GZ SMS Log",
			"mobile": mobile,
			"purpose": purpose,
			"provider": settings.provider,
			"request_ip": request_ip,
			"message": text if provider is CaptureProvider else render(template.text, masked(params)),
		}
	)
	try:
		log.provider_reference = provider(settings).send(mobile, template, params, text)
		log.status = "Captured" if provider is CaptureProvider else "Sent"
	except Exception as e:
		log.status = "Failed"
		log.error = str(e)[:1000]
	log.insert(ignore_permissions=True)
	if log.status == "Failed":
		frappe.log_error(title=f"SMS to {mobile} failed", message=log.error)
		frappe.throw(_("The SMS could not be sent, please try again later"), SMSSendError)
	return log.name


def masked(params: dict) -> dict:
	return {key: ("******" if key in SECRET_PARAMS else value) for key, value in params.items()}


def template_params(template, params: dict) -> list[tuple[str, str]]:
	names = [name.strip() for name in (template.params or "").split(",") if name.strip()]
	names = names or _placeholders(template.text)
	return [(name, str(params.get(name, ""))) for name in names]


class CaptureProvider:
	"""Development and tests: the message is only stored in GZ SMS Log."""

	def __init__(self, settings):
		self.settings = settings

	def send(self, mobile, template, params, text) -> str:
		return "captured"


class FrappeGatewayProvider:
	"""Frappe's SMS Settings (an HTTP gateway). Its own SMS Log is not written, so codes stay masked."""

	def __init__(self, settings):
		self.settings = settings

	def send(self, mobile, template, params, text) -> str:
		from frappe.core.doctype.sms_settings.sms_settings import get_headers, send_request

		gateway = frappe.get_doc("SMS Settings")
		if not gateway.sms_gateway_url:
			raise SMSSendError("SMS Settings has no gateway URL")
		headers = get_headers(gateway)
		args = {gateway.message_parameter: text, gateway.receiver_parameter: mobile}
		for row in gateway.parameters:
			if not row.header:
				args[row.parameter] = row.value
		status = send_request(
			gateway.sms_gateway_url,
			args,
			headers,
			gateway.use_post,
			headers.get("Content-Type") == "application/json",
		)
		return str(status)


class AliyunProvider:
	"""Aliyun SMS (dysmsapi 2017-05-25 SendSms) through the official SDK."""

	def __init__(self, settings):
		self.settings = settings

	def send(self, mobile, template, params, text) -> str:
		from alibabacloud_dysmsapi20170525 import models
		from alibabacloud_dysmsapi20170525.client import Client
		from alibabacloud_tea_openapi import models as openapi_models

		s = self.settings
		endpoint = s.aliyun_endpoint or "dysmsapi.aliyuncs.com"
		protocol = "http" if endpoint.startswith("http://") else "https"
		config = openapi_models.Config(
			access_key_id=s.aliyun_access_key_id,
			access_key_secret=s.get_password("aliyun_access_key_secret", raise_exception=False),
			endpoint=endpoint.split("://", 1)[-1],
			protocol=protocol,
		)
		request = models.SendSmsRequest(
			phone_numbers=mobile,
			sign_name=s.sign_name,
			template_code=template.aliyun_template_code,
			template_param=json.dumps(dict(template_params(template, params)), ensure_ascii=False),
		)
		response = Client(config).send_sms(request).body
		if response.code != "OK":
			raise SMSSendError(f"Aliyun: {response.code} {response.message}")
		return response.biz_id


class TencentProvider:
	"""Tencent Cloud SMS (SendSms 2021-01-11) through the official SDK."""

	def __init__(self, settings):
		self.settings = settings

	def send(self, mobile, template, params, text) -> str:
		from tencentcloud.common import credential
		from tencentcloud.common.profile.client_profile import ClientProfile
		from tencentcloud.common.profile.http_profile import HttpProfile
		from tencentcloud.sms.v20210111 import models, sms_client

		s = self.settings
		endpoint = s.tencent_endpoint or "sms.tencentcloudapi.com"
		http_profile = HttpProfile(
			protocol="http" if endpoint.startswith("http://") else "https",
			endpoint=endpoint.split("://", 1)[-1],
		)
		cred = credential.Credential(
			s.tencent_secret_id, s.get_password("tencent_secret_key", raise_exception=False)
		)
		client = sms_client.SmsClient(
			cred, s.tencent_region or "ap-guangzhou", ClientProfile(httpProfile=http_profile)
		)
		request = models.SendSmsRequest()
		request.PhoneNumberSet = ["+86" + mobile]
		request.SmsSdkAppId = s.tencent_sdk_app_id
		request.SignName = s.sign_name
		request.TemplateId = template.tencent_template_id
		request.TemplateParamSet = [value for _, value in template_params(template, params)]
		status = client.SendSms(request).SendStatusSet[0]
		if status.Code != "Ok":
			raise SMSSendError(f"Tencent Cloud: {status.Code} {status.Message}")
		return status.SerialNo


PROVIDERS = {
	"Capture": CaptureProvider,
	"Frappe SMS Settings": FrappeGatewayProvider,
	"Aliyun": AliyunProvider,
	"Tencent Cloud": TencentProvider,
}
