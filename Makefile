# Shortcuts; the README's two commands are the source of truth.
.PHONY: run test bench messages

run:
	./scripts/run

test:
	./scripts/test

# By hand, never in CI: needs PostgreSQL, Redis and pgbench on this machine.
bench:
	.venv/bin/python bench/voting/run.py

# After changing interface strings: update the zh_Hans catalogue, translate, then compile.
messages:
	.venv/bin/python manage.py makemessages -l zh_Hans --ignore=.venv --ignore=var --ignore=static --ignore=tests --ignore=bench --no-obsolete
	.venv/bin/python manage.py compilemessages -l zh_Hans --ignore=.venv
