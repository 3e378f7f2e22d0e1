# The project's commands. `make run` and `make test` are all a fresh clone needs.
.PHONY: setup run run-scaled test lint train index shell stop status bench nlu-bench clean

setup:  ## create or check both virtual environments
	bash scripts/setup.sh

run:  ## set up, train if needed, start all services, Ctrl-C stops them
	bash scripts/run.sh

run-scaled:  ## the scaled profile: Rasa, action and web replicas behind nginx on PostgreSQL, Redis, RabbitMQ
	bash scripts/run_scaled.sh

test:  ## the whole test suite (what CI runs)
	bash scripts/test.sh

lint:  ## ruff, mypy and ESLint (also part of `make test`)
	bash scripts/setup.sh && bash scripts/lint.sh

train:  ## retrain the Rasa model (only if data/domain/config changed; FORCE=1 always)
	bash scripts/setup.sh && bash scripts/train.sh $(if $(FORCE),--force,)

index:  ## build the knowledge index (incremental: only what changed is embedded again)
	bash scripts/setup.sh && .venv/bin/python -m bot kb build

shell:  ## chat in the terminal (needs the action server: run `make run` in another terminal)
	bash scripts/setup.sh && bash scripts/train.sh && ACTION_SERVER_URL=http://127.0.0.1:5055/webhook \
	  FERNHILL_ACTION_WEBHOOK_TOKEN="$${FERNHILL_ACTION_WEBHOOK_TOKEN:-$$(cat var/action-webhook-token 2>/dev/null)}" \
	  PYTHONPATH=$(CURDIR) .venv-rasa/bin/rasa shell --model models --endpoints endpoints.yml

stop:  ## stop services started by `make run`
	bash scripts/stop.sh

status:  ## show which services answer
	bash scripts/status.sh

bench:  ## NLU benchmark: project pipeline vs Rasa's default on BANKING77 and CLINC150
	bash scripts/setup.sh && PYTHONPATH=$(CURDIR) .venv-rasa/bin/python benchmarks/nlu.py

clean:  ## remove generated models, databases and run files (keeps the environments)
	rm -rf models .run var results
