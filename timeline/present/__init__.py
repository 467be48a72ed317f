"""The classroom: steps of a presentation, its HTML, the PPTX deck and the PDF handout. Imports data, chart and filters."""
