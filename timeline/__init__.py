"""A source-linked timeline for contested stories: events, each tied to the verbatim passages that report it."""
from timeline.data.chronology import Chronology, Passage
from timeline.data.dates import PartialDate
from timeline.data.load import LoadResult, load_chronology, read_data
from timeline.data.models import Certainty, Citation, Event, Kind, Source
from timeline.data.problems import DataError, Problem

__all__ = [
    "Certainty", "Chronology", "Citation", "DataError", "Event", "Kind", "LoadResult", "PartialDate",
    "Passage", "Problem", "Source", "load_chronology", "read_data",
]
