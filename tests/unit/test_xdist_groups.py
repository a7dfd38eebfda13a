"""`make test` keeps the production-shape flows on one worker with ``--dist loadgroup``.

Why: each worker that runs one of those flows starts a whole stack (nginx, two gunicorn
pools, the mail worker) and takes the machine's Redis database 12 for its session, so a
second worker waits for the first to finish everything else: with pytest 9 and
pytest-xdist 3.8, the group suffix no longer reached the tests' ids and CI lost ten
minutes that way. This test fails as soon as a worker runs a grouped test under an id
without its group.
"""

import pytest

pytestmark = [pytest.mark.unit, pytest.mark.xdist_group("grouping-check")]


def test_a_grouped_test_carries_its_group_in_its_id(request: pytest.FixtureRequest):
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not run by a pytest-xdist worker with --dist loadgroup")
    assert request.node.nodeid.endswith("@grouping-check"), request.node.nodeid
