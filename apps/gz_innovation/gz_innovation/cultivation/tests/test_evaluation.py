"""The rule engine: the manual's example, each operator, ALL / AT LEAST k, formulas, custom
fields, versions, and formulas refused when an administrator saves them."""

import frappe
from frappe.tests.utils import FrappeTestCase

from gz_innovation.cultivation import evaluation
from gz_innovation.cultivation.evaluation import RuleError
from gz_innovation.cultivation.tests.utils import delete_batches, manual_example_values, open_batch


def rule(label, expression, op=">=", threshold=0, unit="", decimals=0, group="A", condition=None):
	return {
		"label": label,
		"expression": expression,
		"operator": op,
		"threshold": threshold,
		"unit": unit,
		"decimals": decimals,
		"rule_group": group,
		"condition": condition,
	}


class RuleSetTestCase(FrappeTestCase):
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


class TestEvaluation(RuleSetTestCase):
	def test_the_manuals_example(self):
		"""企业技术中心, category 其他: the manual's four rows and result exactly; the other categories'
		alternative paths are listed after them as 不适用."""
		name = frappe.db.get_value(
			"Cultivation Rule Set", {"cultivation_type": "企业技术中心", "batch": self.batch}
		)
		result = evaluation.evaluate(evaluation.get_rule_set(name), manual_example_values())
		table = [(row.seq, row.label, row.value_display, row.result) for row in result.rows]
		self.assertEqual(
			table[:4],
			[
				(1, "发明专利", "12件", "满足"),
				(2, "企业研发经费支出", "28.00%", "满足"),
				(3, "规模以上企业(营业收入2000万以上)", "180.0万元", "不满足"),
				(4, "研发原值", "5万元", "不满足"),
			],
		)
		self.assertEqual({row.result for row in result.rows[4:]}, {"不适用"})
		self.assertEqual(result.overall, "不满足限定性指标")
		self.assertEqual(
			result.rows[2].explanation,
			"达标条件：规模以上企业(营业收入2000万以上)须≥2000.0万元，当前为180.0万元",
		)
		self.assertEqual(result.rows[2].threshold_display, "≥2000.0万元")
		self.assertEqual(result.rows[4].explanation, "不适用：仅当企业类型（指标类别）为建筑业时适用")

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
		self.assertEqual([row.result for row in result.rows[:4]], ["满足", "待填", "待填", "待填"])
		# Whether the alternative paths apply depends on the category, not chosen yet.
		self.assertEqual({row.result for row in result.rows[4:]}, {"待填"})
		self.assertEqual(result.rows[4].explanation, "填写企业类型（指标类别）后可知本指标是否适用")
		self.assertEqual(result.rows[4].missing, ("indicator_category",))
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


