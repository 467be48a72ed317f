# The two commands of the README's Quickstart. Each sets up what it needs first
# (Debian's chromium, a .venv with the pinned packages) and is safe to repeat.
.PHONY: run serve test validate

run:
	@bash scripts/setup.sh runtime
	.venv/bin/python -m streamlit run app.py

# Serve a class or a team on the local network (every interface, port 8501). Pages that write are off for
# everyone unless TIMELINE_EDITOR_PASSWORD (or editor_password in .streamlit/secrets.toml) is set; see the README.
serve:
	@bash scripts/setup.sh runtime
	.venv/bin/python -m streamlit run app.py --server.address 0.0.0.0

test:
	@bash scripts/setup.sh dev
	.venv/bin/python -m pytest

validate:
	@bash scripts/setup.sh runtime
	.venv/bin/python -m timeline validate
