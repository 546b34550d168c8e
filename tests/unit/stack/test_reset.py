import pytest

from lakehouse.config import load_settings
from lakehouse.errors import ConfigError
from lakehouse.stack.reset import reset_stack, split_batches


def test_reset_stack_refuses_the_aws_profile():
    with pytest.raises(ConfigError, match="refuses to run on the aws profile"):
        reset_stack(load_settings({"LAKEHOUSE_PROFILE": "aws"}))


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (2, [["a", "b"], ["c", "d"], ["e"]]),  # the last batch holds the rest
        (5, [["a", "b", "c", "d", "e"]]),  # exactly one full batch
        (1000, [["a", "b", "c", "d", "e"]]),  # fewer items than the limit
    ],
)
def test_split_batches_keeps_order_and_respects_the_limit(size, expected):
    assert list(split_batches(["a", "b", "c", "d", "e"], size)) == expected


def test_split_batches_of_nothing_is_nothing():
    assert list(split_batches([], 1000)) == []
