"""Number formatting for every chapter, Streamlit-free (tests/test_fmt.py).

One rule per language for large counts, applied everywhere:

- Japanese: whole numbers with separators below 10⁴, then 万 (10⁴), 億 (10⁸), 兆 (10¹²)
  with three significant digits ("1.24億", "1,746億"); from 10¹⁶ scientific notation.
- English: whole numbers with separators below 10⁶ ("786,432"), then M, B, T with three
  significant digits ("124 M", "1.56 B"); from 10¹⁵ scientific notation.

Functions that produce words (durations) take the language and read the unit names from
the locale files (``fmt.dur.*``), so the words live with every other string.
"""

from __future__ import annotations

import math

from ui.catalog import catalog

_SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_UNITS = {
    "en": ((1e6, " M"), (1e9, " B"), (1e12, " T")),
    "ja": ((1e4, "万"), (1e8, "億"), (1e12, "兆")),
}
_SCI_FROM = {"en": 1e15, "ja": 1e16}

# seconds in each unit of :func:`duration` (a month is a twelfth of a Julian year)
YEAR = 365.25 * 86_400
MONTH = YEAR / 12
DAY = 86_400.0
HOUR = 3_600.0
MINUTE = 60.0


def num(v: float, digits: int = 4) -> str:
    """A number as shown beside a figure: ``digits`` significant digits, no ``-0``, and a
    power of ten written as a student reads it: 0.1234567 → "0.1235", 1e-05 → "10⁻⁵",
    8.9641e-15 → "8.964 × 10⁻¹⁵" (never the programmer's "1e-05")."""
    v = float(v)
    if v == 0 or not math.isfinite(v):
        return "0" if v == 0 else str(v)
    text = f"{v:.{digits}g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    power = f"10{sup(int(exponent))}"
    return {"1": power, "-1": f"-{power}"}.get(mantissa, f"{mantissa} × {power}")


def signed(x: float) -> str:
    """Two decimals with a true minus sign (−0.56, not -0.56)."""
    return f"{x:.2f}".replace("-", "−")


def sup(n: int) -> str:
    """An integer in superscript digits (exponents in running text): -5 → "⁻⁵"."""
    return str(n).translate(_SUP)


def sig(x: float, digits: int = 3) -> str:
    """``x`` with ``digits`` significant digits (never dropping integer digits), with
    thousands separators: 1234.5 → "1,235", 12.345 → "12.3", 0.01234 → "0.0123"."""
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    r = float(f"{x:.{digits}g}")
    if abs(r) >= 10 ** (digits - 1):
        return f"{round(x):,}"
    decimals = digits - 1 - math.floor(math.log10(abs(r)))
    return f"{r:,.{max(decimals, 0)}f}"


def sci(x: float, digits: int = 3) -> str:
    """Scientific notation with a superscript exponent: 3.14 × 10²³."""
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    e = math.floor(math.log10(abs(x)))
    m = float(f"{x / 10**e:.{digits - 1}f}")
    if abs(m) >= 10:
        m, e = m / 10, e + 1
    return f"{m:.{digits - 1}f} × 10{sup(e)}"


def power_of_ten(x: float) -> str:
    """The nearest power of ten of ``x`` written out: 1e14 → "10¹⁴"."""
    return f"10{sup(round(math.log10(x)))}"


def count(x: float, language: str, digits: int = 3, *, whole: bool = False) -> str:
    """A big count, readable: en "1.56 B", "175 B"; ja "15.6億", "1,746億"; beyond the
    named units scientific notation. ``whole=True`` is for things that come in whole
    units (households, chips, steps): below the named units no fractions ("3", not
    "2.6")."""
    x = float(x)
    if not math.isfinite(x):
        return str(x)
    if x < 0:
        return "−" + count(-x, language, digits, whole=whole)
    if whole:
        x = float(round(x))
    if x >= _SCI_FROM[language]:
        return sci(x, digits)
    rounded = float(f"{x:.{digits}g}")  # decides the unit: 999.6 M shows as 1.00 B
    chosen = None
    for size, name in _UNITS[language]:
        if rounded >= size:
            chosen = (size, name)
    if chosen is None:
        return f"{round(x):,}" if x >= 100 or x == int(x) else sig(x, digits)
    size, name = chosen
    return sig(x / size, digits) + name


