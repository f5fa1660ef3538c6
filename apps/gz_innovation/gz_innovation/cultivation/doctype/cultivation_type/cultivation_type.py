# Copyright (c) 2026, gz_innovation developers

from gz_innovation.utils import AppDocument

# For license information, please see license.txt


class CultivationType(AppDocument):
	pass