class TestConditions(RuleSetTestCase):
	"""Rules that apply when: a condition per rule or per group over any field of the submission."""

	def compiled(self, rules, groups=()):
		return evaluation.get_rule_set(self.rule_set(rules, groups).name)

	def test_a_rule_that_holds_or_does_not_hold_and_not_applicable_does_not_count(self):
		compiled = self.compiled(
			[
				rule("发明专利", "invention_patents", ">=", 1, "件", group="IP"),
				rule(
					"国家级工法",
					"national_level_methods",
					">=",
					1,
					"件",
					group="IP",
					condition='indicator_category == "建筑业"',
				),
				rule("营业收入", "revenue", ">=", 100, "万元"),
			],
			[{"rule_group": "IP", "mode": "AT LEAST", "at_least": 1}],
		)
		base = {"invention_patents": 0, "national_level_methods": 2, "revenue": 500}
		construction = evaluation.evaluate(compiled, {**base, "indicator_category": "建筑业"})
		self.assertEqual([r.result for r in construction.rows], ["不满足", "满足", "满足"])
		self.assertEqual(construction.overall, "满足限定性指标")  # 国家级工法 counts for 建筑业
		other = evaluation.evaluate(compiled, {**base, "indicator_category": "其他"})
		self.assertEqual([r.result for r in other.rows], ["不满足", "不适用", "满足"])
		self.assertEqual(other.rows[1].value_display, "-")
		self.assertEqual(other.overall, "不满足限定性指标")  # 不适用 does not count toward IP
		# A rule not applicable does not make an ALL group fail either.
		all_group = self.compiled(
			[
				rule("营业收入", "revenue", ">=", 100),
				rule("工法", "national_level_methods", ">=", 5, condition='indicator_category == "建筑业"'),
			]
		)
		self.assertEqual(
			evaluation.evaluate(all_group, {**base, "indicator_category": "医药"}).overall, "满足限定性指标"
		)
		self.assertEqual(
			evaluation.evaluate(all_group, {**base, "indicator_category": "建筑业"}).overall,
			"不满足限定性指标",
		)

	def test_a_group_condition_and_boolean_logic_over_text_fields(self):
		compiled = self.compiled(
			[
				rule("大数据企业", "is_big_data_enterprise", "is yes", group="SW"),
				rule("CMMI 4", "cmmi_level4", "is yes", group="SW"),
				rule(
					"营业收入",
					"revenue",
					">=",
					2000,
					condition='industry in ["制造业", "建筑业"] and not (ownership_type == "国有企业")',
				),
			],
			[
				{
					"rule_group": "SW",
					"mode": "AT LEAST",
					"at_least": 1,
					"condition": "indicator_category == “软件和信息技术服务业”",  # Chinese quotes read as ASCII
				}
			],
		)
		software = {
			"indicator_category": "软件和信息技术服务业",
			"industry": "信息技术",
			"ownership_type": "民营企业",
			"revenue": 10,
		}
		result = evaluation.evaluate(
			compiled, {**software, "is_big_data_enterprise": "是", "cmmi_level4": "否"}
		)
		self.assertEqual([r.result for r in result.rows], ["满足", "不满足", "不适用"])
		self.assertEqual(result.overall, "满足限定性指标")
		# Until a 是/否 question is answered its rule shows 待填 (否 is an answer).
		pending = evaluation.evaluate(compiled, {**software, "cmmi_level4": "否"})
		self.assertEqual([r.result for r in pending.rows], ["待填", "不满足", "不适用"])
		self.assertIsNone(pending.overall)
		# Another category: the whole group is 不适用; a manufacturer is judged by its revenue.
		maker = {**software, "indicator_category": "其他", "industry": "制造业", "revenue": 10}
		result = evaluation.evaluate(compiled, maker)
		self.assertEqual([r.result for r in result.rows], ["不适用", "不适用", "不满足"])
		self.assertEqual(
			result.rows[0].explanation, "不适用：仅当企业类型（指标类别）为软件和信息技术服务业时适用"
		)
		self.assertEqual(
			result.rows[2].explanation, "达标条件：营业收入须≥2000，当前为10"
		)  # applicable: judged as usual
		state_owned = evaluation.evaluate(compiled, {**maker, "ownership_type": "国有企业"})
		self.assertEqual(state_owned.rows[2].result, "不适用")
		self.assertEqual(
			state_owned.rows[2].explanation,
			"不适用：仅当所属行业属于（制造业、建筑业） 且 并非（企业类型为国有企业）时适用",
		)
		self.assertEqual(state_owned.overall, "不满足限定性指标")  # nothing applies: nothing held

	def test_a_custom_select_field_in_a_condition_and_a_custom_check_in_a_rule(self):
		from frappe.custom.doctype.custom_field.custom_field import create_custom_field

		for field in (
			{
				"fieldname": "gz_test_scale",
				"fieldtype": "Select",
				"label": "企业规模",
				"options": "\n大型\n中型\n小型",
			},
			{"fieldname": "gz_test_has_lab", "fieldtype": "Check", "label": "设有省级实验室"},
		):
			create_custom_field("Cultivation Submission", {**field, "insert_after": "cmmi_level4"})
			self.addCleanup(remove_custom_field, "Cultivation Submission-" + field["fieldname"])
		from gz_innovation.cultivation.submission import indicator_fields

		self.assertIn("gz_test_scale", indicator_fields())  # the form shows it
		compiled = self.compiled(
			[
				rule(
					"省级实验室", "gz_test_has_lab", "is yes", condition='gz_test_scale in ["大型", "中型"]'
				),
			]
		)
		self.assertEqual(
			evaluation.evaluate(compiled, {"gz_test_scale": "大型", "gz_test_has_lab": 1}).rows[0].result,
			"满足",
		)
		# A Check has no "not answered": unticked is 否, never 待填.
		self.assertEqual(
			evaluation.evaluate(compiled, {"gz_test_scale": "中型", "gz_test_has_lab": 0}).rows[0].result,
			"不满足",
		)
		self.assertEqual(
			evaluation.evaluate(compiled, {"gz_test_scale": "小型", "gz_test_has_lab": 1}).rows[0].result,
			"不适用",
		)
		pending = evaluation.evaluate(compiled, {"gz_test_has_lab": 1}).rows[0]
		self.assertEqual((pending.result, pending.missing), ("待填", ("gz_test_scale",)))
		with self.assertRaises(RuleError) as refused:
			self.rule_set(
				[rule("实验室", "gz_test_has_lab", "is yes", condition='gz_test_scale == "特大型"')]
			)
		self.assertEqual(
			str(refused.exception),
			"第1条规则（实验室）：特大型不是企业规模的可选值（可选值：大型、中型、小型）",
		)

	def test_conditions_beyond_comparisons_are_refused_at_save_naming_the_rule(self):
		cases = {
			'unknown_field == "建筑业"': "第1条规则（工法）：适用条件中的字段unknown_field不存在",
			"len(industry) > 2": "第1条规则（工法）：适用条件只能用比较（==、!=、>、>=、<、<=、in [...]）并以 and / or / not 组合，不能使用函数调用",
			"industry.upper() == 'X'": "不能使用函数调用",
			"revenue / 2 > 100": "不能使用算术运算",
			"industry[0] == '建'": "不能使用下标",
			'"建" in industry': "in / not in 之后须为值的列表",
			"industry": "不能使用单独的字段名",
			'indicator_category = "建筑业"': "第1条规则（工法）：适用条件写法有误",
			"__import__('os').system('id') == 0": "不能使用函数调用",
			"(lambda: 1)() == 1": "不能使用函数调用",
			"revenue.__class__ == 1": "不能使用属性访问",
			'indicator_category == "建筑"': "建筑不是企业类型（指标类别）的可选值",
			"indicator_category > 3": "第1条规则（工法）：适用条件无法计算",
		}
		for condition, message in cases.items():
			with self.subTest(condition=condition), self.assertRaises(RuleError) as refused:
				self.rule_set([rule("工法", "national_level_methods", ">=", 1, condition=condition)])
			self.assertIn(message, str(refused.exception))
		with self.assertRaises(RuleError) as refused:
			self.rule_set(
				[rule("工法", "national_level_methods", ">=", 1, group="G")],
				[{"rule_group": "G", "mode": "ALL", "condition": "open('/etc/passwd') == 1"}],
			)
		self.assertIn("分组G：适用条件只能用比较", str(refused.exception))


def remove_custom_field(name: str) -> None:
	frappe.delete_doc("Custom Field", name, force=True, ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: adding the field altered the table, which committed it
