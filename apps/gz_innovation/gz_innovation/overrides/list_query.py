"""Frappe's list queries (DatabaseQuery: reportview, REST lists, frappe.get_list), refused when they
filter, sort or group by a field the user may not read (enterprise/personal_data.py): Frappe drops such
fields from what a list returns, but not from its conditions, so a filter could tell an ID number one
guess at a time (overrides/__init__.py registers it)."""


def apply_fieldlevel_read_permissions(frappe_function):
	def apply_fieldlevel_read_permissions(self, *args, **kwargs):
		from gz_innovation.enterprise.personal_data import refuse_hidden_fields_in_conditions

		refuse_hidden_fields_in_conditions(self)
		return frappe_function(self, *args, **kwargs)

	return apply_fieldlevel_read_permissions
