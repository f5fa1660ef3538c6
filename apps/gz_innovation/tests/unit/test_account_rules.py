import pytest

from gz_innovation.accounts.rules import mobile_problem, password_problem, sms_code_problem, username_problem


@pytest.mark.parametrize("mobile", ["13800000000", "19912345678", "15000000001"])
def test_mainland_mobiles_pass(mobile):
	assert mobile_problem(mobile) is None


@pytest.mark.parametrize(
	"mobile, problem",
	[
		("", "mobile_missing"),
		(None, "mobile_missing"),
		("12800000000", "mobile_invalid"),  # second digit must be 3-9
		("1380000000", "mobile_invalid"),  # 10 digits
		("138000000000", "mobile_invalid"),  # 12 digits
		("+8613800000000", "mobile_invalid"),
		("1380000000a", "mobile_invalid"),
	],
)
def test_bad_mobiles(mobile, problem):
	assert mobile_problem(mobile) == problem


@pytest.mark.parametrize("username", ["张三", "ab", "User_01", "企业管理员A", "x" * 30])
def test_good_usernames(username):
	assert username_problem(username) is None


@pytest.mark.parametrize(
	"username, problem",
	[
		("", "username_missing"),
		("a", "username_invalid"),
		("x" * 31, "username_invalid"),
		("user name", "username_invalid"),
		("user-name", "username_invalid"),
		("user@x", "username_invalid"),
		("13800000000", "username_is_mobile"),
	],
)
def test_bad_usernames(username, problem):
	assert username_problem(username) == problem


@pytest.mark.parametrize("password", ["abcd1234", "ABCDEFG!", "Abcdefgh", "12345678!", "a" * 18 + "1"])
def test_passwords_with_two_classes_pass(password):
	assert password_problem(password) is None


@pytest.mark.parametrize(
	"password, problem",
	[
		("", "password_missing"),
		("Ab1!", "password_length"),
		("Abc1234", "password_length"),  # 7
		("Abcdefgh12345678901", None),  # 19 is allowed
		("Abcdefgh123456789012", "password_length"),  # 20
		("abcdefgh", "password_classes"),
		("12345678", "password_classes"),
		("!@#$%^&*", "password_classes"),
		("abcd 1234", "password_characters"),
		("abcd1234。", "password_characters"),
		("abcd_1234", "password_characters"),  # underscore is not in !@#$%^&*~
		("密码abcd1234", "password_characters"),
	],
)
def test_bad_passwords(password, problem):
	assert password_problem(password) == problem


def test_sms_code_is_six_digits():
	assert sms_code_problem("123456") is None
	assert sms_code_problem("12345") == "sms_code_invalid"
	assert sms_code_problem("12345a") == "sms_code_invalid"
	assert sms_code_problem("") == "sms_code_missing"
