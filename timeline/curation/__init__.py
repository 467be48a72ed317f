"""What comes in: new articles, suggested events, and the edits that write a data folder. Imports data and filters."""
