"""The deployment kit in deploy/: systemd units pass `systemd-analyze verify`, the nginx site passes `nginx -t`,
compose.yaml parses with both processes, the shell wrappers parse.

The tools come from Debian (systemd, nginx, openssl). Without one a check is skipped with the reason — except
with CI=true, where .ci/run installs them, so a missing tool fails the check instead.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("sme-sheets-*"))
LONG_RUNNING = ("sme-sheets-web.service", "sme-sheets-jobs.service")


def need(tool: str, package: str) -> str:
    """The tool's path (also in /usr/sbin, often off a user's PATH), else skip — or fail under CI=true."""
    found = shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/sbin")
    if found:
        return found
    reason = f"{tool} not found: apt-get install {package}"
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " (CI=true: .ci/run installs it)")
    pytest.skip(reason)


def run(*cmd, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kwargs)


def test_units_are_there_and_hardened():
    assert {u.name for u in UNITS} >= {*LONG_RUNNING, "sme-sheets-backup.service", "sme-sheets-backup.timer"}
    for name in LONG_RUNNING:
        text = (DEPLOY / "systemd" / name).read_text()
        for line in ("User=sme-sheets", "WorkingDirectory=/opt/sme-sheets", "EnvironmentFile=/etc/sme-sheets/env",
                     "ProtectSystem=strict", "ReadWritePaths=/opt/sme-sheets/var", "ProtectHome=yes",
                     "PrivateTmp=yes", "NoNewPrivileges=yes", "Restart=on-failure",
                     "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
                     "ExecStart=/opt/sme-sheets/.venv/bin/python -m "):
            assert line in text, f"{name}: {line}"


def test_systemd_analyze_verify(tmp_path):
    analyze = need("systemd-analyze", "systemd")
    # verify rejects an ExecStart that does not exist, so mirror /opt/sme-sheets in tmp_path (this Python as
    # .venv/bin/python, the real backup.sh) and point the units there; nothing else in them changes.
    opt = tmp_path / "opt"
    (opt / ".venv" / "bin").mkdir(parents=True)
    (opt / ".venv" / "bin" / "python").symlink_to(sys.executable)
    (opt / "deploy").mkdir()
    (opt / "deploy" / "backup.sh").symlink_to(DEPLOY / "backup.sh")
    units = tmp_path / "units"
    units.mkdir()
    for unit in UNITS:
        (units / unit.name).write_text(unit.read_text().replace("/opt/sme-sheets", str(opt)))
    # No man-page lookups for Documentation=, no generators (they need a booted system).
    result = run(analyze, "verify", "--man=no", "--generators=no", *sorted(map(str, units.iterdir())))
    output = (result.stdout + result.stderr).strip()
    # An unknown key or a bad value is only a warning (exit 0): any output at all fails.
    assert result.returncode == 0 and not output, output


def test_nginx_site(tmp_path):
    nginx = need("nginx", "nginx")
    openssl = need("openssl", "openssl")
    crt, key = tmp_path / "site.crt", tmp_path / "site.key"
    made = run(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
               "-keyout", str(key), "-out", str(crt))
    assert made.returncode == 0, made.stderr
    site = (DEPLOY / "nginx" / "sme-sheets.conf").read_text()
    assert "/etc/ssl/certs/sme-sheets.crt" in site and "/etc/ssl/private/sme-sheets.key" in site
    site = site.replace("/etc/ssl/certs/sme-sheets.crt", str(crt)).replace("/etc/ssl/private/sme-sheets.key", str(key))
    # nginx -t binds the listen ports: move 80/443 above 1024 so it runs without root.
    site = re.sub(r"(listen\s+(?:\[::\]:)?)(80|443)\b", lambda m: m[1] + "18" + m[2].rjust(3, "0"), site)
    if not _has_ipv6():
        site = re.sub(r"^\s*listen\s+\[::\].*$", "", site, flags=re.M)
    (tmp_path / "site.conf").write_text(site)
    # Every path nginx opens or creates lives in tmp_path, so the test needs no root and no /var.
    (tmp_path / "nginx.conf").write_text(f"""events {{}}
http {{
    access_log {tmp_path}/access.log;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    include {tmp_path}/site.conf;
}}
""")
    result = run(nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", str(tmp_path / "error.log"),
                 "-g", f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;")
    assert result.returncode == 0 and "test is successful" in result.stderr, result.stderr
    assert "[warn]" not in result.stderr, result.stderr


def _has_ipv6() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def test_compose_runs_web_and_jobs_on_one_state_volume():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"web", "jobs"}
    assert services["web"]["command"][:3] == ["python", "-m", "app"] and "serve" in services["web"]["command"]
    assert services["jobs"]["command"][:3] == ["python", "-m", "jobs"]
    assert services["web"]["ports"] == ["127.0.0.1:8080:8080"]  # only nginx on the host reaches it
    for name, service in services.items():  # the YAML merge key gives both the shared settings
        assert "state:/opt/sme-sheets/var" in service["volumes"], name
        assert any(v.startswith("/etc/sme-sheets/config.toml:") and v.endswith(":ro") for v in service["volumes"])
        assert service["env_file"] and service["build"]["dockerfile"] == "deploy/Dockerfile"
    assert "state" in compose["volumes"]


def test_dockerfile_copies_only_what_exists_and_runs_unprivileged():
    text = (DEPLOY / "Dockerfile").read_text()
    root = DEPLOY.parent  # the build context
    for line in re.findall(r"^COPY\s+(.+)$", text, flags=re.M):
        for source in line.split()[:-1]:
            assert (root / source).exists(), f"COPY {source}: not in the build context"
    assert re.search(r"^FROM python:3\.11-slim$", text, flags=re.M)
    install = re.search(r"^RUN pip install (\S+)", text, flags=re.M)
    assert install and install[1] == ".", "the runtime dependencies only, no [test] extra"
    assert re.search(r"^USER sme-sheets$", text, flags=re.M)


def test_shell_wrappers_parse():
    for script in (DEPLOY / "backup.sh", DEPLOY / "sme-sheets-app"):
        assert os.access(script, os.X_OK), f"{script.name} is not executable"
        result = run("sh", "-n", str(script))
        assert result.returncode == 0, result.stderr
