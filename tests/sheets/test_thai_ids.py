"""The column-at-once ID check agrees with python-stdnum on every kind of value."""
import random

import pandas as pd
import pytest
from stdnum.th import pin, tin

from app.sheets.thai_ids import plain_valid_ids


def stdnum_accepts(module, value) -> bool:
    return isinstance(value, str) and value.isascii() and value.isdigit() and module.is_valid(value)


@pytest.mark.parametrize("kind, module", [("national_id", pin), ("tax_id", tin)])
def test_agrees_with_stdnum(kind, module):
    rng = random.Random(7)
    values = ["".join(rng.choice("0123456789") for _ in range(13)) for _ in range(20_000)]
    values += ["1101700203451", "0105536092641", "9101700203451", "110170020345", "1-1017-00203-45-1",
               "๑๑๐๑๗๐๐๒๐๓๔๕๑", None, 1101700203451, "", "abcdefghijklm"]
    values += [v[:12] + str((1 - sum((2 - i) * int(d) for i, d in enumerate(v[:12])) % 11) % 10)
               for v in values[:5000]]  # many with a right check digit, every first digit
    got = plain_valid_ids(pd.Series(values, dtype=object), kind)
    expected = [stdnum_accepts(module, v) for v in values]
    assert got.tolist() == expected
    assert sum(expected) > 3000
