"""ui/fmt.py: one rule per language for large numbers, durations in fitting units."""

import math

import pytest

from ui import fmt


@pytest.mark.parametrize(
    ("x", "en", "ja"),
    [
        (7, "7", "7"),
        (1234, "1,234", "1,234"),
        (12_345, "12,345", "1.23万"),
        (786_432, "786,432", "78.6万"),
        (999_999, "1.00 M", "100万"),
        (124_439_808, "124 M", "1.24億"),
        (999_600_000, "1.00 B", "10.0億"),
        (1_557_611_200, "1.56 B", "15.6億"),
        (6_738_415_616, "6.74 B", "67.4億"),
        (174_604_259_328, "175 B", "1,746億"),
        (405e9, "405 B", "4,050億"),
        (2e12, "2.00 T", "2.00兆"),
        (3.1428766e23, "3.14 × 10²³", "3.14 × 10²³"),
        (0.000436, "0.000436", "0.000436"),
    ],
)
def test_count_one_rule_per_language(x, en, ja):
    assert fmt.count(x, "en") == en
    assert fmt.count(x, "ja") == ja


def test_count_never_mixes_units_across_languages():
    for x in (1.2e4, 3.4e6, 5.6e8, 7.8e10, 9.1e12):
        assert not any(u in fmt.count(x, "ja") for u in (" M", " B", " T", "K"))
        assert not any(u in fmt.count(x, "en") for u in ("万", "億", "兆"))


@pytest.mark.parametrize(
    ("x", "en", "ja"),
    [(0.4, "1", "1"), (2.6, "3", "3"), (1234.4, "1,234", "1,234"), (0, "0", "0"),
     (123_456, "123,456", "12.3万")],
)  # fmt: skip
def test_households_are_whole(x, en, ja):
    assert fmt.households(x, "en") == en
    assert fmt.households(x, "ja") == ja


@pytest.mark.parametrize(
    ("seconds", "en", "ja"),
    [
        (45, "45.0 s", "45.0秒"),
        (90, "90.0 s", "90.0秒"),
        (3600, "60.0 min", "60.0分"),
        (5 * 3600, "5.00 hours", "5.00時間"),
        (3 * 86_400, "3.00 days", "3.00日"),
        (10 * 86_400, "10.0 days", "10.0日"),
        (90 * 86_400, "2.96 months", "2.96か月"),
        (800 * 86_400, "2.19 years", "2.19年"),
        (5000 * 365.25 * 86_400, "5,000 years", "5,000年"),
        (2e6 * 365.25 * 86_400, "2.00 M years", "200万年"),
    ],
)
def test_duration_unit_fits_the_magnitude(seconds, en, ja):
    assert fmt.duration(seconds, "en") == en
    assert fmt.duration(seconds, "ja") == ja


def test_duration_units_are_monotone_and_values_round_trip():
    sizes = {"seconds": 1, "minutes": fmt.MINUTE, "hours": fmt.HOUR, "days": fmt.DAY,
             "months": fmt.MONTH, "years": fmt.YEAR}  # fmt: skip
    order = list(sizes)
    for s in [10**k for k in range(0, 11)] + [1.5 * 10**k for k in range(0, 11)]:
        unit, value = fmt.duration_unit(s)
        assert math.isclose(value * sizes[unit], s)
        assert value >= 1  # never "0.5 days"
    units = [order.index(fmt.duration_unit(10.0**k)[0]) for k in range(12)]
    assert units == sorted(units)


def test_other_formats():
    assert fmt.sci(9.996e5) == "1.00 × 10⁶"
    assert fmt.sci(3.8e25) == "3.80 × 10²⁵"
    assert fmt.power_of_ten(1e14) == "10¹⁴"
    assert fmt.nbytes(497_759_232) == "498 MB"
    assert fmt.nbytes(2 * 2**30) == "2.15 GB"
    assert fmt.energy(1_287_000) == "1.29 GWh"
    assert fmt.power(20_000) == "20.0 MW"
    assert fmt.pct(1, 3) == "33.3 %"
    assert fmt.num(0.1234567) == "0.1235"
    assert fmt.num(-0.0) == "0"
    assert fmt.num(1e-05) == "10⁻⁵"  # a student's notation, not "1e-05"
    assert fmt.num(8.96412e-15) == "8.964 × 10⁻¹⁵"
    assert fmt.num(-2.5e-7, 2) == "-2.5 × 10⁻⁷"
    assert fmt.num(123456.0) == "1.235 × 10⁵"
    assert fmt.plain(12_800.4) == "12,800"
    assert math.isclose(float(fmt.sig(0.012345).replace(",", "")), 0.0123)


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (387.4, "390"),  # the lab's ratio: never "3.9e02"
        (390.0, "390"),
        (12_345.0, "12,000"),
        (1_234_567.8, "1,200,000"),
        (99.6, "100"),
        (100.0, "100"),
        (39.4, "39"),
        (3.94, "3.9"),
        (0.394, "0.39"),
        (0.0, "0"),
        (float("inf"), "∞"),
        (3e16, "3.0 × 10¹⁶"),
    ],
)
def test_times_reads_a_ratio_as_a_student_would(x, text):
    assert fmt.times(x) == text
    assert "e" not in fmt.times(x)
