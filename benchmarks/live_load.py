"""Benchmark: 40 groups answering a whole module at once against ``deployer live`` on 127.0.0.1.

Run on demand, never in the test suite:

    python benchmarks/live_load.py [--groups 40] [--module objectifs] [--pause 0] [--timeout 180]

The server is the real command (``deployer live DOSSIER --port P``) in its own process, as a
trainer starts it. Each simulated group, with its own cookies, joins with the code, then walks
the profile and the module the way a browser does: GET the question page (form token,
choices), POST the answer, follow the redirect to the next page; values are random but
allowed (fixed seed), about ``--pause`` seconds of « thinking » between answers (0: as fast as
the server allows, the worst case; a real group takes tens of seconds per question); with a
pause, groups also join at random moments within the first 2 × pause seconds. Meanwhile the
projector fetches its view and the trainer the follow-up table every second. Bounded: a fixed
number of groups and questions, and a global timeout. Reported: requests per second, median
and 95th-percentile response times (all requests, projector updates included; the projector's,
the answers' and the joins' apart), CPU time, refused or failed requests, and the answers
found in the files afterwards against those given (0 lost).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from deployer.answers.answers_file import read_answers
from deployer.schema.loader import load_content

TOKEN = re.compile(r'name="csrf" value="([^"]+)"')
ACTION = re.compile(r'<form method="post" action="(/groupe/question/[^"]+)"')
VALUE = re.compile(r'<input type="(radio|checkbox)" id="option-\d+" name="valeur" value="([^"]+)"')
MAX_STEPS = 60  # more than the profile plus the longest module


@dataclass
class Stats:
    """Response times (seconds) and what went wrong."""

    times: list[float] = field(default_factory=list)
    projector: list[float] = field(default_factory=list)
    posts: list[float] = field(default_factory=list)
    joins: list[float] = field(default_factory=list)
    refused: dict[int, int] = field(default_factory=dict)
    given: dict[str, dict[str, Any]] = field(default_factory=dict)  # group → {"module.question": value}


@dataclass
class Reply:
    """What the benchmark reads of a response."""

    status_code: int
    headers: dict[str, str]
    text: str


class Browser:
    """A minimal HTTP/1.1 client with keep-alive and cookies, one per simulated group.

    Written for the benchmark: a full client library spends more CPU than the server on these
    2 cores, and the figures would measure the client.
    """

    def __init__(self, base_url: str, timeout: float = 30) -> None:
        host, port = base_url.removeprefix("http://").split(":")
        self.address = (host, int(port))
        self.host = f"{host}:{port}"
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.stream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def __aenter__(self) -> Browser:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.stream:
            self.stream[1].close()

    async def get(self, url: str, **kwargs: Any) -> Reply:
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> Reply:
        return await self.request("POST", url, **kwargs)

    async def request(self, method: str, url: str, data: dict[str, Any] | None = None,
                      params: dict[str, str] | None = None) -> Reply:
        return await asyncio.wait_for(self._request(method, url, data, params), self.timeout)

    async def _request(self, method: str, url: str, data: dict[str, Any] | None,
                       params: dict[str, str] | None) -> Reply:
        if self.stream is None:
            self.stream = await asyncio.open_connection(*self.address)
        reader, writer = self.stream
        body = urlencode(data or {}, doseq=True).encode()
        target = url + ("?" + urlencode(params) if params else "")
        head = [f"{method} {target} HTTP/1.1", f"Host: {self.host}", f"Content-Length: {len(body)}"]
        if data is not None:
            head.append("Content-Type: application/x-www-form-urlencoded")
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        status_line = await reader.readline()
        headers: dict[str, str] = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "set-cookie":
                cookie, _, _ = value.strip().partition(";")
                key, _, val = cookie.partition("=")
                self.cookies[key] = val
            headers[name.lower()] = value.strip()
        text = (await reader.readexactly(int(headers.get("content-length", "0")))).decode()
        return Reply(int(status_line.split()[1]), headers, text)


async def timed(stats: Stats, client: Browser, method: str, url: str, projector: bool = False,
                joining: bool = False, **kwargs: Any) -> Reply:
    start = time.perf_counter()
    response = await client.request(method, url, **kwargs)
    elapsed = time.perf_counter() - start
    stats.times.append(elapsed)
    if projector:
        stats.projector.append(elapsed)
    if joining:
        stats.joins.append(elapsed)
    elif method == "POST":
        stats.posts.append(elapsed)
    if response.status_code >= 400:
        stats.refused[response.status_code] = stats.refused.get(response.status_code, 0) + 1
    return response


def choose(page: str, rng: random.Random) -> tuple[dict[str, Any], Any]:
    """Form fields answering the question on the page, and the value the file should then hold."""
    options = VALUE.findall(page)
    if options:
        kind = options[0][0]
        values = [v for _, v in options if v != "nsp"]
        if kind == "radio":
            value = rng.choice(values)
            return {"valeur": value}, value
        picked = [v for v in values if rng.random() < 0.4] or [values[0]]
        return {"valeur": picked}, picked
    if 'name="nombre"' in page:
        low, high = re.search(r"entre (\d+) et (\d+)", page).groups() if "entre " in page else ("1", "100")  # type: ignore[union-attr]
        number = rng.randint(int(low), min(int(high), 500_000))
        return {"nombre": str(number)}, number
    text = f"Réponse libre n° {rng.randint(1, 9999)}"
    return {"texte": text}, text


async def group(stats: Stats, base: str, code: str, number: int, pause: float) -> None:
    """One group: join, then answer every question until the module's recap."""
    rng = random.Random(number)
    name = f"Groupe {number}"
    given = stats.given.setdefault(name, {})
    if pause:
        await asyncio.sleep(rng.uniform(0, 2 * pause))  # groups do not join in the same instant
    async with Browser(base) as client:
        page = (await timed(stats, client, "GET", "/", joining=True)).text
        await timed(stats, client, "POST", "/rejoindre", joining=True,
                    data={"csrf": TOKEN.search(page).group(1), "code": code, "groupe": name})  # type: ignore[union-attr]
        home = (await timed(stats, client, "GET", "/groupe")).text
        url = re.search(r'href="(/groupe/question/[^"]+)"', home).group(1)  # type: ignore[union-attr]
        for _ in range(MAX_STEPS):
            page = (await timed(stats, client, "GET", url)).text
            action = ACTION.search(page)
            if action is None:
                return  # the recap: the module is done
            fields, value = choose(page, rng)
            response = await timed(stats, client, "POST", action.group(1),
                                   data={"csrf": TOKEN.search(page).group(1), "action": "valider", **fields})  # type: ignore[union-attr]
            if response.status_code != 303:
                raise RuntimeError(f"{name}: {response.status_code} on {action.group(1)}")
            given[action.group(1).removeprefix("/groupe/question/").replace("/", ".")] = value
            url = response.headers["location"]
            if pause:
                await asyncio.sleep(pause * rng.uniform(0.5, 1.5))  # groups do not answer in step


