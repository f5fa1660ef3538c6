from gz_innovation.enterprise.idcard import is_valid_id_number, mask_id_number, mask_mobile


def test_valid_id_numbers():
	# Published sample numbers whose check characters follow GB 11643.
	assert is_valid_id_number("11010519491231002X")
	assert is_valid_id_number("440524188001010014")
	assert is_valid_id_number("11010519491231002x")


def test_invalid_id_numbers():
	assert not is_valid_id_number("110105194912310021")  # wrong check character
	assert not is_valid_id_number("11010519491231002")  # 17 characters
	assert not is_valid_id_number("1101051949123100AX")
	assert not is_valid_id_number("")


def test_masks_keep_only_what_identifies_the_record():
	assert mask_id_number("11010519491231002X") == "110105********002X"
	assert mask_mobile("13812345678") == "138****5678"