def households(x: float, language: str) -> str:
    """A number of households: whole households, at least one when there is any energy
    at all ("1", never "0.4")."""
    x = float(x)
    return count(max(1.0, x) if x > 0 else 0.0, language, whole=True)


def plain(v: float, digits: int = 3) -> str:
    """Large numbers as whole numbers with separators (12,800, not 1.28e04); small ones
    with ``digits`` significant digits."""
    return f"{v:,.0f}" if abs(v) >= 1000 else num(v, digits)


def times(x: float, digits: int = 2) -> str:
    """A ratio ("… times as large"), with ``digits`` significant digits: from 100 on a
    whole number with separators (387.4 → "390", 12,345 → "12,000"; never "3.9e02"),
    below that as is (39.4 → "39", 3.94 → "3.9", 0.394 → "0.39"); from 10¹⁵ scientific
    notation, an infinite ratio "∞"."""
    x = float(x)
    if math.isnan(x):
        return str(x)
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if abs(x) >= 1e15:
        return sci(x, digits)
    if abs(x) >= 100:
        return f"{round(float(f'{x:.{digits}g}')):,}"
    return sig(x, digits)


def nbytes(b: float) -> str:
    """Bytes in decimal units (1 GB = 10⁹ bytes): "498 MB", "140 GB"."""
    for size, name in ((1e15, "PB"), (1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "kB")):
        if b >= size:
            return f"{sig(b / size)} {name}"
    return f"{int(b)} B"


def energy(kwh: float) -> str:
    """Energy: kWh, MWh, GWh, TWh."""
    for size, name in ((1e9, "TWh"), (1e6, "GWh"), (1e3, "MWh")):
        if kwh >= size:
            return f"{sig(kwh / size)} {name}"
    return f"{sig(kwh)} kWh"


def power(kw: float) -> str:
    """Power: W, kW, MW, GW."""
    for size, name in ((1e6, "GW"), (1e3, "MW"), (1.0, "kW")):
        if kw >= size:
            return f"{sig(kw / size)} {name}"
    return f"{sig(kw * 1000)} W"


def pct(part: float, whole: float) -> str:
    """A share in percent with a sensible number of decimals ("45.6 %", "0.03 %")."""
    if whole <= 0:
        return "—"
    p = 100 * part / whole
    return f"{p:.1f} %" if p >= 1 or p == 0 else f"{sig(p, 2)} %"


def duration_unit(seconds: float) -> tuple[str, float]:
    """The unit that fits ``seconds`` and the value in it.

    Seconds below 2 minutes, minutes below 2 hours, hours below 2 days, days below
    2 months (61 days), months below 2 years, then years."""
    s = abs(float(seconds))
    for unit, size, below in (
        ("seconds", 1.0, 2 * MINUTE),
        ("minutes", MINUTE, 2 * HOUR),
        ("hours", HOUR, 2 * DAY),
        ("days", DAY, 2 * MONTH),
        ("months", MONTH, 2 * YEAR),
    ):
        if s < below:
            return unit, seconds / size
    return "years", seconds / YEAR


def duration(seconds: float, language: str) -> str:
    """A span of time in the unit that fits its size, in ``language``:
    90 s → "90 s" / "90 秒"; 3.3 × 10⁷ s → "12.5 months" / "12.5 か月"."""
    if not math.isfinite(seconds):
        return str(seconds)
    unit, value = duration_unit(seconds)
    text = count(value, language) if value >= 1000 else sig(value)
    return catalog(language)[f"fmt.dur.{unit}"].format(n=text)
