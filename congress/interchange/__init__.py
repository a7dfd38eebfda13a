"""Operations above the domains: moving whole editions and programmes in and out.

* ``demo`` and ``demo_data``: the 2014 demo edition, loaded through the services.
* ``transfer``: a whole edition as one JSON document (export, and load elsewhere).
* ``frab_import``: a programme from a frab/pretalx ``schedule.xml`` or ``schedule.json``
  (read by ``frab_xml`` and ``frab_json``, applied by ``frab_apply``).

This package may import every domain (edition, programme, registration,
calendar, accounts, audit...); none of them imports it, so a domain never
depends on an operation that spans several.
"""
