# Two commands set everything up on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_KEY := .frontdesk/demo-admin-key
DEMO_TWILIO := .frontdesk/demo-twilio-token
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test lint bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Frontdesk needs Python 3.11 or newer on PATH"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@# GrowthBook's statistics engine, which the experiment statistics are checked against. Test-only,
	@# and without its dependencies (pandas, nbformat): the class-level API we compare with needs none.
	$(BIN)/pip install --quiet --no-deps gbstats==0.8.0
	@touch $(STAMP)

install: $(STAMP)

$(DEMO_KEY):
	@mkdir -p $(dir $(DEMO_KEY))
	@$(BIN)/python -c "import secrets; print('fd_demo_' + secrets.token_urlsafe(24))" > $(DEMO_KEY)
	@chmod 600 $(DEMO_KEY)

$(DEMO_TWILIO):
	@mkdir -p $(dir $(DEMO_TWILIO))
	@$(BIN)/python -c "import secrets; print(secrets.token_hex(16))" > $(DEMO_TWILIO)
	@chmod 600 $(DEMO_TWILIO)

demo: install $(DEMO_KEY) $(DEMO_TWILIO)
	$(BIN)/frontdesk db upgrade
	$(BIN)/frontdesk tenants apply tenants/
	@echo
	@echo "Frontdesk is starting on http://$(HOST):$(PORT) (SQLite: ./frontdesk.db)"
	@echo
	@echo "  API docs:        http://$(HOST):$(PORT)/schema"
	@echo "  Health:          curl http://$(HOST):$(PORT)/health"
	@echo "  Admin API key:   $$(cat $(DEMO_KEY))   (platform admin, kept in $(DEMO_KEY))"
	@echo "  List tenants:    curl -H \"Authorization: Bearer $$(cat $(DEMO_KEY))\" http://$(HOST):$(PORT)/api/v1/tenants"
	@echo
	@echo "  Phone a tenant:  $(BIN)/frontdesk call bright-smile-dental   (type what the caller says;"
	@echo "                   it speaks Spanish too: try \"Hola, quiero una cita para una limpieza\")"
	@echo "                   (requests are signed with the demo Twilio token in $(DEMO_TWILIO))"
	@echo
	@echo "  Webhooks:        $(BIN)/frontdesk webhooks listen --port 9000   (prints and verifies what arrives)"
	@echo "                   then POST /api/v1/tenants/bright-smile-dental/hooks"
	@echo "                   {\"target_url\": \"http://127.0.0.1:9000/\", \"event\": \"*\"}  (see docs/webhooks.md);"
	@echo "                   the demo allows local targets (FRONTDESK_WEBHOOKS_ALLOW_PRIVATE=1)"
	@echo
	@echo "  Demo tenants and their numbers:"
	@$(BIN)/frontdesk tenants list | sed 's/^/    /'
	@echo
	FRONTDESK_ADMIN_API_KEY="$$(cat $(DEMO_KEY))" FRONTDESK_TWILIO_AUTH_TOKEN="$$(cat $(DEMO_TWILIO))" \
		FRONTDESK_HOST=$(HOST) FRONTDESK_PORT=$(PORT) FRONTDESK_WEBHOOKS_ALLOW_PRIVATE=1 \
		exec $(BIN)/frontdesk serve

serve: install
	$(BIN)/frontdesk serve

lint: install
	$(BIN)/ruff check .

# Test processes: one per core by default; TEST_WORKERS=0 runs the suite in this process.
TEST_WORKERS ?= auto

test: install
	$(BIN)/ruff check .
	$(BIN)/pytest -q -n $(TEST_WORKERS)

bench: install
	$(BIN)/python -m tests.benchmarks

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
