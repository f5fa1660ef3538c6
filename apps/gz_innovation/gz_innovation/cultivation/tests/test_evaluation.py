"""The rule engine: the manual's example, each operator, ALL / AT LEAST k, formulas, custom
fields, versions, and formulas refused when an administrator saves them."""

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.cultivation import evaluation
from gz_innovation.cultivation.evaluation import RuleError
from gz_innovation.cultivation.tests.utils import delete_batches, manual_example_values, open_batch


def rule(label, expression, op=">=", threshold=0, unit="", decimals=0, group="A"):
	return {
		"label": label,
		"expression": expression,
		"operator": op,
		"threshold": threshold,
		"unit": unit,
		"decimals": decimals,
		"rule_group": group,
	}


class TestEvaluation(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.batch = open_batch()

	@classmethod
	def tearDownClass(cls):
		delete_batches([cls.batch])
		super().tearDownClass()

	def setUp(self):
		frappe.local.lang = "zh"

	def rule_set(self, rules, groups=()):
		doc = frappe.get_doc(
			{
				"doctype": "Cultivation Rule Set",
				"cultivation_type": "工业设计中心",
				"batch": self.new_batch(),
				"rules": rules,
				"groups": list(groups),
			}
		)
		existing = frappe.db.get_value(
			"Cultivation Rule Set", {"cultivation_type": "工业设计中心", "batch": doc.batch}
		)
		frappe.delete_doc("Cultivation Rule Set", existing, force=True, ignore_permissions=True)
		doc.insert(ignore_permissions=True)
		return doc

	def new_batch(self) -> str:
		batch = open_batch()
		self.addCleanup(delete_batches, [batch])  # also when the rule set is refused
		return batch

	def test_the_manuals_example(self):
		name = frappe.db.get_value(
			"Cultivation Rule Set", {"cultivation_type": "企业技术中心", "batch": self.batch}
		)
		result = evaluation.evaluate(evaluation.get_rule_set(name), manual_example_values())
		table = [(row.seq, row.label, row.value_display, row.result) for row in result.rows]
		self.assertEqual(
			table,
			[
				(1, "发明专利", "12件", "满足"),
				(2, "企业研发经费支出", "28.00%", "满足"),
				(3, "规模以上企业(营业收入2000万以上)", "180.0万元", "不满足"),
				(4, "研发原值", "5万元", "不满足"),
			],
		)
		self.assertEqual(result.overall, "不满足限定性指标")
		self.assertEqual(
			result.rows[2].explanation,
			"达标条件：规模以上企业(营业收入2000万以上)须≥2000.0万元，当前为180.0万元",
		)
		self.assertEqual(result.rows[2].threshold_display, "≥2000.0万元")

	def test_each_operator(self):
		cases = [
			(">=", 10, 10, True),
			(">=", 10, 9, False),
			(">", 10, 10, False),
			("<=", 10, 10, True),
			("<", 10, 10, False),
			("=", 10, 10, True),
			("!=", 10, 10, False),
			("is yes", 0, 1, True),
			("is yes", 0, 0, False),
			("is no", 0, 0, True),
		]
		for op, threshold, value, passes in cases:
			with self.subTest(op=op, value=value):
				field = "cmmi_level4" if op.startswith("is") else "software_copyrights"
				doc = self.rule_set([rule("指标", field, op, threshold, "件")])
				result = evaluation.evaluate(evaluation.get_rule_set(doc.name), {field: value})
				self.assertEqual(result.rows[0].result, "满足" if passes else "不满足")
				self.assertEqual(result.overall, "满足限定性指标" if passes else "不满足限定性指标")

	def test_yes_no_display(self):
		doc = self.rule_set([rule("是否属于大数据企业", "is_big_data_enterprise", "is yes")])
		row = evaluation.evaluate(evaluation.get_rule_set(doc.name), {"is_big_data_enterprise": 1}).rows[0]
		self.assertEqual((row.value_display, row.result), ("是", "满足"))

	def test_all_and_at_least_k(self):
		rules = [
			rule("营业收入", "revenue", ">=", 2000, group="G"),
			rule("发明专利", "invention_patents", ">=", 1, group="IP"),
			rule("软件著作权", "software_copyrights", ">=", 5, group="IP"),
			rule("CMMI", "cmmi_level4", "is yes", group="IP"),
		]
		doc = self.rule_set(rules, [{"rule_group": "IP", "mode": "AT LEAST", "at_least": 2}])
		compiled = evaluation.get_rule_set(doc.name)
		base = {"revenue": 3000, "invention_patents": 1, "software_copyrights": 0, "cmmi_level4": 0}
		self.assertEqual(evaluation.evaluate(compiled, base).overall, "不满足限定性指标")  # 1 of 3
		self.assertEqual(
			evaluation.evaluate(compiled, {**base, "cmmi_level4": 1}).overall, "满足限定性指标"
		)  # 2 of 3
		self.assertEqual(
			evaluation.evaluate(compiled, {**base, "cmmi_level4": 1, "revenue": 100}).overall,
			"不满足限定性指标",
		)  # group G (ALL) fails

	def test_formula_and_division_by_zero(self):
		doc = self.rule_set([rule("研发占比", "round(rd_expenditure / revenue * 100, 2)", ">=", 3, "%", 2)])
		compiled = evaluation.get_rule_set(doc.name)
		row = evaluation.evaluate(compiled, {"rd_expenditure": 50, "revenue": 180}).rows[0]
		self.assertEqual(row.value_display, "27.78%")
		zero = evaluation.evaluate(compiled, {"rd_expenditure": 50, "revenue": 0}).rows[0]
		self.assertEqual((zero.result, zero.error), ("不满足", "division_by_zero"))
		self.assertEqual(zero.explanation, "规模以上企业营业收入 (万元)为0，无法计算")

	def test_unfilled_values_show_to_fill(self):
		name = frappe.db.get_value(
			"Cultivation Rule Set", {"cultivation_type": "企业技术中心", "batch": self.batch}
		)
		result = evaluation.evaluate(evaluation.get_rule_set(name), {"invention_patents": 3})
		self.assertEqual([row.result for row in result.rows], ["满足", "待填", "待填", "待填"])
		self.assertIsNone(result.overall)

	def test_a_custom_field_can_be_used_without_code(self):
		from frappe.custom.doctype.custom_field.custom_field import create_custom_field

		create_custom_field(
			"Cultivation Submission",
			{
				"fieldname": "provincial_awards",
				"fieldtype": "Int",
				"label": "省级奖项 (项)",
				"insert_after": "cmmi_level4",
			},
		)
		self.addCleanup(
			frappe.delete_doc, "Custom Field", "Cultivation Submission-provincial_awards", force=True
		)
		from gz_innovation.cultivation.submission import indicator_fields

		self.assertIn("provincial_awards", indicator_fields())  # the form shows it too
		doc = self.rule_set([rule("省级奖项", "provincial_awards", ">=", 2, "项")])
		row = evaluation.evaluate(evaluation.get_rule_set(doc.name), {"provincial_awards": 3}).rows[0]
		self.assertEqual((row.value_display, row.result), ("3项", "满足"))

	def test_broken_or_dangerous_formulas_are_refused_at_save(self):
		cases = [
			"rd_expenditure / ",  # syntax
			"no_such_field * 2",  # unknown field
			"__import__('os').system('id')",
			"().__class__.__bases__[0]",
			"revenue.__class__",
			"open('/etc/passwd').read()",
		]
		for expression in cases:
			with self.subTest(expression=expression), self.assertRaises(RuleError):
				self.rule_set([rule("坏公式", expression)])

	def test_versions_are_kept(self):
		doc = self.rule_set([rule("发明专利", "invention_patents", ">=", 1, "件")])
		self.assertEqual(doc.version, 1)
		doc.rules[0].threshold = 2
		doc.save()
		self.assertEqual(doc.version, 2)
		doc.save()  # nothing changed: same version
		self.assertEqual(doc.version, 2)
		versions = frappe.get_all(
			"Cultivation Rule Set Version", filters={"rule_set": doc.name}, pluck="version"
		)
		self.assertEqual(sorted(versions), [1, 2])
		self.assertEqual(evaluation.get_rule_set(doc.name).rules[0].threshold, 2)


def remove_custom_field(name: str) -> None:
	frappe.delete_doc("Custom Field", name, force=True, ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: adding the field altered the table, which committed it
