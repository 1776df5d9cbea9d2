import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khcn.settings")
django.setup()

from khcn.documents.build_templates import main  # noqa: E402

raise SystemExit(main())
