# Two commands: `make run` serves the app, `make test` runs ruff and every test
# (unit, AppTest and real-browser e2e). Both create .venv on first use.
# Python >= 3.11 is needed: PY if set, else the newest python3.1x found on PATH.
ifndef PY
PY := $(or $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	2>/dev/null && { echo $$p; break; }; done),python3)
endif
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run dev test lint format bench chromium cluster nginx clean python-check constraints

python-check:  ## fail early, with a clear message, on a Python older than 3.11
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "This app needs Python 3.11 or newer; '$(PY)' is $$($(PY) --version 2>/dev/null || echo 'not found')."; \
		echo "Install Python 3.11+ (python.org, or apt/brew/pyenv), then run make again, or choose one: make run PY=python3.12"; \
		exit 1; }

$(BIN)/python: | python-check
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime-installed: requirements.txt constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt constraints.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime-installed  ## serve the app at http://localhost:8501
	$(BIN)/python -m streamlit run streamlit_app.py --server.port $(PORT)

dev: $(VENV)/.runtime-installed  ## as run, and reload on every saved source file (costs each page open ~0.4 s of CPU)
	$(BIN)/python -m streamlit run streamlit_app.py --server.port $(PORT) \
		--server.fileWatcherType=auto --server.runOnSave=true

REPLICAS ?= 3
CLUSTER_PORT ?= 8080
cluster: $(VENV)/.runtime-installed nginx  ## $(REPLICAS) replicas behind nginx at http://127.0.0.1:$(CLUSTER_PORT) (deploy/)
	$(BIN)/python deploy/cluster.py --replicas $(REPLICAS) --port $(CLUSTER_PORT)

nginx:  ## make sure nginx is there (tests/deploy, make cluster): Debian's, installed as root
	@[ -x "$$NGINX" ] || command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { [ "$$(id -u)" = 0 ] \
		&& command -v apt-get >/dev/null && apt-get update -qq && apt-get install -y -qq nginx libnginx-mod-http-brotli-filter >/dev/null \
		&& { [ ! -f /run/nginx.pid ] || /usr/sbin/nginx -s stop || true; }; } \
		|| { echo "nginx is needed (tests/deploy, make cluster): apt-get install nginx, or set NGINX"; exit 1; }

chromium: $(VENV)/.dev-installed  ## print the Chromium the browser tests use (install one if none)
	@$(BIN)/python scripts/find_chromium.py

test: $(VENV)/.dev-installed nginx  ## ruff + all tests, browser and nginx tests included (never skipped)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	CHROMIUM="$$($(BIN)/python scripts/find_chromium.py)" $(BIN)/python -m pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Benchmarks (issue 8): micro-benchmarks bench/bench_*.py, then the server, browser and
# classroom benchmarks against servers they start themselves; bench/results.md is
# regenerated from bench/out/*.json. About 30 minutes on 2 idle cores.
# BENCH_N: classroom sizes (one server); BENCH_CLUSTER_N, BENCH_REPLICAS: the same through
# nginx (needs nginx: apt-get install nginx); BENCH_SOAK_N: students per soak wave; BENCH_AB: server
# settings each compared with the repository's config ("Variant" tables); empty to skip.
BENCH_N ?= 50,100,200
BENCH_SOAK_N ?= 100
# the same classroom through nginx (deploy/) to BENCH_REPLICAS replicas on this machine
BENCH_REPLICAS ?= 2
BENCH_CLUSTER_N ?= 100,200
# every chapter's default view, 200 students through nginx (issue 15)
BENCH_CHAPTERS ?= home,gd,nn,att,inside,nt,scale
BENCH_AB ?= runner.postScriptGC=true server.enableWebsocketCompression=true global.minCachedMessageSize=1000
bench: $(VENV)/.dev-installed nginx  ## run the benchmarks in bench/ and write bench/results.md
	@for f in bench/bench_*.py; do [ -e "$$f" ] || continue; echo "== $$f"; \
		PYTHONPATH=. $(BIN)/python $$f || echo "!! $$f failed (the benchmarks below still run)"; done
	@mkdir -p bench/out && rm -f bench/out/*.json
	$(BIN)/python bench/server_reruns.py -R 30
	@for o in $(BENCH_AB); do echo "== variant $$o"; $(BIN)/python bench/server_reruns.py -R 15 \
		--pages home,att,scale --views default --option $$o --json bench/out/ab_$$o.json || exit 1; done
	CHROMIUM="$$($(BIN)/python scripts/find_chromium.py)" $(BIN)/python bench/browser_latency.py -N 24 --cold 3
	CHROMIUM="$$($(BIN)/python scripts/find_chromium.py)" $(BIN)/python bench/browser_elements.py -N 10
	$(BIN)/python bench/classroom.py -N $(BENCH_N) -K 10 --pages home
	$(BIN)/python bench/classroom.py -N $(BENCH_CLUSTER_N) -K 10 --pages home \
		--replicas $(BENCH_REPLICAS) --json bench/out/classroom_nginx.json
	$(BIN)/python bench/classroom.py -N 200 -K 10 --pages $(BENCH_CHAPTERS) \
		--replicas $(BENCH_REPLICAS) --json bench/out/classroom_chapters.json
	$(BIN)/python bench/classroom.py -N 200 -K 10 --pages $(BENCH_CHAPTERS) --ramp 30 \
		--replicas $(BENCH_REPLICAS) --json bench/out/classroom_arrival.json
	$(BIN)/python bench/page_open.py -R 20
	CHROMIUM="$$($(BIN)/python scripts/find_chromium.py)" $(BIN)/python bench/first_load.py
	$(BIN)/python bench/classroom.py --soak 5 -N $(BENCH_SOAK_N) -K 3 --pages home --json bench/out/soak.json
	$(BIN)/python bench/report.py

# constraints.txt: every runtime dependency pinned, from a clean venv holding only
# requirements.txt (its own -c line is left out so that the newest allowed versions resolve).
constraints: python-check
	rm -rf .constraints-venv
	$(PY) -m venv .constraints-venv
	grep -v '^-c ' requirements.txt > .constraints-venv/requirements.txt
	.constraints-venv/bin/python -m pip install -q -r .constraints-venv/requirements.txt
	{ sed -n '1,/^$$/{/^#/p}' constraints.txt; .constraints-venv/bin/python -m pip freeze --all \
		| grep -v -E '^(pip|setuptools|wheel)=='; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf .constraints-venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/e2e/screenshots
