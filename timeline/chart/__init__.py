"""The picture: the Plotly figure, its labels and time scales. Imports the data layer only."""
