"""Chart labels are broken between whole words (web SVG and PDF), never cut mid-word."""

from __future__ import annotations

from typing import Any

from backoffice.reports.charts import bar_chart as svg_chart
from reception.reports import pdf
from reception.reports.texts import wrap_words

NAMES = ["Юридична консультація", "Безоплатна правова допомога", "Особистий прийом громадян керівництвом",
         "Державна реєстрація актів цивільного стану та інших подій"]


def _whole_words(lines: list[str] | tuple[str, ...], label: str) -> bool:
    words = label.split()
    shown = " ".join(lines).removesuffix("…").split()
    return shown == words[:len(shown)]


def test_wrap_words_breaks_between_words() -> None:
    assert wrap_words("Юридична консультація", 16) == ["Юридична", "консультація"]
    assert wrap_words("Безоплатна правова допомога", 16) == ["Безоплатна", "правова допомога"]
    assert wrap_words("Вікно 1", 16) == ["Вікно 1"]
    cut = wrap_words("Державна реєстрація актів цивільного стану та інших подій", 12, 2)
    assert cut == ["Державна", "реєстрація…"] and _whole_words(cut, NAMES[3])


def test_web_chart_labels_are_whole_words() -> None:
    chart = svg_chart(NAMES, [("очікування", [1.0, 2.0, 3.0, 4.0])])
    for tick, name in zip(chart.labels, NAMES, strict=True):
        assert tick.label == name and _whole_words(tick.lines, name), tick.lines
        assert all(len(line) * 6.5 <= (chart.plot_right - chart.plot_left) / len(NAMES) for line in tick.lines)
    assert [" ".join(t.lines) for t in chart.labels[:2]] == NAMES[:2]  # these fit whole, on two lines


def _report(names: list[str]) -> dict[str, Any]:
    return {"by_hour": [{"hour": 10, "issued": 1, "served": 1}], "by_day": [],
            "by_service": [{"name_uk": n, "wait_min": 3.0} for n in names]}


def test_pdf_chart_labels_are_whole_words() -> None:
    drawing = pdf.charts(_report(NAMES), "uk")[-1]
    chart = next(c for c in drawing.contents if hasattr(c, "categoryAxis"))
    labels = chart.categoryAxis.categoryNames
    for label, name in zip(labels, NAMES, strict=True):
        assert _whole_words(label.split("\n"), name), label
    assert labels[0] == "Юридична консультація" or labels[0].split("\n") == ["Юридична", "консультація"]
    assert " ".join(labels[1].split("\n")) == "Безоплатна правова допомога"
