"""What goes out: image, page and data exports, alt text, standard formats. Imports data, chart, filters and present."""
