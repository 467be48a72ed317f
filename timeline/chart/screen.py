"""How the Timeline page is laid out for the screen it is on: pure, from the width and height the browser reports.

Three layouts, by the width of the page's main column (the window less the sidebar and padding):
- "wide" (at least WIDE_FROM px): the chart across the column; once an event is picked, its detail in a column
  beside the chart, which then takes the rest (the overview gets the whole width to label its events);
- "narrow": the chart across the column, the detail opened over it;
- "phone" (under PHONE_UNDER px): a vertical timeline, dates running down the page, one card per event; the detail
  opened over it as a sheet.

In the compact density the chart is as tall as the window leaves below the page heading, so that the whole
chronology and its date axis are on the first screen; "roomy" gives every lane the rows its labels ask for.
"""
from __future__ import annotations

from dataclasses import dataclass

WIDE_FROM = 880      # main column px: room for a chart of about 540 px and a detail column of about 330 px
PHONE_UNDER = 640    # main column px: Streamlit stacks columns under this, and a lane chart has no room for labels
DETAIL_SHARE = 0.38  # of the main column, for the detail beside the chart
COLUMN_GAP = 24      # px between the chart's column and the detail's ("medium" gap)
CHART_TOP = 160      # px from the top of the window to the chart: the page heading and the view's summary line
CHART_FOOT = 12      # px kept clear under the chart
MIN_HEIGHT = 320     # a compact chart is never shorter than this
MIN_CHART_WIDTH = 320
DEFAULT = (932, 720)  # main column width and window height until the browser has said: a 1280 × 720 window


@dataclass(frozen=True)
class Screen:
    mode: str                 # "wide", "narrow" or "phone"
    chart_width: int          # px the chart is laid out for (0 on a phone: no chart)
    chart_height: int | None  # px, or None: as tall as the labels need (roomy)

    @property
    def beside(self) -> bool:
        """Whether the detail sits in a column beside the chart (else it opens over the page)."""
        return self.mode == "wide"


def screen(main_width: float | None, window_height: float | None, density: str = "compact",
           chart_top: float | None = None, detail: bool = True) -> Screen:
    """The layout for a main column `main_width` px wide in a window `window_height` px tall, the chart starting
    `chart_top` px down the page (None: not known yet; a long title on two lines pushes it down). `detail`: whether
    an event's detail is open (beside the chart, on a wide screen)."""
    w = int(main_width or DEFAULT[0])
    h = int(window_height or DEFAULT[1])
    top = int(chart_top) if chart_top and 0 < chart_top < h else CHART_TOP
    height = None if density == "roomy" else max(MIN_HEIGHT, h - top - CHART_FOOT)
    if w < PHONE_UNDER:
        return Screen("phone", 0, None)
    if w >= WIDE_FROM and detail:
        chart = int((w - COLUMN_GAP) * (1 - DETAIL_SHARE))
        return Screen("wide", max(MIN_CHART_WIDTH, chart), height)
    return Screen("wide" if w >= WIDE_FROM else "narrow", max(MIN_CHART_WIDTH, w), height)


def neighbour(ids: list[str], current: str | None, step: int) -> str | None:
    """The event `step` places from `current` in the view's date order (`ids`), or None past either end.
    With no current event (or one the view hides), the first event for a step forward and the last for one back."""
    if not ids:
        return None
    if current not in ids:
        return ids[0] if step > 0 else ids[-1]
    k = ids.index(current) + step
    return ids[k] if 0 <= k < len(ids) else None