async def watcher(stats: Stats, base: str, path: str, stop: asyncio.Event) -> None:
    """The projector (or the trainer's follow-up) asking every second whether something changed."""
    version = ""
    async with Browser(base) as client:
        while not stop.is_set():
            response = await timed(stats, client, "GET", path, projector=True, params={"depuis": version})
            version = response.headers.get("x-version", version)
            try:
                await asyncio.wait_for(stop.wait(), timeout=1)
            except TimeoutError:
                pass


async def session(base: str, code: str, secret: str, args: argparse.Namespace) -> tuple[Stats, float]:
    stats = Stats()
    async with Browser(base) as trainer:
        page = (await trainer.get(f"/formateur/{secret}")).text
        await trainer.post(f"/formateur/{secret}/modules",
                           data={"csrf": TOKEN.search(page).group(1), "module": args.module})  # type: ignore[union-attr]
    stop = asyncio.Event()
    watchers = [asyncio.create_task(watcher(stats, base, f"/formateur/{secret}/{p}", stop))
                for p in ("projecteur/vue", "suivi")]
    start = time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(group(stats, base, code, i, args.pause)
                                            for i in range(1, args.groups + 1))), timeout=args.timeout)
    elapsed = time.perf_counter() - start
    stop.set()
    await asyncio.gather(*watchers)
    return stats, elapsed


def start_server(folder: Path, port: int) -> tuple[subprocess.Popen[str], str, str]:
    """``deployer live`` in its own process; its join code and trainer secret, read from what it prints."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "deployer", "live", str(folder), "--port", str(port)],
                               stdout=subprocess.PIPE, text=True, env=env)
    code = secret = ""
    assert process.stdout is not None
    for _ in range(80):
        line = process.stdout.readline()
        if found := re.search(r"Code de séance\W+(\d+)", line):
            code = found.group(1)
        if found := re.search(r"/formateur/(\S+)", line):
            secret = found.group(1)
        if line.startswith("Arrêter"):
            break
    for _ in range(100):  # bounded wait until it listens
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    return process, code, secret


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def lost_answers(folder: Path, stats: Stats) -> tuple[int, int]:
    """(answers given, answers missing or different in the files)."""
    content = load_content()
    files = {read_answers(p, content).group: read_answers(p, content) for p in folder.glob("*-reponses.yaml")}
    total = missing = 0
    for name, given in stats.given.items():
        answers = files.get(name)
        for key, value in given.items():
            module, question = key.split(".")
            found = None
            if answers is not None:
                found = answers.profile.get(question) if module == "profil" else answers.get(module, question)
            total += 1
            missing += found != value
    return total, missing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=40)
    parser.add_argument("--module", default="objectifs")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between two answers of a group")
    parser.add_argument("--timeout", type=float, default=180.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="deployer-live-bench-")) / "seance"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process, code, secret = start_server(folder, port)
    try:
        stats, elapsed = asyncio.run(session(f"http://127.0.0.1:{port}", code, secret, args))
        server_cpu = cpu_seconds(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=20)
    total, missing = lost_answers(folder, stats)
    ms = 1000
    print(f"{args.groups} groupes, module {args.module}, pause {args.pause} s, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"requests: {len(stats.times)} in {elapsed:.1f} s = {len(stats.times) / elapsed:.0f} req/s")
    print(f"all requests: median {statistics.median(stats.times) * ms:.0f} ms, "
          f"p95 {percentile(stats.times, 0.95) * ms:.0f} ms, max {max(stats.times) * ms:.0f} ms")
    print(f"projector and follow-up ({len(stats.projector)}): median {statistics.median(stats.projector) * ms:.0f} ms, "
          f"p95 {percentile(stats.projector, 0.95) * ms:.0f} ms")
    for label, values in (("answers (POST, on disk before the reply)", stats.posts),
                          ("joining (join page and form)", stats.joins)):
        print(f"{label} ({len(values)}): median {statistics.median(values) * ms:.0f} ms, "
              f"p95 {percentile(values, 0.95) * ms:.0f} ms")
    print(f"CPU time: server {server_cpu:.1f} s, this load generator {time.process_time():.1f} s")
    print(f"refused or failed: {stats.refused or 0}")
    print(f"answers given: {total}, lost: {missing}")
    shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
