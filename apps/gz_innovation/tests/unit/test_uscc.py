import pytest

from gz_innovation.enterprise.uscc import UsccProblem, check_character, find_problem, is_valid, normalize


def test_weights_follow_the_standard():
	from gz_innovation.enterprise.uscc import WEIGHTS

	assert WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def test_worked_example_from_the_standard_is_valid():
	assert check_character("91350100M000100Y4") == "3"
	assert is_valid("91350100M000100Y43")


def test_manual_example_fails_the_check_as_real_legacy_codes_do():
	# The user manual's own example: legacy data holds such codes (flag them, never drop them).
	assert find_problem("91520000791221272L") is UsccProblem.CHECKSUM


def test_lower_case_and_spaces_are_normalized():
	assert normalize(" 91350100m000100y43 ") == "91350100M000100Y43"
	assert is_valid("91350100m000100y43")


@pytest.mark.parametrize(
	"code, problem",
	[
		("", UsccProblem.LENGTH),
		(None, UsccProblem.LENGTH),
		("91350100M000100Y4", UsccProblem.LENGTH),
		("91350100M000100Y433", UsccProblem.LENGTH),
		("91350100M000100I43", UsccProblem.CHARACTERS),  # I is not in the alphabet
		("91350100M000100O43", UsccProblem.CHARACTERS),
		("9135010-M000100Y43", UsccProblem.CHARACTERS),
		("91350100M000100Y44", UsccProblem.CHECKSUM),
	],
)
def test_invalid_codes_name_their_problem(code, problem):
	assert find_problem(code) is problem
