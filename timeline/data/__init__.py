"""The data layer: models, dates, quotes anchored in their articles, loading and validating a data folder. Imports nothing above it."""
