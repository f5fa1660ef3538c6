"""统一社会信用代码 (Unified Social Credit Code) per GB 32100-2015.

Pure Python, no Frappe: the one place the code's rules live. 18 characters from
0-9 and A-Z without I, O, S, V, Z; the 18th is a check character over the first 17 with weights
3^(i-1) mod 31. See shared docs/policy.md for the worked example.
"""

from enum import Enum

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {char: value for value, char in enumerate(ALPHABET)}
WEIGHTS = [pow(3, i, 31) for i in range(17)]
LENGTH = 18


class UsccProblem(Enum):
	LENGTH = "length"
	CHARACTERS = "characters"
	CHECKSUM = "checksum"


def normalize(code: str | None) -> str:
	"""Users type codes with spaces and in lower case; the code itself is upper case."""
	return "".join((code or "").split()).upper()


def check_character(first17: str) -> str:
	total = sum(VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
	return ALPHABET[(31 - total % 31) % 31]


def find_problem(code: str | None) -> UsccProblem | None:
	"""What is wrong with a (normalized) code, or None when it is valid."""
	code = normalize(code)
	if len(code) != LENGTH:
		return UsccProblem.LENGTH
	if any(char not in VALUES for char in code):
		return UsccProblem.CHARACTERS
	if check_character(code[:17]) != code[17]:
		return UsccProblem.CHECKSUM
	return None


def is_valid(code: str | None) -> bool:
	return find_problem(code) is None
