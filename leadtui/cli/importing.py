"""placeholder until the import commands land"""

import click


@click.group(name="import")
def import_group() -> None:
    """Bring leads, activities and outcomes in from CSV files."""
