"""A plotly figure assembled as plain dicts, with the few go.Figure and go.Scatter methods the timeline uses,
and handed to plotly once, unvalidated, at the end (see FigureSpec)."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache

import plotly.graph_objects as go
from plotly.basedatatypes import BaseTraceType
from plotly.subplots import make_subplots


class Trace(dict):
    """A trace as a plain dict, with go.Scatter's update (nested dicts are merged, not replaced)."""

    def update(self, other: dict | None = None, **props) -> Trace:  # type: ignore[override]
        props = {**(other or {}), **props}
        if "meta" in props:  # a value, not a set of properties: plotly replaces it
            self["meta"] = props.pop("meta")
        _merge(self, props)
        return self


@dataclass(frozen=True)
class TraceType:
    """Makes traces of one type, as go.Scatter or go.Scattergl would: Scatter(x=..., ...).

    `big`: a big view's data (dates as epoch milliseconds, the brief hover, the WebGL marker size), which a still
    image of a big view draws as SVG. `still`: for an image, so no hover data (customdata is the event id alone)."""

    type: str
    big: bool = False
    still: bool = False

    def __call__(self, **props) -> Trace:
        return Trace(type=self.type, **props)

    @property
    def webgl(self) -> bool:
        return self.type == "scattergl"


def _merge(target: dict, update: dict) -> None:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


@lru_cache(maxsize=8)
def _subplot_layout(cols: int, column_widths: tuple[float, ...] | None, spacing: float) -> dict:
    """The layout make_subplots gives one row of `cols` panels sharing the y axis (template included)."""
    return make_subplots(rows=1, cols=cols, shared_yaxes=True, horizontal_spacing=spacing,
                         column_widths=list(column_widths) if column_widths else None).to_dict()["layout"]


def _axis(name: str, col: int) -> str:
    return name if col == 1 else f"{name}{col}"


class FigureSpec:
    """The few go.Figure methods build_figure uses, collecting plain dicts; one go.Figure is made of them at the end.

    Plotly validates each property of each call as it is made: for the 38 curated events that was 80% of
    building the figure (about 90 ms). Made at once and unvalidated, the same figure takes a few ms.
    tests/test_scale.py has plotly validate the result, so a misspelt property still fails a test.
    """

    def __init__(self, cols: int, column_widths: tuple[float, ...] | None, spacing: float):
        self.data: list[dict] = []
        self.layout = copy.deepcopy(_subplot_layout(cols, column_widths, spacing))

    def add_trace(self, trace, row: int = 1, col: int = 1) -> None:
        self.add_traces([trace], rows=row, cols=col)

    def add_traces(self, traces, rows: int = 1, cols: int = 1) -> None:
        for trace in traces:
            trace = trace.to_plotly_json() if isinstance(trace, BaseTraceType) else dict(trace)
            trace["xaxis"], trace["yaxis"] = _axis("x", cols), _axis("y", cols)
            self.data.append(trace)

    def update_xaxes(self, row: int = 1, col: int = 1, **props) -> None:
        _merge(self.layout.setdefault(_axis("xaxis", col), {}), props)

    def update_yaxes(self, **props) -> None:
        for key in [k for k in self.layout if k.startswith("yaxis")]:
            _merge(self.layout[key], props)

    def add_shape(self, **props) -> None:
        self.layout.setdefault("shapes", []).append(props)

    def update_layout(self, **props) -> None:
        _merge(self.layout, props)

    def figure(self) -> go.Figure:
        return go.Figure({"data": _lists(self.data), "layout": _lists(self.layout)}, _validate=False)


def _lists(value):
    """Tuples as lists, at any depth, as plotly's validation would leave them (numpy arrays stay as they are)."""
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    return value
