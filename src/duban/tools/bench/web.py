"""``duban bench web``: the dashboard under load, served by the production server, measured on loopback."""

from __future__ import annotations

import http.client
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table

PAGES = ("/", "/indicators/beds_per_1000_elderly/")
GOAL_P95_MS = 150.0


@dataclass
class Samples:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {p: [] for p in PAGES})
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _login(port: int, username: str, password: str) -> str:
    """A session cookie for ``username``, obtained through the login form like a browser would."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    cookies = response.headers.get_all("Set-Cookie") or []
    csrf = next(c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith("csrftoken="))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)})
    connection.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    session = next(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("sessionid="))
    connection.close()
    return session


def _user(port: int, cookie: str, until: float, samples: Samples, offset: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    i = offset
    while time.perf_counter() < until:
        path = PAGES[i % len(PAGES)]
        i += 1
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Cookie": cookie})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        elapsed = (time.perf_counter() - started) * 1000
        with samples.lock:
            if ok:
                samples.latencies[path].append(elapsed)
            else:
                samples.errors += 1
    connection.close()


def _client_process(
    port: int, cookie: str, seconds: float, users: int, seed: int
) -> tuple[dict[str, list[float]], int]:
    samples = Samples()
    until = time.perf_counter() + seconds
    threads = [threading.Thread(target=_user, args=(port, cookie, until, samples, seed + k)) for k in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples.latencies, samples.errors


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_web(*, users: int, seconds: float, console: Console) -> int:
    # Imported here: the spawned client processes import this module and have no Django set up.
    from duban.tools import bootstrap

    console.print("准备演示数据库 (demo database)…")
    bootstrap.demo_build(console=console, rebuild=False)
    port = _free_port()
    server = subprocess.Popen(
        bootstrap.server_command(host="127.0.0.1", port=port, log=False),
        env=bootstrap.server_environment("127.0.0.1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        login = bootstrap.LOGINS[0]
        cookie = _login(port, login.username, login.password)
        # Warm every worker's cache and code paths before measuring: each worker has its own.
        warm = Samples()
        warming = [
            threading.Thread(target=_user, args=(port, cookie, time.perf_counter() + 5, warm, k)) for k in range(users)
        ]
        for thread in warming:
            thread.start()
        for thread in warming:
            thread.join()
        # The users are spread over a few processes: twenty client threads in one interpreter would queue on
        # its lock and add their own waiting to every latency measured.
        processes = min(4, users)
        shares = [users // processes + (1 if k < users % processes else 0) for k in range(processes)]
        with multiprocessing.get_context("spawn").Pool(processes) as pool:
            parts = pool.starmap(_client_process, [(port, cookie, seconds, share, k) for k, share in enumerate(shares)])
        samples = Samples()
        for latencies, errors in parts:
            for path, values in latencies.items():
                samples.latencies[path].extend(values)
            samples.errors += errors
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=10)
    table = Table(title=f"duban bench web — {users} concurrent users for {seconds:g} s, gunicorn on loopback")
    for heading in ("page", "requests", "p50 ms", "p95 ms", "p99 ms"):
        table.add_column(heading, justify="right" if heading != "page" else "left")
    everything: list[float] = []
    for path, values in samples.latencies.items():
        everything += values
        table.add_row(
            path,
            str(len(values)),
            f"{_percentile(values, 0.5):.1f}",
            f"{_percentile(values, 0.95):.1f}",
            f"{_percentile(values, 0.99):.1f}",
        )
    table.add_row(
        "all",
        str(len(everything)),
        f"{_percentile(everything, 0.5):.1f}",
        f"{_percentile(everything, 0.95):.1f}",
        f"{_percentile(everything, 0.99):.1f}",
    )
    console.print(table)
    p95 = _percentile(everything, 0.95)
    console.print(
        f"throughput {len(everything) / seconds:.0f} requests/s; errors {samples.errors}; "
        f"p95 {p95:.1f} ms (goal ≤ {GOAL_P95_MS:g} ms with no errors: "
        f"{'met' if p95 <= GOAL_P95_MS and samples.errors == 0 else 'NOT met'}); "
        f"mean {statistics.fmean(everything) if everything else float('nan'):.1f} ms",
        soft_wrap=True,
    )
    return 0
