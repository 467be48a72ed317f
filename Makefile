# The two commands of the README's Quickstart. Each sets up what it needs first
# (Debian's chromium, a .venv with the pinned packages) and is safe to repeat.
.PHONY: run test validate

run:
	@bash scripts/setup.sh runtime
	.venv/bin/python -m streamlit run app.py

test:
	@bash scripts/setup.sh dev
	.venv/bin/python -m pytest

validate:
	@bash scripts/setup.sh runtime
	.venv/bin/python -m timeline validate
