"""Two hosts behind nginx on PostgreSQL, Redis and the S3 store, host A killed with SIGKILL under load and brought
back: the short version of bench/two_hosts.py that CI runs (about half a minute).

It holds that once nginx has noticed (its fail_timeout plus a second) no request fails; that every ticket filed
through either host is stored once, with its attachment readable through each host directly; that the same form
sent to A and then to B files one ticket; and that failed sign-ins for one account split over both hosts are
refused at the limit on both. It runs in the PostgreSQL pass of `make test` (TEST_DATABASE_URL names the server;
a database of its own is made there and dropped after).
"""
import os
import time

import pytest

from bench.two_hosts import (Cluster, check_same_token_on_both_hosts, check_throttle_across_hosts, check_tickets,
                             drop_database, fresh_database, nginx_binary, run_load, summarize, throttle_holds)

CI = os.environ.get("CI") == "true"


def required(value, missing: str):
    if value:
        return value
    if CI:
        pytest.fail(f"CI=true but {missing}")
    pytest.skip(missing)


def test_a_host_killed_under_load_loses_nothing(s3_store_env, tmp_path):
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        pytest.skip("the two-host test runs in the PostgreSQL pass: set TEST_DATABASE_URL")
    redis_url = required(os.environ.get("TEST_REDIS_URL"), "TEST_REDIS_URL is not set (the hosts share Redis)")
    required(nginx_binary(), "nginx is not installed (apt-get install nginx)")
    database = fresh_database(server)
    cluster = Cluster(tmp_path, database, redis_url, s3_store_env, workers=2, fail_timeout=2)
    began = time.monotonic()
    try:
        cluster.prepare()
        print(f"database ready after {time.monotonic() - began:.1f} s")
        cluster.start()
        print(f"hosts and nginx up after {time.monotonic() - began:.1f} s")
        record, posted, times = run_load(cluster, people=4, warmup=1.5, before=2, down=4, after=2)
        print(f"load done after {time.monotonic() - began:.1f} s")
        summary = summarize(record, times, cluster)
        print({name: summary[name] for name in ("phases", "failures", "host_a_back_after_seconds")})
        same_token = check_same_token_on_both_hosts(cluster)
        tickets = check_tickets(cluster, [*posted, same_token["ticket"]])
        throttle = check_throttle_across_hosts(cluster)
        print(f"checks done after {time.monotonic() - began:.1f} s")

        for phase in ("before", "after"):
            assert set(summary["phases"][phase]["served_by"]) == {"A", "B"}, summary["phases"]
        assert summary["phases"]["during"]["ok_rps"] > 0
        assert summary["failures_after_detection"] == [], summary["failures_by_method"]
        assert tickets["confirmed"] > 1 and tickets["unconfirmed"] == []
        assert tickets["not_stored_once"] == []
        assert tickets["unreadable"] == [], f"{len(tickets['unreadable'])} attachments unreadable through a host"
        assert tickets["read_through"] == {"A": tickets["confirmed"], "B": tickets["confirmed"]}
        assert len(set(same_token["locations"])) == 1, same_token["locations"]
        assert throttle_holds(throttle), throttle
    except BaseException:
        print(cluster.logs())  # shown by pytest with the failure
        raise
    finally:
        cluster.close()
        drop_database(database)
