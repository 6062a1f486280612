"""``python -m kg.cli``: the ``seikg`` command line."""
from kg.cli.main import main

raise SystemExit(main())
