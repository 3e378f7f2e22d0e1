"""``python -m bot.scale``: the scaled profile's settings, plan, databases and run.

python -m bot.scale env         # `export NAME=value` lines of every shared setting
python -m bot.scale plan        # the processes the scaled run starts (JSON)
python -m bot.scale databases   # creates the profile's PostgreSQL databases if missing
python -m bot.scale nginx DIR   # writes the load balancer's nginx.conf into DIR
python -m bot.scale run         # starts the replicas and nginx (scripts/run_scaled.sh)
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from dataclasses import asdict
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from bot.scale.balancer import write_nginx_config
from bot.scale.profile import ScaledProfile
from bot.scale.supervisor import run


def create_databases(profile: ScaledProfile) -> list[str]:
    """Creates the tracker, app and shop databases that do not exist yet; their names."""
    engine = create_engine(profile.postgres_url("postgres"), isolation_level="AUTOCOMMIT")
    created = []
    try:
        with engine.connect() as connection:
            for setting in ("FERNHILL_PG_TRACKER_DB", "FERNHILL_PG_APP_DB", "FERNHILL_PG_SHOP_DB"):
                name = profile[setting]
                exists = connection.execute(
                    text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
                ).first()
                if not exists:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
                    created.append(name)
    finally:
        engine.dispose()
    return created


def main(argv: list[str] | None = None) -> int:
    """Runs one command; 2 with a reason on bad settings or an unreachable engine."""
    parser = argparse.ArgumentParser(prog="python -m bot.scale", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("env", help="print the shared settings as shell exports")
    commands.add_parser("plan", help="print the processes of the scaled run as JSON")
    commands.add_parser("databases", help="create the PostgreSQL databases if missing")
    nginx = commands.add_parser("nginx", help="write nginx.conf for the plan")
    nginx.add_argument("folder", type=Path)
    start = commands.add_parser("run", help="start the replicas and the load balancer")
    start.add_argument("--run-dir", type=Path, default=Path(".run/scaled"))
    for command in (nginx, start):
        command.add_argument(
            "--public-address", default=os.environ.get("FERNHILL_WEB_HOST", "127.0.0.1")
        )
    args = parser.parse_args(argv)
    try:
        profile = ScaledProfile.from_env({**os.environ, "FERNHILL_PROFILE": "scaled"})
        shared = profile.shared_env()
        if args.command == "env":
            for name, value in sorted(shared.items()):
                print(f"export {name}={shlex.quote(value)}")
        elif args.command == "plan":
            replicas = [asdict(r) for r in profile.replicas()]
            print(json.dumps({"settings": shared, "replicas": replicas}, indent=2))
        elif args.command == "databases":
            created = create_databases(profile)
            print(f"created: {', '.join(created)}" if created else "the databases exist")
        elif args.command == "nginx":
            print(write_nginx_config(profile, args.folder, args.public_address))
        else:
            return run(profile, {**os.environ, **shared}, args.run_dir, args.public_address)
    except ValueError as error:
        print(f"bad setting: {error}", file=sys.stderr)
        return 2
    except OperationalError as error:
        print(f"PostgreSQL is not reachable: {error.orig}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
