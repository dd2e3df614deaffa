"""The figures' charts: SVG drawn by pygal on the server, inline, with a text alternative."""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Sequence
from xml.etree.ElementTree import Comment, Element

import pygal
from markupsafe import Markup

from forum.outcomes import figures_cache
from forum.outcomes.figures import Count, TreatmentFigures, TreatmentSummary
from forum.outcomes.models import PGIC

WIDTH, HEIGHT = 760, 420
# Sizes in the chart's own units; site.css sets the same, since the chart carries no CSS.
FONT_SIZES = {"title_font_size": 20, "label_font_size": 15, "major_label_font_size": 15,
              "legend_font_size": 15, "value_font_size": 15, "tooltip_font_size": 15}
# Neither the config script pygal writes into every chart nor its stylesheet may stay:
# the Content-Security-Policy forbids inline scripts and styles (site.css styles the
# chart instead), and the script would repeat the chart's data in another form.
_STRIPPED_TAGS = {"script", "style"}


def months_label(months: int) -> str:
    return f"{months} month{'s' if months != 1 else ''}"


def _clean(root: Element, chart_id: str, description: str) -> Element:
    """pygal's xml filter: no script, style, comments or hover tooltip; a fixed id (so
    that a page rendered twice is the same page, and its ETag holds); and the SVG named
    as an image by its <title> and <desc>."""
    for parent in list(root.iter()):
        for child in list(parent):
            if (child.tag in _STRIPPED_TAGS or child.tag is Comment
                    or "tooltip-overlay" in child.get("class", "") or _empty_bar(child)):
                parent.remove(child)
        parent.attrib.pop("style", None)
        # Legend ids ("activate-serie-0") repeat in every chart: two on a page would clash.
        if parent.get("id", "").startswith("activate-serie"):
            del parent.attrib["id"]
    root.set("id", chart_id)
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    title = root.find("title")
    if title is not None:
        title.set("id", f"{chart_id}-title")
        index = list(root).index(title)
        desc = Element("desc", id=f"{chart_id}-desc")
        desc.text = description
        root.insert(index + 1, desc)
    return root


def _empty_bar(element: Element) -> bool:
    """Stacked bars draw a missing (suppressed) value as a bar of no height described as
    0, which would be untrue: such bars go."""
    if element.get("class") != "bar":
        return False
    rect = element.find("rect")
    return rect is not None and float(rect.get("height", "1")) == 0.0


@dataclass(frozen=True)
class _Chart:
    """Everything a chart is drawn from, so that a drawing can be kept and reused (pygal
    takes tens of milliseconds a chart; the figures behind it change far less often)."""

    kind: type
    chart_id: str
    title: str
    x_labels: tuple[str, ...]
    series: tuple[tuple[str, tuple], ...]
    description: str
    config: tuple[tuple[str, Any], ...]


def _render(chart: _Chart) -> Markup:
    return figures_cache.cached(("chart", chart), partial(_draw, chart))


def _draw(spec: _Chart) -> Markup:
    chart = spec.kind(**dict(spec.config))
    chart.title = spec.title
    chart.x_labels = list(spec.x_labels)
    for name, values in spec.series:
        chart.add(name, list(values))
    chart.add_xml_filter(partial(_clean, chart_id=spec.chart_id, description=spec.description))
    # Safe to mark: pygal builds this markup with ElementTree, which escapes every text
    # it holds (treatment names come from admins, and are escaped like any text); no
    # member-written text reaches a chart.
    return Markup(chart.render(is_unicode=True))


def _config(**extra) -> tuple[tuple[str, Any], ...]:
    """pygal's settings, as a key: tuples, not lists, so a drawing can be looked up."""
    settings = {"disable_xml_declaration": True, "js": (), "css": (), "width": WIDTH,
                "height": HEIGHT, "classes": ("pygal-chart", "outcome-chart"),
                "legend_at_bottom": True, "legend_at_bottom_columns": 2,
                "truncate_legend": -1, "truncate_label": -1, "show_y_guides": True,
                **FONT_SIZES, **extra}
    return tuple(sorted(settings.items()))


def _value(count: Count) -> int | None:
    return count.value if count.shown else None


def _listed(parts: Sequence[str]) -> str:
    return "; ".join(parts) + "."


def retention_chart(figures: TreatmentFigures, chart_id: str = "retention-chart") -> Markup:
    """Grouped bars: at each interval, the reports due and the follow-ups given."""
    rows = figures.retention
    description = _listed([
        f"{months_label(row.months)}: {_said(row.gave)} gave it of {_said(row.due)} due"
        for row in rows])
    return _render(_Chart(
        pygal.Bar, chart_id, f"{figures.treatment.name}: follow-ups given, of the reports due",
        tuple(months_label(row.months) for row in rows),
        (("Due", tuple(_value(row.due) for row in rows)),
         ("Gave the follow-up", tuple(_value(row.gave) for row in rows))),
        description, _config(y_title="Reports", min_scale=2, max_scale=8)))


def _said(count: Count) -> str:
    return str(count.value) if count.shown else "a suppressed number"


def pgic_chart(figures: TreatmentFigures, chart_id: str = "pgic-chart") -> Markup | None:
    """Stacked bars: at each interval with answers, how members rated the change (PGIC),
    as a share of those who answered; suppressed cells are left out."""
    intervals = [interval for interval in figures.intervals if interval.answered]
    if not intervals:
        return None
    series = tuple(
        (label, tuple(_rounded(interval.pgic[point - 1].count.percent_of(interval.n))
                      for interval in intervals))
        for point, label in PGIC.items())
    parts = []
    for interval in intervals:
        cells = ", ".join(f"{answer.label.lower()} {_share(answer.count, interval.n)}"
                          for answer in interval.pgic)
        parts.append(f"{months_label(interval.months)} ({interval.n.value} answered): {cells}")
    return _render(_Chart(
        pygal.StackedBar, chart_id,
        f"{figures.treatment.name}: how members rated the change since treatment",
        tuple(months_label(interval.months) for interval in intervals), series,
        _listed(parts), _config(y_title="% of those who answered", range=(0, 100),
                                legend_at_bottom_columns=4)))


def _rounded(percent: float | None) -> float | None:
    return round(percent, 1) if percent is not None else None


def _share(count: Count, total: Count) -> str:
    percent = count.percent_of(total)
    return f"{percent:.0f}%" if percent is not None else "suppressed"


def reports_chart(summaries: Sequence[TreatmentSummary], chart_id: str = "reports-chart"
                  ) -> Markup | None:
    """Horizontal bars: reports filed for each treatment that has a published number."""
    rows = [summary for summary in summaries if summary.reports.value]
    if not rows:
        return None
    description = _listed([f"{summary.treatment.name}: {summary.reports.value}"
                           for summary in rows])
    return _render(_Chart(
        pygal.HorizontalBar, chart_id, "Reports filed, by treatment",
        tuple(summary.treatment.name for summary in rows),
        (("Reports filed", tuple(summary.reports.value for summary in rows)),),
        description, _config(height=max(240, 60 + 46 * len(rows)), show_legend=False)))
