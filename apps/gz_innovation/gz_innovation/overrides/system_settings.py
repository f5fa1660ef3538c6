"""System Settings with the app's login (hooks.py `override_doctype_class`)."""

from frappe.core.doctype.system_settings.system_settings import SystemSettings


class GZSystemSettings(SystemSettings):
	def validate_user_pass_login(self, *args, **kwargs):
		"""Frappe refuses to switch its username/password login off unless Social Login, LDAP or e-mail
		links are on, so nobody is locked out. Here the app's captcha-checked login page serves
		passwords, so Frappe's own may be off (accounts/login.py)."""
		return
