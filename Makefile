# Deep Learning Isn't the Brain: the two commands a learner needs, plus a few for maintainers.
#
#   make lab            set up .venv if needed, then start JupyterLab on the welcome lesson
#   make lab PORT=8890  the same on another port (LAB_ARGS=... adds options; to fix the token, set
#                       JUPYTER_TOKEN in the environment or TOKEN_FILE=path: never on a command line)
#   make test           set up .venv if needed, then run the whole test suite (browser tests excluded)
#   make test-browser   the browser tests (headless Chromium through Playwright)
#   make notebooks      re-execute the lessons in place (fresh kernel, fixed seeds), regenerate exercises
#   make readme         regenerate the lessons table in README.md from course/syllabus.py
#   make clean          remove caches (keeps .venv); make distclean also removes .venv
#   make bench          the benchmark suite: table + benchmarks/results.json (Brian2 too after make peers)
#   make mutate         mutation testing (mutmut over course/ and snnlib's numerical modules, then named
#                       kernel mutants with the JIT): share killed; slow, not part of make test
#   make site           the course website from the stored notebooks: build/site/html/index.html
#   make pdf            the lessons as one PDF (system Chromium's print-to-PDF): build/course.pdf
#   make grading-env    nbgrader in its own environment, .venv-grading (docs/grading.md); make test uses it
#   make hub            JupyterHub for a class on this machine (127.0.0.1:8000; docs/teaching.md)
#
# Only python3 (3.11-3.13, with its venv module) and make are needed; everything else is installed into
# .venv from pyproject.toml. The install is redone whenever pyproject.toml is newer than the stamp file.

PYTHON  ?= python3
VENV    ?= .venv
PORT    ?= 8888
# The server's token: from the environment (JUPYTER_TOKEN=... make lab) or a file (TOKEN_FILE=path),
# never on a command line, where any local user sees it with `ps`. TOKEN=... still works (exported
# to Jupyter's environment, not its arguments) but make's own command line shows it: a note says so.
TOKEN   ?=
TOKEN_FILE ?=
LAB_ARGS ?=
PYTEST_ARGS ?=
# make test runs pytest on this many worker processes (pytest-xdist); each test file, and so each
# notebook, stays on one worker in order; files are handed out in collection order, lessons (the
# longest) first. TEST_JOBS=1 runs in a single process.
TEST_JOBS ?= 2
# Extras installed into .venv: the test tools are small, and `browser` only adds the Playwright driver
# (the browser itself is a system Chromium, see tests/browser/); `site` is Sphinx + myst-nb for make site/pdf;
# `hub` is JupyterHub for `make hub` (docs/teaching.md), `classroom-test` what the classroom tests need
# (repo2docker, jsonschema).
EXTRAS  ?= test,browser,site,hub,classroom-test
START_PAGE := lessons/00_welcome.ipynb

VPY   := $(VENV)/bin/python
# Teachers' grading environment (nbgrader + the course), see grading-env below.
GRADING_VENV  ?= .venv-grading
GRADING_STAMP := $(GRADING_VENV)/.installed
STAMP := $(VENV)/.installed
LOG   := $(VENV)/install.log
# JupyterLab refuses to run as root unless told to; add the flag only when we really are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test test-browser notebooks readme setup clean distclean help bench peers mutate site pdf grading-env \
        hub hub-setup launch-cells

help:
	@sed -n '3,17p' Makefile | sed 's/^# \{0,1\}//'

setup: $(STAMP)

# The stamp depends on pyproject.toml, so a changed dependency list re-runs the install. A .venv whose
# interpreter no longer starts (python upgraded or removed) is recreated.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(not ((3, 11) <= sys.version_info[:2] <= (3, 13)))' || { \
	  echo "error: '$(PYTHON)' is Python $$($(PYTHON) -c 'import platform; print(platform.python_version())' 2>/dev/null || echo '(not found)'); this course supports Python 3.11, 3.12 and 3.13." >&2; \
	  echo "       Pick another interpreter, e.g. make $(MAKECMDGOALS) PYTHON=python3.12" >&2; exit 1; }
	@if [ -x $(VPY) ] && ! $(VPY) -c 'import sys' >/dev/null 2>&1; then \
	  echo "$(VENV) is broken (its Python no longer runs): recreating it"; rm -rf $(VENV); fi
	@if [ ! -x $(VPY) ]; then \
	  echo "Creating $(VENV) with $(PYTHON) -m venv ..."; \
	  $(PYTHON) -m venv $(VENV) || { \
	    echo "error: '$(PYTHON) -m venv' failed. On Debian/Ubuntu install the venv module: apt install python3-venv" >&2; \
	    rm -rf $(VENV); exit 1; }; \
	fi
	@echo "Installing the course and its dependencies into $(VENV) (first run: a few minutes; log: $(LOG)) ..."
	@$(VPY) -m pip install --disable-pip-version-check --progress-bar off -e '.[$(EXTRAS)]' >$(LOG) 2>&1 || { \
	  echo "error: pip install failed; the last lines of $(LOG):" >&2; tail -n 30 $(LOG) >&2; exit 1; }
	@touch $(STAMP)
	@echo "$(VENV) is ready."

