"""The dashboard's pages: layout only; the logic lives in the timeline package."""
