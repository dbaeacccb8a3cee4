"""`storyline` command line: a thin layer over the library. Commands load lazily from their modules."""

from __future__ import annotations

import importlib
from typing import Any

import click

from storyline import config

# command name -> "module:attribute"; each pipeline stage owns its command module.
COMMANDS: dict[str, str] = {
    "ingest": "storyline.cli.ingest_cmds:ingest",
    "clean": "storyline.cli.ingest_cmds:clean",
    "articles": "storyline.cli.ingest_cmds:articles",
    "show": "storyline.cli.ingest_cmds:show",
    "search": "storyline.cli.ingest_cmds:search",
    "enrich": "storyline.cli.enrich_cmds:enrich",
    "entities": "storyline.cli.enrich_cmds:entities",
    "embed": "storyline.cli.link_cmds:embed",
    "compare": "storyline.cli.link_cmds:compare",
    "score-pairs": "storyline.cli.link_cmds:score_pairs",
    "stories": "storyline.cli.story_cmds:stories",
    "story": "storyline.cli.story_cmds:story",
    "cluster": "storyline.cli.story_cmds:cluster",
    "recheck": "storyline.cli.story_cmds:recheck",
    "timeline": "storyline.cli.timeline_cmds:timeline",
    "serve": "storyline.cli.serve_cmds:serve",
    "watch": "storyline.cli.scale_cmds:watch",
    "db": "storyline.cli.scale_cmds:db",
    "demo": "storyline.cli.demo_cmds:demo",
}


class LazyGroup(click.Group):
    """Imports a command's module only when that command runs (fast start, isolated failures)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        try:
            return getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as exc:  # a stage not built yet
            reason = str(exc)

            @click.command(cmd_name, help=f"(unavailable: {reason})")
            def unavailable() -> None:
                raise click.ClickException(f"'{cmd_name}' is not available: {reason}")

            return unavailable


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", "data", type=click.Path(file_okay=False), envvar="STORYLINE_DATA",
              help="Data directory (default: $STORYLINE_DATA or ~/.local/share/storyline).")
@click.option("--db", "db", envvar="STORYLINE_DB",
              help="Database URL (default: embedded SQLite in the data dir; or postgresql://...).")
@click.version_option(package_name="storyline")
def cli(data: str | None, db: str | None) -> None:
    """Storyline: follow news stories across outlets, languages and years."""
    config.set_overrides(data=data, db=db)


def main(argv: list[str] | None = None) -> Any:
    return cli.main(args=argv, prog_name="storyline")