# The start page is the welcome lesson (the server's default URL, so the printed link and "/" open it).
# Without a token set, Jupyter generates a random one and prints the link with it; with one set
# (JUPYTER_TOKEN, TOKEN_FILE or TOKEN), Jupyter hides it in its log, so we print the link. The token
# travels in Jupyter's environment (readable by this user only), never in a process's arguments.
ifneq ($(TOKEN),)
lab: export JUPYTER_TOKEN := $(TOKEN)
endif
lab: $(STAMP)
	@$(if $(TOKEN),echo "note: TOKEN=... on make's command line is visible to other local users (ps); use JUPYTER_TOKEN=... make lab or TOKEN_FILE=path instead." >&2;) \
	if [ -n "$(TOKEN_FILE)" ]; then \
	  JUPYTER_TOKEN=$$(cat "$(TOKEN_FILE)") || { echo "error: cannot read TOKEN_FILE=$(TOKEN_FILE)" >&2; exit 1; }; \
	  export JUPYTER_TOKEN; fi; \
	url=/lab; [ -f "$(START_PAGE)" ] && url=/lab/tree/$(START_PAGE); \
	echo "Starting JupyterLab on http://127.0.0.1:$(PORT)$$url (Ctrl-C twice stops it)"; \
	if [ -n "$$JUPYTER_TOKEN" ]; then echo "Open: http://127.0.0.1:$(PORT)$$url?token=$$JUPYTER_TOKEN"; fi; \
	exec $(VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(PORT) --ServerApp.port_retries=0 \
	  --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=$$url $(ALLOW_ROOT) $(LAB_ARGS)

# The nbgrader end-to-end test (tests/test_export_nbgrader.py) grades with the real nbgrader from .venv-grading.
test: $(STAMP) $(GRADING_STAMP)
	$(VPY) -m pytest $(if $(filter-out 0 1,$(TEST_JOBS)),-n $(TEST_JOBS) --dist loadfile --no-loadscope-reorder) $(PYTEST_ARGS)

# The browser tests drive a system Chromium (Debian package) through Playwright; see tests/browser/.
# The hub test (tests/hub, marker hub) runs here too: like the browser tests it needs more than .venv (the
# hub's environment and its npm proxy), and its ten students take about 3 minutes of both cores.
test-browser: $(STAMP) hub-setup
	$(VPY) -m pytest -m "browser or hub" tests/browser tests/hub $(PYTEST_ARGS)

# Lessons are re-executed in place; exercise notebooks are regenerated from their modules by
# course.notebook (their one source of truth), which also executes them.
# NOTEBOOKS=lessons/01_spikes.ipynb re-executes just that one; ARGS=--check runs without writing.
NOTEBOOKS ?= $(sort $(wildcard lessons/*.ipynb))
notebooks: $(STAMP)
	$(VPY) tools/execute_notebooks.py $(ARGS) $(NOTEBOOKS)
ifeq ($(origin NOTEBOOKS)$(ARGS),file)
	$(VPY) -m course.notebook all
endif

# Benchmarks (benchmarks/README.md). Peers (Brian2, Nengo) live in .venv-peers: they need numpy < 2.4.
# BENCH_ARGS=--no-widgets, --no-classroom or --repeats 5 etc. are passed on. The classroom part runs a
# class on the one-machine hub (benchmarks/classroom.py), so bench needs hub-setup.
BENCH_ARGS ?=
bench: $(STAMP) hub-setup
	$(VPY) benchmarks/run_all.py $(BENCH_ARGS)

peers: $(STAMP)
	$(VPY) benchmarks/run_all.py --setup-only

# Mutation testing (docs/testing.md): the `mutate` extra (mutmut) is installed on demand, into .venv.
# MUTATE_ARGS=energy analysis picks scopes; --no-kernels skips the named kernel mutants.
# MUTATE_PYTHON=/path/to/venv/bin/python runs it with another environment's mutmut (nothing is installed then;
# that venv must see the course's packages too, e.g. through a .pth file naming .venv's site-packages).
MUTATE_ARGS ?=
MUTATE_PYTHON ?=
mutate: $(STAMP)
ifeq ($(MUTATE_PYTHON),)
	@$(VPY) -c 'import mutmut' 2>/dev/null || $(VPY) -m pip install --disable-pip-version-check -q -e '.[mutate]'
	$(VPY) tools/mutate.py $(MUTATE_ARGS)
else
	$(MUTATE_PYTHON) tools/mutate.py $(MUTATE_ARGS)
endif

# Teachers' grading: nbgrader and the course in their own environment (nbgrader's Jupyter extensions stay
# out of the learners' JupyterLab). `course export nbgrader DIR` writes the assignments; docs/grading.md.
$(GRADING_STAMP): pyproject.toml | $(STAMP)
	@if [ -x $(GRADING_VENV)/bin/python ] && ! $(GRADING_VENV)/bin/python -c 'import sys' >/dev/null 2>&1; then \
	  rm -rf $(GRADING_VENV); fi
	@[ -x $(GRADING_VENV)/bin/python ] || $(PYTHON) -m venv $(GRADING_VENV)
	@echo "Installing nbgrader and the course into $(GRADING_VENV) (log: $(GRADING_VENV)/install.log) ..."
	@$(GRADING_VENV)/bin/python -m pip install --disable-pip-version-check --progress-bar off -e '.[grading]' \
	  >$(GRADING_VENV)/install.log 2>&1 || { \
	  echo "error: pip install failed; the last lines of $(GRADING_VENV)/install.log:" >&2; \
	  tail -n 30 $(GRADING_VENV)/install.log >&2; exit 1; }
	@touch $(GRADING_STAMP)
	@echo "$(GRADING_VENV) is ready: . $(GRADING_VENV)/bin/activate, then nbgrader ... (docs/grading.md)"

grading-env: $(GRADING_STAMP)

# The website and the PDF are made from the stored outputs (nothing is re-executed); see tools/site/.
site: $(STAMP)
	$(VPY) tools/site/build_site.py

pdf: site
	$(VPY) tools/site/build_pdf.py

# A class on one machine (docs/teaching.md): JupyterHub on 127.0.0.1:$(HUB_PORT) with the course, one
# server per student, each as its own uid (deploy/hub/). Students' servers run from $(HUB_VENV): the course
# installed (not editable: students never need to read this folder, and a teacher's edits do not reach a
# running class) from a system interpreter every account may run ($(HUB_PYTHON)); .venv's interpreter may
# live where only its owner can read (pyenv under /root). HUB_VENV may be anywhere every account can reach
# (CI puts it under /var/tmp when the clone's folder is private). The proxy, configurable-http-proxy, comes
# from npm into deploy/hub/node_modules, pinned by deploy/hub/package-lock.json (needs node >= 20 and npm).
HUB_PORT   ?= 8000
HUB_PYTHON ?= $(firstword $(wildcard /usr/bin/python3) python3)
HUB_VENV   ?= .venv-hub
export HUB_VENV
HUB_STAMP  := $(HUB_VENV)/.installed
HUB_NODE   := deploy/hub/node_modules/.installed
HUB_SOURCES := $(shell find snnlib course -name '*.py' -o -name '*.json' 2>/dev/null)
$(HUB_STAMP): pyproject.toml $(HUB_SOURCES)
	@[ -x $(HUB_VENV)/bin/python ] || $(HUB_PYTHON) -m venv $(HUB_VENV)
	@echo "Installing the course and JupyterHub into $(HUB_VENV) (log: $(HUB_VENV)/install.log) ..."
	@$(HUB_VENV)/bin/python -m pip install --disable-pip-version-check --progress-bar off '.[hub]' \
	  >$(HUB_VENV)/install.log 2>&1 || { tail -n 30 $(HUB_VENV)/install.log >&2; exit 1; }
	@touch $@
$(HUB_NODE): deploy/hub/package.json deploy/hub/package-lock.json
	@command -v npm >/dev/null || { echo "error: make hub needs node (>= 20) and npm: apt install nodejs npm" >&2; exit 1; }
	cd deploy/hub && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

hub-setup: $(HUB_STAMP) $(HUB_NODE)

hub: hub-setup
	COURSE_HUB_PORT=$(HUB_PORT) exec $(HUB_VENV)/bin/jupyterhub -f deploy/hub/jupyterhub_config.py

# The lessons' Binder and Colab badges and Colab install block, from tools/launch_cells.py.
launch-cells: $(STAMP)
	$(VPY) tools/launch_cells.py --write

# The lessons table in README.md, from course/syllabus.py and the notebooks that exist.
readme: $(STAMP)
	$(VPY) tools/readme_lessons.py --write

clean:
	rm -rf .pytest_cache .hypothesis build .mutate
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(GRADING_VENV) *.egg-info
