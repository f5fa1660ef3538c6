# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt


from gz_innovation.enterprise import certification
from gz_innovation.enterprise.idcard import mask_id_number, mask_mobile
from gz_innovation.enterprise.uscc import normalize
from gz_innovation.enterprise.validation import validate_county_in_city, validate_uscc
from gz_innovation.utils import AppDocument


class Enterprise(AppDocument):
	def before_insert(self):
		self.uscc = normalize(self.uscc)

	def validate(self):
		self.validate_uscc()
		certification.validate(self)
		validate_county_in_city(self)
		self.set_masked_fields()

	def on_update(self):
		certification.on_status_change(self)

	def validate_uscc(self):
		# Legacy enterprises may carry codes that fail the check: flagged for correction, kept.
		if self.is_new() and not self.uscc_flagged:
			validate_uscc(self.uscc)

	def set_masked_fields(self):
		self.legal_person_id_masked = mask_id_number(self.legal_person_id_number)
		self.legal_person_mobile_masked = mask_mobile(self.legal_person_mobile)
		self.authorized_person_id_masked = mask_id_number(self.authorized_person_id_number)
		self.authorized_person_mobile_masked = mask_mobile(self.authorized_person_mobile)
