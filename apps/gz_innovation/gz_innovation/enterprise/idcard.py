"""居民身份证号码 (GB 11643-1999): 17 digits and a check character (0-9 or X). Pure Python."""

import re

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
PATTERN = re.compile(r"^\d{17}[\dX]$")


def is_valid_id_number(number: str | None) -> bool:
	number = (number or "").strip().upper()
	if not PATTERN.match(number):
		return False
	total = sum(int(digit) * weight for digit, weight in zip(number[:17], WEIGHTS, strict=True))
	return CHECK[total % 11] == number[17]


def mask_id_number(number: str | None) -> str:
	number = number or ""
	return number[:6] + "********" + number[-4:] if len(number) == 18 else ("*" * len(number))


def mask_mobile(mobile: str | None) -> str:
	mobile = mobile or ""
	return mobile[:3] + "****" + mobile[-4:] if len(mobile) == 11 else ("*" * len(mobile))
