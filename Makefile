# Editions: `make run` serves the demo on SQLite, `make test` runs the whole suite.
# Both set everything up first; nothing else needs to be run by hand.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := webapp:create_app
# `make run` and friends serve a developer's machine; a deployment sets its own (README).
export EDITIONS_ENV ?= development

.PHONY: run test lint catalogs extract-messages update-catalogs database demo browser nginx pdf-libraries page-checkers lighthouse bench clean

$(BIN)/editions: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[serve,test,pdf]'
	touch $@

catalogs: $(BIN)/editions
	$(BIN)/pybabel compile -d translations -D messages --statistics

# The app checks its compiled catalogs at start-up, `editions db upgrade` included.
database: catalogs
	$(BIN)/editions db upgrade

demo: database catalogs
	$(BIN)/editions demo load --if-empty

run: demo pdf-libraries
	$(BIN)/editions run --host 127.0.0.1 --port $(PORT)

# Debian's Chromium for the browser tests; Playwright never downloads a browser.
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null; \
	else echo "chromium is not installed and cannot be installed here: browser tests will skip"; fi

# Debian's nginx, for the test that puts deploy/nginx/editions.conf in front of two app
# servers. The test runs nginx of its own; the system service Debian may start on install
# (not in a container) is stopped and disabled again: it was not there before.
nginx:
	@if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx openssl >/dev/null \
			&& { systemctl disable --now nginx >/dev/null 2>&1 || true; }; } \
			|| echo "nginx could not be installed: the nginx test will skip"; \
	else echo "nginx is not installed and cannot be installed here: the nginx test will skip"; fi

# Pango (with HarfBuzz, which shapes Arabic script) for WeasyPrint's newsletter PDFs.
pdf-libraries:
	@if ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b >/dev/null; \
	else echo "Pango is not installed and cannot be installed here: newsletter PDFs answer 503 and their tests skip"; fi

# axe-core and the W3C Nu HTML checker (vnu.jar) for the page checks, pinned, from the npm
# registry into a git-ignored folder; Java runs vnu.jar. Without them those tests skip.
AXE_CORE := 4.14.1
VNU_JAR := 26.9.27
CHECKERS := .checkers
CHECKERS_STAMP := $(CHECKERS)/.stamp-axe-$(AXE_CORE)-vnu-$(VNU_JAR)

page-checkers: $(CHECKERS_STAMP)

$(CHECKERS_STAMP):
	@if ! command -v npm >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm default-jre-headless >/dev/null; } \
				|| echo "npm or Java could not be installed: axe and HTML checks will skip"; \
		fi; \
	fi
	@if command -v npm >/dev/null 2>&1; then \
		mkdir -p $(CHECKERS) && { npm install --prefix $(CHECKERS) --no-save --no-audit --no-fund \
			--no-package-lock --loglevel=error axe-core@$(AXE_CORE) vnu-jar@$(VNU_JAR) && touch $@ \
			|| echo "the npm registry did not give axe-core and vnu-jar: those checks will skip"; }; \
	else echo "npm is not installed and cannot be installed here: axe and HTML checks will skip"; fi

# Lighthouse for bench/lighthouse.py (not needed by the tests); it drives Debian's Chromium.
LIGHTHOUSE := 13.5.0

lighthouse: $(BIN)/editions browser
	mkdir -p $(CHECKERS)/lighthouse
	npm install --prefix $(CHECKERS)/lighthouse --no-save --no-audit --no-fund --no-package-lock \
		--loglevel=error lighthouse@$(LIGHTHOUSE)

# The gates CI keeps: ruff's rules (complexity included), its formatting, the domain's
# layers and no cycles (pyproject's [tool.importlinter]), and the types editions/ ships.
lint: $(BIN)/editions
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# One pytest worker per logical core (pytest-xdist); the tests of an xdist_group share a worker.
test: $(BIN)/editions catalogs browser nginx pdf-libraries page-checkers lint
	$(BIN)/pytest -q -n logical --dist loadgroup

extract-messages: $(BIN)/editions
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _n:1,2 --sort-by-file \
		--no-wrap --project=Editions --copyright-holder="Editions contributors" \
		-o translations/messages.pot .

update-catalogs: extract-messages
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-wrap --no-fuzzy-matching --ignore-obsolete

# The quick sizes of every benchmark (bench/README.md gives the 100,000-article runs).
bench: $(BIN)/editions
	$(BIN)/python bench/status.py --sizes 1000,10000 --backends sqlite
	$(BIN)/python bench/dashboard.py --articles 1000 --backends sqlite
	$(BIN)/python bench/po.py --articles 10000
	$(BIN)/python bench/editor.py --paragraphs 2000 --articles 1000 --backends sqlite
	$(BIN)/python bench/concurrency.py --articles 200 --backends sqlite,postgresql
	$(BIN)/python bench/intake.py --articles 200 --backends sqlite,postgresql
	@if command -v wrk >/dev/null 2>&1; then $(BIN)/python bench/reader.py --articles 10000; \
	else echo "wrk is not installed (apt-get install wrk): reader throughput skipped"; fi

clean:
	rm -rf $(VENV) $(CHECKERS) instance .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
