import pytest
from django.core.exceptions import ValidationError

from smartplan.organisations.models import validate_ico


@pytest.mark.parametrize("ico", ["70891508", "00064581"])
def test_valid_ico(ico):
    validate_ico(ico)


@pytest.mark.parametrize(
    ("ico", "code"),
    [("70891509", "ico_check"), ("7089150", "ico_format"), ("7089150A", "ico_format")],
)
def test_invalid_ico(ico, code):
    with pytest.raises(ValidationError) as caught:
        validate_ico(ico)
    assert caught.value.code == code
