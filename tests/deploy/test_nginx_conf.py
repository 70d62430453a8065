"""deploy/nginx.conf, filled in, is a configuration nginx accepts, with affinity and
websockets as the fail-over test relies on."""

from __future__ import annotations

import pathlib
import subprocess

import pytest

from deploy.cluster import find_nginx, free_port, main, render_config


def test_printed_config_passes_nginx_t(tmp_path: pathlib.Path, capsys) -> None:
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / sub).mkdir()
    args = ["--print-config", "--listen", f"127.0.0.1:{free_port()}", "--prefix", str(tmp_path),
            "--upstream", "127.0.0.1:8501, 127.0.0.1:8502"]  # fmt: skip
    assert main(args) == 0
    conf = tmp_path / "nginx.conf"
    conf.write_text(capsys.readouterr().out)
    text = conf.read_text()
    assert "@@" not in text
    assert text.count("server 127.0.0.1:85") == 2
    assert "hash $sticky_key consistent;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    r = subprocess.run(
        [find_nginx(), "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
         "-c", str(conf)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr


def test_render_refuses_an_empty_upstream() -> None:
    with pytest.raises(ValueError):
        render_config([], listen="80", prefix="/tmp")
