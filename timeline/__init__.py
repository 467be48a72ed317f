"""A source-linked timeline for contested stories: events, each tied to the verbatim passages that report it."""
from .chronology import Chronology, Passage
from .dates import PartialDate
from .load import LoadResult, load_chronology, read_data
from .models import Certainty, Citation, Event, Kind, Source
from .problems import DataError, Problem

__all__ = [
    "Certainty", "Chronology", "Citation", "DataError", "Event", "Kind", "LoadResult", "PartialDate",
    "Passage", "Problem", "Source", "load_chronology", "read_data",
]
