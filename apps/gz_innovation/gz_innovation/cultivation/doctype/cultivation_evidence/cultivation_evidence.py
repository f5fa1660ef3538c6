# Copyright (c) 2026, gz_innovation developers
# For license information, please see license.txt

from gz_innovation.utils import RecordRow


class CultivationEvidence(RecordRow):
	pass
